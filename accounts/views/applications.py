"""The doctor's 业务申请 (guided start, one form per type), 业务查询 (timeline, withdraw, amend) and 证书补办 (REG-2 … REG-9)."""

from __future__ import annotations

urlpatterns: list = []
