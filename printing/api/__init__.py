"""/api/v1/public/: the public checks of PUB-1 for REST clients (issue 11)."""
