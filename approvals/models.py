"""The reviewers' workflow (approve / return) keeps its models here; reference data lives in docregsys.reference."""
