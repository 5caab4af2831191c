"""Template filters of the accounts pages."""
