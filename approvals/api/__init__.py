"""The reviewers' REST API (APP-1, APP-2): applications routed to their authority, approve and return."""
