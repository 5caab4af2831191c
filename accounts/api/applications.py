"""/api/v1/accounts/applications/: the doctor files and follows applications (REG-2 … REG-9, API-1)."""

from __future__ import annotations

urlpatterns: list = []
