"""/api/v1/approvals/: what the admin's reviewers do, for REST clients (API-1)."""

app_name = "approvals-api"

urlpatterns: list = []
