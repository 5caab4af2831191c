"""An application in words for the institution's pages and the printed form (INS-6, PRN-1).

The console's 办理业务 page, its API and the coded application form (printing.application_forms) read
the same lines: the practice record shown next to the application, 业务申请内容 ("执业范围请求变更为：
外科专业；") and the masked 资格证书编码. Nothing here writes.
"""

from __future__ import annotations

from django.utils.translation import gettext

from docregsys.identity.crypto import mask_id_number
from qualifications.models import QualificationCertificate

from .models import Application, Kind, PracticeRecord


def record_shown(application: Application) -> PracticeRecord | None:
    """The practice record the page shows: the one acted upon, else the person's valid record (if any)."""
    if application.record_id:
        return application.record
    if not application.id_number_digest:
        return None
    return (
        PracticeRecord.objects.filter(
            id_number_digest=application.id_number_digest,
            real_name=application.real_name,
            state=PracticeRecord.State.VALID,
        )
        .select_related("main_institution", "authority", "location")
        .prefetch_related("scopes")
        .order_by("-approval_date", "pk")
        .first()
    )


def scope_names(scopes) -> str:
    return "、".join(scope.name for scope in scopes)


def requested_lines(application: Application, record: PracticeRecord | None = None) -> list[str]:
    """业务申请内容 in words, as seed 002 §8 shows it ("执业范围请求变更为：外科专业；")."""
    kind = application.kind
    scopes = list(application.scopes.all())
    lines: list[str] = []

    def changed(label, new, old=None):
        if new and new != old:
            lines.append(gettext("%(label)s请求变更为：%(value)s；") % {"label": label, "value": new})

    if kind in (Kind.CHANGE, Kind.UPGRADE):
        old_scopes = scope_names(record.scopes.all()) if record else ""
        changed(
            gettext("医师级别"),
            application.get_level_display(),
            record.get_level_display() if record else None,
        )
        changed(
            gettext("医师类别"),
            application.get_category_display(),
            record.get_category_display() if record else None,
        )
        changed(
            gettext("执业地点"),
            application.location.full_name if application.location else "",
            record.location.full_name if record else None,
        )
        changed(gettext("执业范围"), scope_names(scopes), old_scopes)
        changed(
            gettext("主要执业机构"),
            application.institution.name,
            record.main_institution.name if record else None,
        )
        if not lines:
            lines.append(gettext("执业信息无变化；"))
    elif kind in (Kind.REGISTER, Kind.MILITARY_IN):
        for label, value in (
            (gettext("医师级别"), application.get_level_display()),
            (gettext("医师类别"), application.get_category_display()),
            (gettext("执业地点"), application.location.full_name if application.location else ""),
            (gettext("执业范围"), scope_names(scopes)),
            (gettext("主要执业机构"), application.institution.name),
        ):
            if value:
                lines.append(gettext("申请注册%(label)s：%(value)s；") % {"label": label, "value": value})
        if application.military_unit:
            lines.append(gettext("原军队单位：%(unit)s；") % {"unit": application.military_unit})
    elif kind == Kind.FILING:
        lines.append(
            gettext("申请在%(inst)s多执业机构备案，备案执业范围：%(scopes)s；")
            % {"inst": application.institution.name, "scopes": scope_names(scopes) or "—"}
        )
    elif kind == Kind.FILING_CANCEL:
        where = application.filing.institution.name if application.filing else application.institution.name
        lines.append(gettext("申请取消在%(inst)s的多执业机构备案；") % {"inst": where})
    elif kind == Kind.LOCATION_CANCEL:
        extra = application.extra_location
        where = f"{extra.institution.name}（{extra.location.full_name}）" if extra else "—"
        lines.append(gettext("申请取消多地点执业：%(where)s；") % {"where": where})
    elif kind == Kind.TO_MILITARY:
        lines.append(gettext("申请变更到军队：%(unit)s；") % {"unit": application.military_unit or "—"})
    elif kind == Kind.DEREGISTER:
        reason = application.deregistration_reason
        lines.append(gettext("注销情形：%(reason)s；") % {"reason": reason.name if reason else "—"})
    elif kind == Kind.ARCHIVE:
        reason = application.filing_reason
        lines.append(gettext("备案情形：%(reason)s；") % {"reason": reason.name if reason else "—"})
    elif kind == Kind.RENAME:
        changed(gettext("机构名称"), application.new_institution_name, application.institution.name)
    else:  # 证书补办, 申领电子证照
        lines.append(gettext("申请%(kind)s；") % {"kind": application.get_kind_display()})
    return lines


