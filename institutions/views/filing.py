"""业务办理 (INS-10): 申请备案, 申请注销, 机构更名变更 and 备案注销申请情况列表 — what the institution files itself."""

from __future__ import annotations

urlpatterns: list = []
