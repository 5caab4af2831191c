"""Institution API: 系统功能 — authority settings (INS-2), departments and doctors' departments (INS-3).

The same services as the console pages; every object is fetched through the officer's scope, so another
institution's department or record is a 404.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services.departments import doctor_department_set
from docregsys.openapi import refusals
from docregsys.reference.models import Authority, Category, TreatmentSubject
from institutions.selectors import authority_settings_of, department_list_for, departments_of
from institutions.services import department_create, department_delete, institution_authority_set
from registrations.selectors import practice_record_list_for

from .officers import console_officer


class AuthorityOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AuthoritySettingSerializer(serializers.Serializer):
    """One category: its current authority (null when unset) and the authorities it may be set to."""

    category = serializers.CharField()
    label = serializers.CharField()
    current = AuthorityOutSerializer(allow_null=True)
    choices = AuthorityOutSerializer(many=True)


class AuthoritySetSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    authority = serializers.PrimaryKeyRelatedField(queryset=Authority.objects.all())


def _settings(user):
    return AuthoritySettingSerializer(authority_settings_of(user.institution), many=True).data


class AuthoritiesView(APIView):
    """审批机关设置 (INS-2): the four categories; PUT {category, authority} sets one."""

    @extend_schema(responses={200: AuthoritySettingSerializer(many=True)}, tags=["institution"])
    def get(self, request):
        """The four categories with their current authority and the allowed choices."""
        return Response(_settings(console_officer(request)))

    @extend_schema(
        request=AuthoritySetSerializer,
        responses={200: AuthoritySettingSerializer(many=True)},
        tags=["institution"],
    )
    def put(self, request):
        """Set one category's authority; refused (400, authority_not_allowed) outside the county, city, province."""
        user = console_officer(request)
        serializer = AuthoritySetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        institution_authority_set(
            actor=user,
            institution=user.institution,
            category=serializer.validated_data["category"],
            authority=serializer.validated_data["authority"],
        )
        return Response(_settings(user))


class DepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=50)
    subjects = serializers.SerializerMethodField()

    def get_subjects(self, department) -> list[dict]:
        return [{"code": s.code, "name": s.name} for s in department.subjects.all()]


class DepartmentCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, help_text="科室名称")
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=TreatmentSubject.objects.all(), many=True, help_text="诊疗科目编码"
    )


class DepartmentsView(APIView):
    """本院科室 (INS-3): the list; POST {name, subjects} adds one."""

    @extend_schema(responses={200: DepartmentSerializer(many=True)}, tags=["institution"])
    def get(self, request):
        """The institution's departments with their treatment subjects."""
        user = console_officer(request)
        return Response(DepartmentSerializer(departments_of(user.institution_id), many=True).data)

    @extend_schema(
        request=DepartmentCreateSerializer, responses={201: DepartmentSerializer}, tags=["institution"]
    )
    def post(self, request):
        """Add a department (name unique in the institution, one or more subjects)."""
        user = console_officer(request)
        serializer = DepartmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = department_create(
            actor=user,
            institution=user.institution,
            name=serializer.validated_data["name"],
            subjects=serializer.validated_data["subjects"],
        )
        created = departments_of(user.institution_id).get(pk=department.pk)
        return Response(DepartmentSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={204: None, **refusals(400)}, tags=["institution"])
@api_view(["DELETE"])
def department_detail(request, pk: int):
    """Delete a department; refused (400, department_in_use) while doctors are assigned to it (INS-3)."""
    user = console_officer(request)
    department = get_object_or_404(department_list_for(user=user).select_related("institution"), pk=pk)
    department_delete(actor=user, department=department)
    return Response(status=status.HTTP_204_NO_CONTENT)


class RecordDepartmentSerializer(serializers.Serializer):
    department = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="科室 id")


class RecordDepartmentOutSerializer(serializers.Serializer):
    record = serializers.IntegerField(source="pk")
    department = serializers.IntegerField(source="department_id")


@extend_schema(
    request=RecordDepartmentSerializer,
    responses={200: RecordDepartmentOutSerializer, **refusals(400)},
    tags=["institution"],
)
@api_view(["POST"])
def record_department(request, pk: int):
    """Set the department of an activated doctor's valid record of this institution (INS-3)."""
    user = console_officer(request)
    record = get_object_or_404(practice_record_list_for(user=user), pk=pk)
    serializer = RecordDepartmentSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    department = department_list_for(user=user).filter(pk=serializer.validated_data["department"]).first()
    record = doctor_department_set(actor=user, record=record, department=department)
    return Response(RecordDepartmentOutSerializer(record).data)


urlpatterns = [
    path("authorities/", AuthoritiesView.as_view(), name="authorities"),
    path("departments/", DepartmentsView.as_view(), name="departments"),
    path("departments/<int:pk>/", department_detail, name="department_detail"),
    path("records/<int:pk>/department/", record_department, name="record_department"),
]
