"""Placeholder: the activation endpoints of /api/v1/accounts/ (issue 4)."""

urlpatterns = []
