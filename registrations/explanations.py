"""业务说明: what each business type a doctor files is for, in seed 002 §2.4's words (REG-2, REG-9)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Kind

# Seed 002 §2.4, word for word (the cards' text, which for 变更 and 多执业机构备案 also says where to confirm).
EXPLANATIONS = {
    Kind.REGISTER: _(
        "凡取得国内医师资格的，均可申请医师执业注册。执业医师的执业地点为执业医师执业的医疗、预防、保健机构所在的"
        "省级行政区划，执业助理医师的执业地点为执业助理医师执业的医疗、预防、保健机构所在的县级行政区划。执业医师"
        "可以在不同省份同时注册执业地点。一个执业地点下，有并且只有一个主要执业机构。"
    ),
    Kind.UPGRADE: _(
        "在医师类别相同并且主要执业机构不变的情况下，由助理注册升级为执业医师注册。助师升医师完成后，助理医师注册"
        "信息自动失效。"
    ),
    Kind.MILITARY_IN: _("军队的医师要变更到本卫生计生委下的医疗机构进行执业，请在此处操作"),
    Kind.TO_MILITARY: _(
        "地方注册的医师，要变更到军队，请在此操作。重要提示，变更到军队业务完成后，地方的注册信息全部失效。"
    ),
    Kind.CHANGE: _(
        "可进行执业地点变更、执业范围变更、执业类别变更，并可变更主要执业机构。医师提交变更申请后，直接到拟执业机构"
        "进行确认，然后由拟执业机构所属卫生计生委审批。"
    ),
    Kind.DEREGISTER: _("医师注册后有下列情形之一的，医师个人或所在机构，可申请办理注销注册："),
    Kind.FILING: _(
        "医师注册了一个执业地点并有了一个主要执业机构后，如果要到其他机构执业，需到批准该机构执业的卫生计生委分别"
        "申请备案。医师提交多执业机构备案申请后，直接到拟执业机构进行备案确认，然后由拟执业机构所属卫生计生委审批。"
    ),
    Kind.FILING_CANCEL: _("在主要执业机构之外的其他机构备案的注册信息，可申请取消。"),
    Kind.LOCATION_CANCEL: _(
        "按原医师多地点注册政策办理的医师多地点注册信息，可以查询和取消。不可新增。如果要在本省多个机构执业，可按"
        "“多执业机构备案”业务办理。"
    ),
    # REG-9: not in seed 002's list of nine; filed the same way.
    Kind.REISSUE: _("《医师执业证书》遗失或损毁的，可申请补办，经主要执业机构确认后由卫生健康行政部门审批。"),
    Kind.E_CERTIFICATE: _(
        "持有有效执业注册的医师，可申领医师电子证照，经主要执业机构确认后由卫生健康行政部门审批。"
    ),
}
