"""申请材料: what to bring, per business type, configurable per province (SPEC §12; default: seeds 000 and 001)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import Kind, MaterialList

FORM = _("《医师执业、变更执业、多机构备案申请审核表》")
PHOTOS = _("近6个月二寸白底免冠正面半身照片两张")
ID_CARD = _("身份证复印件")
QUALIFICATION = _("《医师资格证书》原件及复印件")
PRACTICE_CERTIFICATE = _("《医师执业证书》原件")
CONTRACT = _("拟执业机构的聘用合同或劳动关系证明")
LICENCE = _("拟执业机构《医疗机构执业许可证》副本复印件")
HEALTH = _("县级以上医疗机构出具的6个月内健康体检证明（省份要求时提供）")
TRAINING = _("《医师执业培训合格证书》（取得资格超过两年未注册，或中止执业满两年的）")
AUTHORISATION = _("委托书及受托人身份证（委托他人办理时）")

DEFAULTS: dict[str, list] = {
    Kind.REGISTER: [FORM, PHOTOS, ID_CARD, QUALIFICATION, CONTRACT, LICENCE, HEALTH, TRAINING, AUTHORISATION],
    Kind.UPGRADE: [FORM, PHOTOS, ID_CARD, QUALIFICATION, PRACTICE_CERTIFICATE, AUTHORISATION],
    Kind.CHANGE: [FORM, PHOTOS, ID_CARD, PRACTICE_CERTIFICATE, CONTRACT, LICENCE, AUTHORISATION],
    Kind.FILING: [FORM, ID_CARD, PRACTICE_CERTIFICATE, CONTRACT, LICENCE],
    Kind.FILING_CANCEL: [ID_CARD, PRACTICE_CERTIFICATE],
    Kind.DEREGISTER: [_("《医师注销注册申请表》"), ID_CARD, PRACTICE_CERTIFICATE, _("注销情形的证明材料")],
    Kind.MILITARY_IN: [FORM, PHOTOS, ID_CARD, QUALIFICATION, _("军队转业或调动证明"), CONTRACT, LICENCE],
    Kind.TO_MILITARY: [ID_CARD, PRACTICE_CERTIFICATE, _("军队接收证明")],
    Kind.LOCATION_CANCEL: [ID_CARD, PRACTICE_CERTIFICATE],
    Kind.REISSUE: [PHOTOS, ID_CARD, _("遗失声明或损毁的证书")],
    Kind.E_CERTIFICATE: [ID_CARD],
    Kind.ARCHIVE: [_("《医师注册备案申请表》"), _("调离、退休、退职、辞退或开除的证明材料")],
    Kind.RENAME: [_("更名后的《医疗机构执业许可证》副本复印件"), _("卫生健康行政部门同意更名的文件")],
}


def materials_for(*, province_code: str | None, kind: str) -> list[str]:
    """The province's list for this type when it set one (MaterialList), else the default."""
    if province_code:
        configured = MaterialList.objects.filter(province_id=province_code, kind=kind).first()
        if configured is not None and configured.item_list:
            return configured.item_list
    return [str(item) for item in DEFAULTS.get(kind, [])]
