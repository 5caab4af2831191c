"""/api/v1/institution/: the doctors' accounts of the officer's institution — INS-4 activation codes, INS-9
revocation and login reset (API-1). Doctors are named by their account id, never by an ID number; another
institution's doctor is a 404.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from accounts.forms.doctor_accounts import DoctorNameSearchForm
from accounts.selectors import activation_rows, doctor_account_list_for
from accounts.services.activation import activation_code_issue, activation_code_issue_all
from accounts.services.recovery import doctor_login_reset_by_institution
from accounts.services.revocation import REASON_MAX, doctor_account_revoke
from docregsys.openapi import refusals

from .officers import console_officer

TAGS = ["institution"]


def _doctor(request, pk: int):
    return get_object_or_404(doctor_account_list_for(user=console_officer(request)), pk=pk)


class ActivationRowSerializer(serializers.Serializer):
    """One line of 医师账户激活 (INS-4); the code is masked (5P...K)."""

    id = serializers.IntegerField(source="doctor.pk", help_text="the doctor's account id")
    real_name = serializers.CharField(source="doctor.real_name")
    id_number_masked = serializers.CharField(source="doctor.id_number_masked")
    date_joined = serializers.DateTimeField(source="doctor.date_joined")
    code_masked = serializers.CharField()
    code_created_at = serializers.DateTimeField(allow_null=True)
    activated = serializers.BooleanField(source="doctor.is_activated")
    activated_at = serializers.DateTimeField(source="doctor.activated_at", allow_null=True)
    checked = serializers.SerializerMethodField()
    issuable = serializers.BooleanField(help_text="a code may be generated now")
    state = serializers.CharField(help_text="操作 column: 正常激活, 激活码已发送到手机, 尚未发送 …")

    def get_checked(self, row) -> bool:
        return row.doctor.checked_at is not None


NAME = OpenApiParameter("name", OpenApiTypes.STR, description="医师姓名 (part of it)")


class ActivationList(generics.ListAPIView):
    """INS-4 医师账户激活: the institution's doctors, newest code masked, and whether a code may be generated."""

    serializer_class = ActivationRowSerializer
    filter_backends: list = []

    def get_queryset(self):
        doctors = doctor_account_list_for(user=console_officer(self.request))
        form = DoctorNameSearchForm(self.request.query_params)
        if not form.is_valid():
            return doctors.none()
        if name := form.cleaned_data["name"]:
            doctors = doctors.filter(real_name__contains=name)
        return doctors

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(activation_rows(page), many=True).data)


activation_list = extend_schema(parameters=[NAME], tags=TAGS)(ActivationList).as_view()


class IssuedCodeSerializer(serializers.Serializer):
    """The new code: in this answer once (it also went to the doctor's verified phone or e-mail)."""

    doctor = serializers.IntegerField(source="doctor_id")
    code = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


@extend_schema(request=None, responses={201: IssuedCodeSerializer, **refusals(409)}, tags=TAGS)
@api_view(["POST"])
def activation_issue(request, pk: int):
    """INS-4 生成激活码 for one doctor; 409 when the doctor is activated, unchecked or has no verified phone/e-mail."""
    doctor = _doctor(request, pk)
    record = activation_code_issue(
        doctor=doctor, institution=request.user.institution, issued_by=request.user
    )
    return Response(IssuedCodeSerializer(record).data, status=status.HTTP_201_CREATED)


class IssueAllInputSerializer(serializers.Serializer):
    renew = serializers.BooleanField(
        default=False, help_text="also replace the unused, unexpired codes doctors already hold"
    )


class IssueAllSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="how many codes were generated and sent")


@extend_schema(request=IssueAllInputSerializer, responses={200: IssueAllSerializer}, tags=TAGS)
@api_view(["POST"])
def activation_issue_all(request):
    """INS-4 为全部符合条件的医师生成激活码: every eligible doctor of the institution, in one request."""
    officer = console_officer(request)
    serializer = IssueAllInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    count = activation_code_issue_all(
        institution=officer.institution, issued_by=officer, renew=serializer.validated_data["renew"]
    )
    return Response({"issued": count})


class RevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="撤销原因")


class RevocationSerializer(serializers.Serializer):
    """The audit row of the revocation (the account itself is gone)."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    real_name = serializers.CharField()
    id_number_masked = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


@extend_schema(request=RevokeInputSerializer, responses={200: RevocationSerializer}, tags=TAGS)
@api_view(["POST"])
def doctor_revoke(request, pk: int):
    """INS-9 撤销医师账户: {"reason"}; the account is deleted, the doctor may sign up again."""
    doctor = _doctor(request, pk)
    serializer = RevokeInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    revocation = doctor_account_revoke(
        officer=request.user, doctor=doctor, reason=serializer.validated_data["reason"]
    )
    return Response(RevocationSerializer(revocation).data)


class LoginResetSerializer(serializers.Serializer):
    """Where the new one-time password went (masked); the password itself is never in an answer."""

    channel = serializers.ChoiceField(choices=["sms", "email"])
    destination_masked = serializers.CharField()


@extend_schema(request=None, responses={200: LoginResetSerializer, **refusals(409)}, tags=TAGS)
@api_view(["POST"])
def doctor_login_reset(request, pk: int):
    """INS-9 重置登录密码: a one-time password to the doctor's verified phone (else e-mail); 409 without one."""
    doctor = _doctor(request, pk)
    result = doctor_login_reset_by_institution(officer=request.user, doctor=doctor)
    return Response(LoginResetSerializer(result).data)


urlpatterns = [
    path("activation/", activation_list, name="activation"),
    path("activation/issue-all/", activation_issue_all, name="activation_issue_all"),
    path("activation/<int:pk>/issue/", activation_issue, name="activation_issue"),
    path("doctor-accounts/<int:pk>/revoke/", doctor_revoke, name="doctor_revoke"),
    path("doctor-accounts/<int:pk>/reset-login/", doctor_login_reset, name="doctor_login_reset"),
]
