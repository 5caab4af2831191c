"""Institution API: 本院执业医师信息 (INS-5): the six doctor lists with the pages' filters, and one doctor."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.selectors import AccountState, with_account_state
from docregsys.api import error_response
from docregsys.openapi import refusals
from docregsys.pagination import ProjectPagination
from printing.kinds import kind_of
from printing.selectors import documents_current_of
from printing.views import document_download_response
from registrations.models import PracticeRecord
from registrations.selectors import doctor_record_list_for

from ..views.doctor_lists import ALL, KINDS, NO, YES, filtered, record_of
from .officers import is_console_officer


def _not_officer():
    return error_response(
        _("只有医疗机构的管理员可以查看本院医师信息。"),
        code="not_officer",
        status_code=status.HTTP_403_FORBIDDEN,
    )


def _not_found():
    return error_response(
        _("未找到该医师，或不在本院范围内。"), code="not_found", status_code=status.HTTP_404_NOT_FOUND
    )


class DoctorRowSerializer(serializers.Serializer):
    """One row of a list: the doctor's record, and for filings / 多地点 where and since when."""

    record_id = serializers.IntegerField()
    real_name = serializers.CharField()
    sex = serializers.CharField(help_text=_("性别：M 男，F 女，空为未知"))
    age = serializers.IntegerField(allow_null=True)
    category = serializers.CharField()
    category_display = serializers.CharField()
    level = serializers.CharField()
    level_display = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    certificate_number = serializers.CharField()
    main_institution = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    account_state = serializers.ChoiceField(
        choices=list(AccountState.LABELS), allow_null=True, help_text=_("医师账户状态（主执业、备案列表）")
    )
    info_changed = serializers.BooleanField()
    info_reviewed_at = serializers.DateTimeField(allow_null=True)
    institution = serializers.CharField(allow_null=True, help_text=_("备案或多地点的执业机构"))
    filing_scopes = serializers.ListField(child=serializers.CharField(), allow_null=True)
    since = serializers.DateField(allow_null=True, help_text=_("备案日期或多地点批准日期"))


def _row(kind, row) -> dict:
    record = record_of(row)
    data = {
        "record_id": record.pk,
        "real_name": record.real_name,
        "sex": record.sex,
        "age": record.age,
        "category": record.category,
        "category_display": record.get_category_display(),
        "level": record.level,
        "level_display": record.get_level_display(),
        "scopes": [scope.name for scope in record.scopes.all()],
        "certificate_number": record.certificate_number,
        "main_institution": record.main_institution.name,
        "department": None,
        "account_state": None,
        "info_changed": record.info_reviewed_at is not None,
        "info_reviewed_at": record.info_reviewed_at,
        "institution": None,
        "filing_scopes": None,
        "since": None,
    }
    if kind.record_rows:
        data.update(
            department=record.department.name if record.department else None,
            account_state=row.account_state,
        )
    else:
        data["institution"] = row.institution.name
        if hasattr(row, "filed_on"):
            data.update(filing_scopes=[s.name for s in row.scopes.all()], since=row.filed_on)
        else:
            data["since"] = row.approved_on
    return data


class _Pagination(ProjectPagination):
    page_size = 20


class DoctorPageSerializer(serializers.Serializer):
    """One page of a list, as DRF's page-number pagination gives it."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DoctorRowSerializer(many=True)


_KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    enum=list(KINDS),
    required=True,
    description="main 主执业机构在本院医师，filed_out 本院多执业机构备案医师，filed_in 外院在本院多执业机构医师，locations_out 本院多地点医师，locations_in 多地点执业在本院医师，archived 本院备案医师",
)
_FILTERS = [
    _KIND,
    OpenApiParameter("name", OpenApiTypes.STR, description="医师姓名（包含）"),
    OpenApiParameter("department", OpenApiTypes.INT, description="所在科室 id（main、archived）"),
    OpenApiParameter("changed", OpenApiTypes.STR, enum=[ALL, YES, NO], description="信息修改：是 yes，否 no"),
    OpenApiParameter("page", OpenApiTypes.INT),
]


@extend_schema(
    parameters=_FILTERS,
    responses={200: DoctorPageSerializer, **refusals(400)},
    tags=["institution"],
    operation_id="institution_doctors_list",
)
@api_view(["GET"])
def doctor_list(request):
    """One of the six INS-5 lists of the officer's institution, filtered and paged like the page."""
    if not is_console_officer(request.user):
        return _not_officer()
    kind = KINDS.get(request.query_params.get("kind", ""))
    if kind is None:
        return error_response(
            _("请选择列表：%(kinds)s。") % {"kinds": "、".join(KINDS)}, code="invalid", field="kind"
        )
    form, qs = filtered(kind, user=request.user, data=request.query_params)
    if form.errors:
        field, errors = next(iter(form.errors.items()))
        return error_response(errors[0], code="invalid", field=field)
    paginator = _Pagination()
    page = paginator.paginate_queryset(qs, request)
    return paginator.get_paginated_response(
        DoctorRowSerializer([_row(kind, r) for r in page], many=True).data
    )


class FilingSerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.name")
    scopes = serializers.SerializerMethodField()
    filed_on = serializers.DateField()
    state = serializers.CharField()
    cancelled_on = serializers.DateField(allow_null=True)

    def get_scopes(self, filing) -> list[str]:
        return [scope.name for scope in filing.scopes.all()]


class ExtraLocationSerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.name")
    location = serializers.CharField(source="location.full_name")
    approved_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    cancelled_on = serializers.DateField(allow_null=True)


class DoctorDetailSerializer(serializers.Serializer):
    """查看详细信息: the registration (ID number masked), filings, 多地点 and account state."""

    id = serializers.IntegerField()
    real_name = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    id_number_masked = serializers.CharField()
    level = serializers.CharField()
    category = serializers.CharField()
    scopes = serializers.SerializerMethodField()
    certificate_number = serializers.CharField()
    location = serializers.CharField(source="location.full_name")
    main_institution = serializers.CharField(source="main_institution.name")
    authority = serializers.CharField(source="authority.name")
    approval_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    education = serializers.CharField()
    school = serializers.CharField()
    major = serializers.CharField()
    title = serializers.CharField()
    info_reviewed_at = serializers.DateTimeField(allow_null=True)
    account_state = serializers.ChoiceField(choices=list(AccountState.LABELS))
    filings = FilingSerializer(many=True)
    extra_locations = ExtraLocationSerializer(many=True)

    def get_scopes(self, record) -> list[str]:
        return [scope.name for scope in record.scopes.all()]


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="执业注册 id")],
    responses=DoctorDetailSerializer,
    tags=["institution"],
    operation_id="institution_doctors_retrieve",
)
@api_view(["GET"])
def doctor_detail(request, id: str):  # noqa: A002 - the path's name in the schema
    """A doctor the officer may see (main institution theirs, or filed / 多地点 there); others are 404."""
    if not is_console_officer(request.user):
        return _not_officer()
    if not id.isascii() or not id.isdigit() or len(id) > 18:  # the route takes any text: a JSON 404, not HTML
        return _not_found()
    record = (
        with_account_state(doctor_record_list_for(user=request.user))
        .select_related("location", "main_institution", "authority")
        .prefetch_related(
            "scopes",
            "filings__institution",
            "filings__scopes",
            "extra_locations__institution",
            "extra_locations__location",
        )
        .filter(pk=int(id))
        .first()
    )
    if record is None:
        return _not_found()
    return Response(DoctorDetailSerializer(record).data)


@extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="执业注册 id")],
    responses={
        (200, "application/pdf"): OpenApiResponse(
            OpenApiTypes.BINARY, description=_("该医师当前的电子证照 PDF（经电子签名）")
        ),
    },
    tags=["institution"],
    operation_id="institution_doctors_certificate_retrieve",
)
@api_view(["GET"])
def doctor_certificate(request, id: str):  # noqa: A002 - the path's name in the schema
    """查看电子证照 (PRN-3): the current certificate of a doctor whose main institution is the officer's;
    404 for anyone else's doctor, a record that is not 有效 or a certificate not yet rendered."""
    if not is_console_officer(request.user):
        return _not_officer()
    if not id.isascii() or not id.isdigit() or len(id) > 18:
        return _not_found()
    record = (
        doctor_record_list_for(user=request.user)
        .filter(pk=int(id), main_institution_id=request.user.institution_id, state=PracticeRecord.State.VALID)
        .first()
    )
    document = (
        documents_current_of(kind="certificate", subject_ids=[record.pk]).get(record.pk) if record else None
    )
    if document is None or document.state != document.State.DONE:
        return _not_found()
    return document_download_response(document, filename=kind_of("certificate").filename(document))


urlpatterns = [
    path("doctors/", doctor_list, name="doctors"),
    path("doctors/<str:id>/", doctor_detail, name="doctor"),
    path("doctors/<str:id>/certificate/", doctor_certificate, name="doctor_certificate"),
]
