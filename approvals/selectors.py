"""Reads of the reviewers' workflow (APP-1, APP-2): the queue with what its rows show, overdue ones, materials lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from docregsys.reference.selectors import province_code_for
from registrations.models import Application, MaterialList, State
from registrations.rules import APPROVE, Draft, Person, application_refusals
from registrations.selectors import application_list_for

# What a row of the queue shows: the institution, the authority and the record (category, 执业证书编码).
ROW_RELATED = ("institution", "authority__region", "record")


def application_queue_for(*, user) -> QuerySet[Application]:
    """The reviewer's applications (APP-1 scope) with what each row of a list shows, in one query."""
    return application_list_for(user=user).select_related(*ROW_RELATED)


def overdue_q(today=None) -> Q:
    """Awaiting the authority past its due date (SPEC §12: overdue ones stand out)."""
    today = today or timezone.localdate()
    return Q(state=State.AGREED, due_date__lt=today)


def category_q(category: str) -> Q:
    """医师类别 of an application: the requested one, else (注销, 备案 …) the record's."""
    return Q(category=category) | Q(category="", record__category=category)


def material_list_list_for(*, user) -> QuerySet[MaterialList]:
    """申请材料清单 of the reviewer's province; every province's for the national level and superusers."""
    province = province_code_for(user)
    if province is None:
        return MaterialList.objects.none()
    qs = MaterialList.objects.select_related("province")
    return qs.filter(province_id=province) if province else qs


def application_approval_refusals(application: Application) -> list:
    """What would refuse 批准 today (REG-5: the rules against today's records), for the confirmation page;
    the service checks again under the row lock."""
    return application_refusals(
        person=Person.of_application(application), draft=Draft.of(application), stage=APPROVE, application_id=application.pk
    )
