"""PRN-1 coded application forms (《医师执业、变更执业、多机构备案申请审核表》, 注销, 备案): the kind arrives
with the forms' work (issue 11)."""
