"""The reviewer API's list filters: those of the admin's changelist (APP-1)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from docregsys.reference.models import Category
from registrations.models import Application, Kind, State

from ..selectors import category_q, overdue_q


class ApplicationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("业务类型"))
    category = django_filters.ChoiceFilter(
        choices=Category.choices, method="by_category", label=_("医师类别")
    )
    # Bounded: a number beyond the database's integer is a 400, not an OverflowError.
    institution = django_filters.NumberFilter(
        field_name="institution_id", min_value=1, max_value=2**31 - 1, label=_("确认机构（编号）")
    )
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("办理状态"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("申请时间起（含）")
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("申请时间止（含）")
    )
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("是否已超过办理时限"))
    name = django_filters.CharFilter(
        field_name="real_name", lookup_expr="icontains", max_length=28, label=_("姓名（包含）")
    )
    certificate_number = django_filters.CharFilter(
        field_name="record__certificate_number", max_length=32, label=_("执业证书编码")
    )

    class Meta:
        model = Application
        fields: list = []

    def by_category(self, queryset, name, value):
        return queryset.filter(category_q(value)) if value else queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
