"""/api/v1/institution/verify/…/: INS-8 医师验证 for REST clients: POST {"id_number"} → what the records say."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from docregsys.identity.validators import validate_resident_id
from docregsys.openapi import refusals
from registrations.models import DoctorLookup
from registrations.services.lookups import doctor_lookup

from ..views.verify import lookup_cards
from .officers import console_officer


class LookupInputSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=30, help_text=_("18位居民身份证号码"))

    def validate_id_number(self, value):
        try:
            return validate_resident_id(value).number
        except ValidationError as exc:  # ID-1's Chinese message, on the field
            raise serializers.ValidationError(exc.messages[0], code=exc.code or "invalid") from None


class LookupItemSerializer(serializers.Serializer):
    section = serializers.ChoiceField(
        choices=["certificates", "passed_exams", "assessments", "practice_records"],
        help_text=_("记录类型"),
    )
    title = serializers.CharField()
    fields = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text=_("字段 → 内容"))


class LookupResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    found = serializers.IntegerField(help_text=_("本次查询共查到的条数"))
    real_name = serializers.CharField(allow_blank=True)
    id_number_masked = serializers.CharField()
    items = LookupItemSerializer(many=True)


def _answer(result) -> dict:
    return {
        "kind": result.kind,
        "found": result.found,
        "real_name": result.real_name,
        "id_number_masked": result.id_number_masked,
        "items": [
            {
                "section": section,
                "title": str(title),
                "fields": {key: "" if value is None else str(value) for key, _label, value in fields},
            }
            for section, title, fields in lookup_cards(result)
        ],
    }


def _lookup(kind: str, summary: str):
    @extend_schema(
        request=LookupInputSerializer,
        responses={200: LookupResultSerializer, **refusals(429)},
        tags=["institution"],
        summary=summary,
    )
    @api_view(["POST"])
    def view(request):
        user = console_officer(request)
        serializer = LookupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = doctor_lookup(user=user, kind=kind, id_number=serializer.validated_data["id_number"])
        return Response(_answer(result))

    view.__name__ = view.cls.__name__ = f"verify_{kind}"
    view.__doc__ = view.cls.__doc__ = (
        f"INS-8 {summary}: audited; at most DOCTOR_LOOKUP_DAILY_LIMIT a day per officer (setting) (429)."
    )
    return view


verify_qualification = _lookup(DoctorLookup.Kind.QUALIFICATION, "医师资格信息验证")
verify_registration = _lookup(DoctorLookup.Kind.REGISTRATION, "医师注册信息验证")
verify_credit = _lookup(DoctorLookup.Kind.CREDIT, "医师信用验证")

urlpatterns: list = [
    path("verify/qualification/", verify_qualification, name="verify_qualification"),
    path("verify/registration/", verify_registration, name="verify_registration"),
    path("verify/credit/", verify_credit, name="verify_credit"),
]
