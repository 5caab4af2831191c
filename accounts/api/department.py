"""/api/v1/accounts/department/: 我的科室 (REG-8) — the departments to pick from (GET) and the choice (PUT)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.api import error_response
from docregsys.openapi import refusals
from institutions.selectors import departments_of

from ..selectors import activation_next_step, department_record_for
from ..services.departments import doctor_department_set


class DepartmentOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    subjects = serializers.SerializerMethodField()

    def get_subjects(self, department) -> list[dict]:
        return [{"code": s.code, "name": s.name} for s in department.subjects.all()]


class MyDepartmentSerializer(serializers.Serializer):
    """The main institution of the valid record (null without one), the current department and the choices."""

    institution = serializers.CharField(allow_null=True)
    department = serializers.IntegerField(allow_null=True, help_text="当前科室 id，未设置为 null")
    choices = DepartmentOptionSerializer(many=True)


class MyDepartmentSetSerializer(serializers.Serializer):
    department = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="科室 id")


def _refusal(user):
    """403 for anyone but an activated doctor, in the API's error shape."""
    if not user.is_authenticated or not user.is_doctor or user.is_superuser:
        return error_response(
            _("只有医师账户可以设置本人所在科室。"), code="not_doctor", status_code=status.HTTP_403_FORBIDDEN
        )
    step = activation_next_step(user)
    if step is not None:
        return error_response(
            f"{step.reason}{_('下一步：')}{step.label}",
            code="not_activated",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    return None


def _state(record, departments) -> dict:
    return {
        "institution": record.main_institution.name if record else None,
        "department": record.department_id if record else None,
        "choices": departments,
    }


class MyDepartmentView(APIView):
    """我的科室: an activated doctor's department of the main institution of their valid record."""

    @extend_schema(responses={200: MyDepartmentSerializer}, tags=["accounts"])
    def get(self, request):
        """The main institution, the current department and the departments to pick from."""
        user = request.user
        if (refused := _refusal(user)) is not None:
            return refused
        record = department_record_for(user)
        return Response(MyDepartmentSerializer(_state(record, _departments(record))).data)

    @extend_schema(
        request=MyDepartmentSetSerializer,
        responses={200: MyDepartmentSerializer, **refusals(400)},
        tags=["accounts"],
    )
    def put(self, request):
        """Pick a department of the main institution (400, department_not_here, for any other)."""
        user = request.user
        if (refused := _refusal(user)) is not None:
            return refused
        serializer = MyDepartmentSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = department_record_for(user)
        if record is None:
            return error_response(
                _("您目前没有有效的执业注册，无法选择科室。"), code="record_not_here", field="department"
            )
        departments = _departments(record)
        department = departments.filter(pk=serializer.validated_data["department"]).first()
        record = doctor_department_set(actor=user, record=record, department=department)
        return Response(MyDepartmentSerializer(_state(record, departments)).data)


def _departments(record):
    return departments_of(record.main_institution_id if record else None)


urlpatterns = [
    path("department/", MyDepartmentView.as_view(), name="my_department"),
]
