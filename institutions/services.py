"""Writes for institutions: deactivation instead of deletion (APP-3), authority settings (INS-2), departments (INS-3)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused, refused_on
from docregsys.identity.normalize import normalize_text, refuse_invisible
from docregsys.reference.models import Authority, Category
from docregsys.reference.selectors import region_list_for, region_prefix_for

from .models import Department, Institution, InstitutionAuthority
from .selectors import authority_allowed_for, institution_list_for


@transaction.atomic
def institution_deactivate(*, institutions, actor) -> int:
    """Deactivate the given active institutions, one history row each; returns how many changed."""
    changed = 0
    for institution in institutions.select_for_update().filter(is_active=True):
        institution.is_active = False
        institution._history_user = actor
        institution.save(update_fields=["is_active"])
        changed += 1
    return changed


# ------------------------------------------------------------------ INS-2 审批机关设置


def _refuse_out_of_scope(actor, institution) -> None:
    if not institution_list_for(user=actor).filter(pk=institution.pk).exists():
        raise TransitionRefused(_("该医疗机构不在您的管理范围内。"), code="not_your_institution")


@transaction.atomic
def institution_authority_set(*, actor, institution: Institution, category: str, authority: Authority):
    """INS-2: the authority that approves this institution's doctors of one category (one history row per change)."""
    _refuse_out_of_scope(actor, institution)
    if category not in Category.values:
        raise TransitionRefused(_("请选择医师类别。"), code="invalid_category", field="category")
    if not authority_allowed_for(authority=authority, region_code=institution.region_id, category=category):
        raise TransitionRefused(
            _("只能选择本机构所在县（区）、市、省的审批机关（中医类别还可选择中医药管理部门），请重新选择。"),
            code="authority_not_allowed",
            field="authority",
        )
    # The institution's row is the lock: two officers setting a category for the first time at once would
    # both find no setting to lock and both insert (the second a unique-constraint error).
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    setting = InstitutionAuthority.objects.filter(institution=institution, category=category).first()
    if setting is not None and setting.authority_id == authority.pk:
        return setting  # nothing changes: no history row
    setting = setting or InstitutionAuthority(institution=institution, category=category)
    setting.authority = authority
    setting._history_user = actor
    setting.save()
    return setting


# ------------------------------------------------------------------ INS-3 科室


def _department_name(value) -> str:
    name = normalize_text(value)
    with refused_on("name"):
        refuse_invisible(name, label=_("科室名称"))
    if not name:
        raise TransitionRefused(_("请输入要设置的科室名称。"), code="required", field="name")
    limit = Department._meta.get_field("name").max_length
    if len(name) > limit:
        raise TransitionRefused(
            _("科室名称不能超过%(limit)d个字。") % {"limit": limit}, code="max_length", field="name"
        )
    return name


@transaction.atomic
def department_create(*, actor, institution: Institution, name: str, subjects) -> Department:
    """INS-3: a department of the institution with one or more treatment subjects (names unique per institution)."""
    _refuse_out_of_scope(actor, institution)
    name = _department_name(name)
    subjects = list(subjects)
    if not subjects:
        raise TransitionRefused(_("请为设置的科室选择诊疗科目。"), code="no_subjects", field="subjects")
    # The institution row is locked so that two officers adding the same name get one department, one refusal.
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    if Department.objects.filter(institution=institution, name=name).exists():
        raise TransitionRefused(
            _("本院已有名为“%(name)s”的科室。") % {"name": name}, code="department_exists", field="name"
        )
    department = Department(institution=institution, name=name)
    department._history_user = actor
    department.save()
    department.subjects.set(subjects)
    return department


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    """INS-3: delete a department no practice record is assigned to (its history rows keep it)."""
    _refuse_out_of_scope(actor, department.institution)
    department = Department.objects.select_for_update().get(pk=department.pk)
    assigned = department.practice_records.count()
    if assigned:
        raise TransitionRefused(
            _("该科室还有%(count)d名医师，请先为他们设置其他科室后再删除。") % {"count": assigned},
            code="department_in_use",
        )
    department._history_user = actor
    department.delete()


# ------------------------------------------------------------------ APP-3: reviewers create and edit institutions

