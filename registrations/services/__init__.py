"""Writes of registrations, one module per subdomain (profile changes, lookups; applications next)."""