def qualification_masked(record: PracticeRecord | None, application: Application) -> str:
    """资格证书编码, masked: the record's, else the application's, else the person's certificate of the
    record's level and category (the exam centre's, found by name and ID-number digest)."""
    number = (record.qualification_number if record else "") or (
        application.qualification.number if application.qualification_id else ""
    )
    if not number and application.id_number_digest:
        certificates = QualificationCertificate.objects.filter(
            id_number_digest=application.id_number_digest, real_name=application.real_name
        )
        if record is not None:
            certificates = certificates.filter(level=record.level, category=record.category)
        number = certificates.order_by("-year_obtained").values_list("number", flat=True).first() or ""
    return mask_id_number(number) if number else ""


def application_sex(application: Application) -> str:
    """性别 of the person the application is about: the record acted upon, else read off the doctor's ID."""
    if application.record_id and application.record.sex:
        return application.record.get_sex_display()
    person = application.doctor if application.doctor_id else None
    if person is None:
        return ""
    from .models.records import resident_sex_birth

    sex, _birth = resident_sex_birth(person.id_type, person.id_number)
    return str(PracticeRecord.Sex(sex).label) if sex else ""


def requested_rows(application: Application) -> list[tuple[str, str]]:
    """业务申请内容 of the printed form (PRN-1): what the application asks for, from its own columns only.

    Unlike `requested_lines`, nothing is compared with the record: approving a 变更 changes the record in
    place, and the printed form (its code) must still verify after the authority approves.
    """
    kind = application.kind
    scopes = scope_names(application.scopes.all())
    rows: list[tuple[str, str]] = []

    def add(label, value):
        if value:
            rows.append((label, value))

    if kind in (Kind.REGISTER, Kind.MILITARY_IN, Kind.CHANGE, Kind.UPGRADE):
        add(gettext("医师级别"), application.get_level_display())
        add(gettext("医师类别"), application.get_category_display())
        add(gettext("执业地点"), application.location.full_name if application.location_id else "")
        add(gettext("执业范围"), scopes)
        add(gettext("主要执业机构"), application.institution.name)
        add(gettext("原军队单位"), application.military_unit)
    elif kind == Kind.FILING:
        add(gettext("备案执业机构"), application.institution.name)
        add(gettext("备案执业范围"), scopes or "—")
    elif kind == Kind.FILING_CANCEL:
        where = application.filing.institution.name if application.filing_id else application.institution.name
        add(gettext("取消备案的机构"), where)
    elif kind == Kind.LOCATION_CANCEL:
        extra = application.extra_location
        add(
            gettext("取消的执业地点"),
            f"{extra.institution.name}（{extra.location.full_name}）" if extra else "—",
        )
    elif kind == Kind.TO_MILITARY:
        add(gettext("变更到军队单位"), application.military_unit or "—")
    elif kind == Kind.DEREGISTER:
        reason = application.deregistration_reason
        add(gettext("注销情形"), reason.name if reason else "—")
    elif kind == Kind.ARCHIVE:
        reason = application.filing_reason
        add(gettext("备案情形"), reason.name if reason else "—")
    elif kind == Kind.RENAME:
        add(gettext("变更后机构名称"), application.new_institution_name or "—")
    else:  # 证书补办, 申领电子证照
        add(gettext("申请事项"), application.get_kind_display())
    return rows