# What a reviewer sets on an institution (the admin's InstitutionAdmin fieldsets; the API's create/update).
INSTITUTION_FIELDS = (
    "name",
    "registration_number",
    "region",
    "address",
    "postcode",
    "licence_number",
    "licence_valid_until",
    "is_active",
    "subjects",
)
_TEXT_LABELS = {
    "name": _("机构标准名称"),
    "registration_number": _("登记号"),
    "address": _("地址"),
    "licence_number": _("执业许可证号"),
}


def _institution_text(field: str, value) -> str:
    text = normalize_text(value)
    with refused_on(field):
        refuse_invisible(text, label=_TEXT_LABELS[field])
    limit = Institution._meta.get_field(field).max_length
    if len(text) > limit:
        raise TransitionRefused(
            _("%(label)s不能超过%(limit)d个字。") % {"label": _TEXT_LABELS[field], "limit": limit},
            code="max_length",
            field=field,
        )
    return text


def _institution_cleaned(*, actor, values: dict) -> dict:
    """The values of an institution as the rules want them (NFKC, bounded, in the actor's region)."""
    cleaned = dict(values)
    for field in ("name", "registration_number", "address", "licence_number"):
        if field in cleaned:
            cleaned[field] = _institution_text(field, cleaned[field])
    for field in ("name", "registration_number"):
        if field in cleaned and not cleaned[field]:
            raise TransitionRefused(
                _("请输入%(label)s。") % {"label": _TEXT_LABELS[field]}, code="required", field=field
            )
    if "postcode" in cleaned:
        postcode = normalize_text(cleaned["postcode"])
        if postcode and not (len(postcode) == 6 and postcode.isdigit() and postcode.isascii()):
            raise TransitionRefused(_("邮政编码应为6位数字。"), code="invalid_postcode", field="postcode")
        cleaned["postcode"] = postcode
    if "region" in cleaned and not region_list_for(user=actor).filter(pk=cleaned["region"].pk).exists():
        raise TransitionRefused(
            _("只能选择您管辖范围内的行政区划。"), code="region_out_of_scope", field="region"
        )
    return cleaned


def _refuse_taken_registration_number(number: str, *, exclude_pk=None) -> None:
    taken = Institution.objects.filter(registration_number=number).exclude(pk=exclude_pk)
    if taken.exists():
        raise TransitionRefused(
            _("登记号“%(number)s”已被其他医疗机构使用。") % {"number": number},
            code="registration_number_taken",
            field="registration_number",
        )


def _refuse_non_reviewer(actor) -> None:
    if region_prefix_for(actor) is None:
        raise TransitionRefused(_("只有审批人员可以管理医疗机构。"), code="not_reviewer")


@transaction.atomic
def institution_create(*, actor, name, registration_number, region, subjects=(), **values) -> Institution:
    """APP-3: a new institution in the reviewer's region (one history row, by the reviewer)."""
    _refuse_non_reviewer(actor)
    cleaned = _institution_cleaned(
        actor=actor,
        values={"name": name, "registration_number": registration_number, "region": region, **values},
    )
    _refuse_taken_registration_number(cleaned["registration_number"])
    institution = Institution(**cleaned)
    institution._history_user = actor
    institution.save()
    if subjects:
        institution.subjects.set(subjects)
    return institution


@transaction.atomic
def institution_update(*, actor, institution: Institution, **changes) -> Institution:
    """APP-3: change an institution in the reviewer's region; it must stay there (one history row per save)."""
    _refuse_non_reviewer(actor)
    locked = (
        institution_list_for(user=actor).select_for_update(of=("self",)).filter(pk=institution.pk).first()
    )
    if locked is None:
        raise TransitionRefused(_("该医疗机构不在您的管理范围内。"), code="not_your_institution")
    subjects = changes.pop("subjects", None)
    cleaned = _institution_cleaned(actor=actor, values=changes)
    if "registration_number" in cleaned:
        _refuse_taken_registration_number(cleaned["registration_number"], exclude_pk=locked.pk)
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked._history_user = actor
    locked.save()
    if subjects is not None:
        locked.subjects.set(subjects)
    return locked
