"""/api/v1/accounts/me/ and me/records/: the logged-in user's profile and a doctor's own records (ACC-8)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from docregsys.api import error_response
from docregsys.identity.crypto import mask_id_number

from ..selectors import activation_next_step, assessments_for, doctor_records


class ProfileSerializer(serializers.Serializer):
    """Who is logged in; identity and contact details masked."""

    username = serializers.CharField()
    real_name = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    id_number_masked = serializers.CharField()
    phone_masked = serializers.CharField()
    phone_verified = serializers.BooleanField()
    email_masked = serializers.CharField()
    email_verified = serializers.BooleanField()
    checked = serializers.SerializerMethodField()
    activated = serializers.BooleanField(source="is_activated")
    activation_path = serializers.CharField()
    activated_at = serializers.DateTimeField(allow_null=True)
    next_step = serializers.SerializerMethodField(
        help_text="未激活医师的下一步（label, url, reason）；其他情况为 null"
    )

    def get_checked(self, user) -> bool:
        return user.checked_at is not None

    def get_next_step(self, user) -> dict | None:
        step = activation_next_step(user)
        return (
            None if step is None else {"label": str(step.label), "url": step.url, "reason": str(step.reason)}
        )


class MaskedCertificateNumberField(serializers.CharField):
    """资格证书编码 = year + province + category + the holder's full ID number (X-3): masked like the ID.

    Masked even here, for the doctor: API answers end up in clients' caches and logs; the one place that
    shows the whole number is the doctor's own 资格信息 page.
    """

    def to_representation(self, value):
        return mask_id_number(value) if value else ""


class CertificateSerializer(serializers.Serializer):
    number = MaskedCertificateNumberField(help_text=_("资格证书编码（部分隐藏）"))
    level = serializers.CharField(source="get_level_display")
    category = serializers.CharField(source="get_category_display")
    year_obtained = serializers.IntegerField()
    school = serializers.CharField()
    major = serializers.CharField()
    issuing_authority = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    origin = serializers.CharField(source="get_origin_display")


class ExamSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    exam_category = serializers.CharField(source="exam_category.name")
    admission_ticket = serializers.CharField()
    exam_area = serializers.CharField()


class PracticeRecordSerializer(serializers.Serializer):
    certificate_number = serializers.CharField()
    qualification_number = MaskedCertificateNumberField(help_text=_("资格证书编码（部分隐藏）"))
    level = serializers.CharField(source="get_level_display")
    category = serializers.CharField(source="get_category_display")
    scopes = serializers.SerializerMethodField()
    location = serializers.CharField(source="location.full_name")
    main_institution = serializers.CharField(source="main_institution.name")
    authority = serializers.CharField(source="authority.name")
    approval_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")

    def get_scopes(self, record) -> list[str]:
        return [scope.name for scope in record.scopes.all()]  # prefetched by the selector


class AssessmentSerializer(serializers.Serializer):
    cycle = serializers.CharField()
    assessing_body = serializers.CharField()
    result = serializers.CharField()
    result_display = serializers.CharField(source="get_result_display")


class RecordsSerializer(serializers.Serializer):
    certificates = CertificateSerializer(many=True)
    passed_exams = ExamSerializer(many=True)
    practice_records = PracticeRecordSerializer(many=True)
    assessments = AssessmentSerializer(many=True)


@extend_schema(responses=ProfileSerializer, tags=["accounts"])
@api_view(["GET"])
def me(request):
    """The logged-in user's profile, any role."""
    return Response(ProfileSerializer(request.user).data)


@extend_schema(responses=RecordsSerializer, tags=["accounts"])
@api_view(["GET"])
def me_records(request):
    """An activated doctor's certificates, passed exams, practice records and assessments."""
    user = request.user
    if not user.is_doctor or user.is_superuser:
        return error_response(
            _("只有医师账户可以查看本人的资格和执业信息。"),
            code="not_doctor",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    step = activation_next_step(user)
    if step is not None:
        return error_response(
            f"{step.reason}{_('下一步：')}{step.label}",
            code="not_activated",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    records = doctor_records(user)
    data = {
        "certificates": records.certificates,
        "passed_exams": records.passed_exams,
        "practice_records": records.practice_records,
        "assessments": assessments_for(user),
    }
    return Response(RecordsSerializer(data).data)


urlpatterns = [
    path("me/", me, name="me"),
    path("me/records/", me_records, name="me_records"),
]
