"""业务办理 (INS-6): 医师申请业务办理, 医师正在申办的业务列表, 已完成审批业务列表, and the 打印预览."""

from __future__ import annotations

urlpatterns: list = []
