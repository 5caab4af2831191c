"""/api/v1/institution/applications/: the console's 业务办理 for REST clients (INS-6, INS-10, API-1)."""

from __future__ import annotations

urlpatterns: list = []
