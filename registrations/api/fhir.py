"""HL7 FHIR R4 read/search over practice records (API-2): Practitioner, PractitionerRole, Organization.

Modelled on New Zealand's HPI: the Practitioner carries what the registration says the person may do as
``qualification`` entries (医师级别+类别, each 执业范围, the 执业地点; issuer = the approving authority,
period.start = the approval date); each practising relationship is a PractitionerRole (one per valid
record at its main institution, one per valid multi-institution filing); institutions are Organizations.

The resources are plain dicts built here and validated against the fhir.resources R4B models in the tests.
Nothing personal beyond PUB-1 leaves: no ID number, phone, birth date, sex or address of the person.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.api import exception_handler as project_exception_handler
from docregsys.identity.normalize import has_invisible, nfkc
from registrations.models import PracticeRecord
from registrations.practitioners import (
    FILING,
    RECORD,
    fhir_reader,
    organization_list_for,
    practitioner_number_list_for,
    practitioner_records,
    role_filing_list_for,
    role_filings,
    role_keys,
    role_record_list_for,
    role_records,
)

FHIR_JSON = "application/fhir+json"
DEFAULT_COUNT, MAX_COUNT, MAX_PAGE = 20, 100, 10_000
MAX_PARAM_LENGTH = 200
MAX_KEY_DIGITS = 18  # database keys: more digits cannot exist (and overflow SQLite's integers)

# ------------------------------------------------------------------------------------- naming systems


def fhir_base() -> str:
    """Where this registry's naming systems and code systems live: ``PUBLIC_BASE_URL`` + ``/fhir``."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/fhir"


def identifier_system(name: str) -> str:
    return f"{fhir_base()}/sid/{name}"


def code_system(name: str) -> str:
    return f"{fhir_base()}/CodeSystem/{name}"


def practice_certificate_system() -> str:
    """The NamingSystem of the 执业证书编码 (Practitioner.identifier, ``Practitioner?identifier=``)."""
    return identifier_system("practice-certificate")


ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"

# ---------------------------------------------------------------------------------------- resources

# 复姓: a name starting with one of these (and longer than it) has a two-character family name.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 夏侯 轩辕 宇文 司徒 申屠 端木 南宫 独孤 西门 "
    "呼延 钟离 闻人 澹台 太史 公冶 濮阳 拓跋 万俟 百里 东郭 赫连 单于 公羊 司空 淳于 仲孙 左丘 第五".split()
)
_SEPARATORS = "·•‧・."  # minority names (阿依古丽·买买提): family and given are not first-character rules


def human_name(text: str) -> dict:
    """HumanName of a Chinese name: ``text`` always; family/given split for a plain Han name (复姓 known)."""
    name = {"use": "official", "text": text}
    if len(text) < 2 or any(char in _SEPARATORS for char in text) or not all(_is_han(c) for c in text):
        return name
    family = text[:2] if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else text[0]
    name.update(family=family, given=[text[len(family) :]])
    return name


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def _concept(system: str, code: str, display: str) -> dict:
    return {"coding": [_coding(system, code, display)], "text": display}


def _scope_concept(scope) -> dict:
    return _concept(code_system("practice-scope"), scope.code, scope.name)


def _period(start) -> dict | None:
    return {"start": start.isoformat()} if start else None


def _qualification(concept: dict, record: PracticeRecord) -> dict:
    entry = {"code": concept, "issuer": {"display": record.authority.name}}
    period = _period(record.approval_date)
    if period:
        entry["period"] = period
    return entry


def level_category_concept(record: PracticeRecord) -> dict:
    """医师级别+类别 as one code (``physician-clinical``), shown as the exam centre names it (临床执业医师)."""
    return _concept(
        code_system("practitioner-level-category"),
        f"{record.level}-{record.category}",
        f"{record.get_category_display()}{record.get_level_display()}",
    )


def location_concept(record: PracticeRecord) -> dict:
    """执业地点: a GB/T 2260 region (a province for 执业医师, a county for 执业助理医师)."""
    return _concept(code_system("practice-location"), record.location_id, record.location.full_name)


def practitioner_resource(number: str, records: list[PracticeRecord]) -> dict:
    """The Practitioner of one 执业证书编码 from all its records (newest first): one qualification per
    level+category, scope and location of each valid record; active when one record is valid."""
    valid = [record for record in records if record.state == PracticeRecord.State.VALID]
    named = (valid or records)[0]
    qualifications = []
    for record in valid:
        qualifications.append(_qualification(level_category_concept(record), record))
        qualifications.extend(_qualification(_scope_concept(s), record) for s in record.scopes.all())
        qualifications.append(_qualification(location_concept(record), record))
    resource = {
        "resourceType": "Practitioner",
        "id": number,
        "identifier": [{"use": "official", "system": practice_certificate_system(), "value": number}],
        "active": bool(valid),
        "name": [human_name(named.real_name)],
    }
    if qualifications:
        resource["qualification"] = qualifications
    return resource


ROLE_MAIN = ("main", gettext_lazy("主要执业机构"))
ROLE_FILING = ("filing", gettext_lazy("多执业机构备案"))


def _role(*, role_id, kind, record, institution, scopes, start) -> dict:
    code, display = kind
    resource = {
        "resourceType": "PractitionerRole",
        "id": role_id,
        "active": True,
        "practitioner": {
            "reference": f"Practitioner/{record.certificate_number}",
            "display": record.real_name,
        },
        "organization": {"reference": f"Organization/{institution.pk}", "display": institution.name},
        "code": [_concept(code_system("practitioner-role"), code, str(display))],
        "location": [{"display": record.location.full_name}],
    }
    period = _period(start)
    if period:
        resource["period"] = period
    specialty = [_scope_concept(scope) for scope in scopes]
    if specialty:
        resource["specialty"] = specialty
    return resource


def record_role_resource(record: PracticeRecord) -> dict:
    """The role of a valid record at its main institution (主要执业机构)."""
    return _role(
        role_id=f"record-{record.pk}",
        kind=ROLE_MAIN,
        record=record,
        institution=record.main_institution,
        scopes=record.scopes.all(),
        start=record.approval_date,
    )


def filing_role_resource(filing) -> dict:
    """The role of a valid 多执业机构备案 at the filing institution, with the scopes filed there."""
    return _role(
        role_id=f"filing-{filing.pk}",
        kind=ROLE_FILING,
        record=filing.record,
        institution=filing.institution,
        scopes=filing.scopes.all(),
        start=filing.filed_on,
    )


def organization_resource(institution) -> dict:
    """An institution: 登记号 (and licence number) as identifiers, name, type, where it is, active."""
    identifiers = [
        {
            "use": "official",
            "system": identifier_system("institution-registration"),
            "value": institution.registration_number,
        }
    ]
    if institution.licence_number:
        identifiers.append(
            {"system": identifier_system("institution-licence"), "value": institution.licence_number}
        )
    address = {"use": "work", "district": institution.region.name, "country": "CN"}
    address["text"] = institution.address or institution.region.full_name
    if institution.postcode:
        address["postalCode"] = institution.postcode
    return {
        "resourceType": "Organization",
        "id": str(institution.pk),
        "identifier": identifiers,
        "active": institution.is_active,
        "type": [
            {
                "coding": [_coding(ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
                "text": _("医疗机构"),
            }
        ],
        "name": institution.name,
        "address": [address],
    }


CAPABILITY_DATE = "2026-11-29"  # when what this server can do last changed


def capability_statement(request) -> dict:
    """What this server does (``GET metadata``): read and search of the three resources, JSON only."""

    def resource(kind, *, search=(), profile_text=""):
        entry = {"type": kind, "interaction": [{"code": "read"}]}
        if search:
            entry["interaction"].append({"code": "search-type"})
            entry["searchParam"] = [
                {"name": name, "type": kind_, "documentation": str(doc)} for name, kind_, doc in search
            ]
        if profile_text:
            entry["documentation"] = str(profile_text)
        return entry

    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": CAPABILITY_DATE,
        "publisher": _("医师电子化注册信息系统"),
        "kind": "instance",
        "implementation": {
            "description": _("医师执业注册信息（FHIR R4）"),
            "url": request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata"),
        },
        "fhirVersion": "4.0.1",
        "format": [FHIR_JSON, "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": _(
                        "令牌（Authorization: Token …）或会话认证；医疗机构管理员读取本机构医师，"
                        "审批人员读取本辖区，超级管理员读取全部。"
                    )
                },
                "resource": [
                    resource(
                        "Practitioner",
                        search=[("identifier", "token", _("执业证书编码：<system>|<编码> 或编码"))],
                        profile_text=_(
                            "id 为执业证书编码；qualification：医师级别与类别、执业范围、执业地点。"
                        ),
                    ),
                    resource(
                        "PractitionerRole",
                        search=[
                            ("practitioner", "reference", _("Practitioner/<执业证书编码>")),
                            ("organization", "reference", _("Organization/<id>")),
                        ],
                        profile_text=_("每条有效执业注册（主要执业机构）与每条有效多执业机构备案各一个。"),
                    ),
                    resource("Organization", profile_text=_("医疗机构；identifier 为登记号与执业许可证号。")),
                ],
            }
        ],
    }


# ------------------------------------------------------------------------------------------ outcomes

ISSUE_CODES = {  # HTTP status → OperationOutcome.issue.code (http://hl7.org/fhir/issue-type)
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
}


def operation_outcome(status: int, errors: list[dict]) -> dict:
    """The project's errors ({"field", "code", "message"}) as an OperationOutcome with Chinese diagnostics."""
    issues = []
    for error in errors:
        issue = {
            "severity": "error",
            "code": ISSUE_CODES.get(status, "processing"),
            "details": {
                "coding": [{"system": code_system("error"), "code": str(error.get("code") or "error")}],
                "text": str(error.get("message") or ""),
            },
            "diagnostics": str(error.get("message") or ""),
        }
        if error.get("field"):
            issue["expression"] = [str(error["field"])]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def fhir_exception_handler(exc, context):
    """The project's exception handler, its answer turned into an OperationOutcome (status and headers kept)."""
    response = project_exception_handler(exc, context)
    if response is None:
        return None
    errors = (response.data or {}).get("errors") or [{"code": "error", "message": _("请求失败。")}]
    response.data = operation_outcome(response.status_code, errors)
    return response


def unknown_path(request, rest=""):
    """Any other path under /api/v1/fhir/: 404 as an OperationOutcome (not the API's {"errors"} shape)."""
    body = operation_outcome(404, [{"code": "not_found", "message": _("不支持该 FHIR 资源或路径。")}])
    return JsonResponse(body, status=404, content_type=FHIR_JSON, json_dumps_params={"ensure_ascii": False})


class InvalidSearch(exceptions.ValidationError):
    """A search parameter that cannot be read: 400 with the parameter as the issue's expression."""

    def __init__(self, field: str, message):
        super().__init__({field: [str(message)]}, code="invalid")


# --------------------------------------------------------------------------------------------- input


def _param(request, name: str) -> str:
    value = nfkc(request.query_params.get(name, "")).strip()
    if len(value) > MAX_PARAM_LENGTH or has_invisible(value):
        raise InvalidSearch(name, _("参数 %(name)s 无效。") % {"name": name})
    return value


def _int_param(request, name: str, *, default: int, highest: int) -> int:
    value = _param(request, name)
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= highest:
        raise InvalidSearch(
            name, _("参数 %(name)s 应为 1 到 %(highest)s 之间的整数。") % {"name": name, "highest": highest}
        )
    return int(value)


def _reference_id(value: str, resource_type: str) -> str:
    """``Practitioner/123`` or ``123`` (also an absolute URL ending so) → ``123``."""
    marker = f"{resource_type}/"
    return value.rsplit(marker, 1)[1] if marker in value else value


def _key(value: str) -> int | None:
    """A database key from a path or search value; None when it cannot be one."""
    if value.isascii() and value.isdigit() and len(value) <= MAX_KEY_DIGITS:
        return int(value)
    return None


# ------------------------------------------------------------------------------------------- schema


def _resource_type_field(name: str) -> serializers.Field:
    # A pattern rather than a one-value enum: drf-spectacular would turn every enum into a component, and
    # "Bundle" in two components into a naming collision.
    field_class = extend_schema_field({"type": "string", "pattern": f"^{name}$"})(
        type(f"{name}TypeField", (serializers.CharField,), {})
    )
    return field_class()


def _objects(**kwargs):
    return serializers.ListField(child=serializers.DictField(), **kwargs)


class FhirPractitionerSerializer(serializers.Serializer):
    """FHIR R4 Practitioner (only the elements this registry fills; see the FHIR specification)."""

    resourceType = _resource_type_field("Practitioner")  # noqa: N815 - FHIR's element name
    id = serializers.CharField(help_text=gettext_lazy("执业证书编码"))
    identifier = _objects()
    active = serializers.BooleanField(help_text=gettext_lazy("有有效的执业注册"))
    name = _objects()
    qualification = _objects(
        required=False, help_text=gettext_lazy("医师级别与类别、执业范围、执业地点（每条有效执业注册）")
    )


class FhirPractitionerRoleSerializer(serializers.Serializer):
    """FHIR R4 PractitionerRole: a valid practice record at its main institution, or a valid filing."""

    resourceType = _resource_type_field("PractitionerRole")  # noqa: N815
    id = serializers.CharField(help_text=gettext_lazy("record-<执业注册> 或 filing-<多执业机构备案>"))
    active = serializers.BooleanField()
    practitioner = serializers.DictField()
    organization = serializers.DictField()
    code = _objects()
    location = _objects()
    period = serializers.DictField(required=False)
    specialty = _objects(required=False)


class FhirOrganizationSerializer(serializers.Serializer):
    """FHIR R4 Organization: a medical institution."""

    resourceType = _resource_type_field("Organization")  # noqa: N815
    id = serializers.CharField()
    identifier = _objects()
    active = serializers.BooleanField()
    type = _objects()
    name = serializers.CharField()
    address = _objects()


class FhirCapabilityStatementSerializer(serializers.Serializer):
    """FHIR R4 CapabilityStatement: what this server does."""

    resourceType = _resource_type_field("CapabilityStatement")  # noqa: N815
    status = serializers.CharField()
    date = serializers.CharField()
    publisher = serializers.CharField()
    kind = serializers.CharField()
    implementation = serializers.DictField()
    fhirVersion = serializers.CharField()  # noqa: N815
    format = serializers.ListField(child=serializers.CharField())
    rest = _objects()


class FhirOperationOutcomeSerializer(serializers.Serializer):
    """FHIR R4 OperationOutcome: every error answer under /api/v1/fhir/, diagnostics in Chinese."""

    resourceType = _resource_type_field("OperationOutcome")  # noqa: N815
    issue = _objects()


class FhirBundleLinkSerializer(serializers.Serializer):
    relation = serializers.CharField()
    url = serializers.CharField()


class FhirPractitionerEntrySerializer(serializers.Serializer):
    fullUrl = serializers.CharField()  # noqa: N815
    resource = FhirPractitionerSerializer()
    search = serializers.DictField()


class FhirPractitionerRoleEntrySerializer(serializers.Serializer):
    fullUrl = serializers.CharField()  # noqa: N815
    resource = FhirPractitionerRoleSerializer()
    search = serializers.DictField()


class FhirPractitionerBundleSerializer(serializers.Serializer):
    """A searchset Bundle of Practitioners."""

    resourceType = _resource_type_field("Bundle")  # noqa: N815
    type = serializers.CharField()
    total = serializers.IntegerField()
    link = FhirBundleLinkSerializer(many=True)
    entry = FhirPractitionerEntrySerializer(many=True, required=False)


class FhirPractitionerRoleBundleSerializer(serializers.Serializer):
    """A searchset Bundle of PractitionerRoles."""

    resourceType = _resource_type_field("Bundle")  # noqa: N815
    type = serializers.CharField()
    total = serializers.IntegerField()
    link = FhirBundleLinkSerializer(many=True)
    entry = FhirPractitionerRoleEntrySerializer(many=True, required=False)


def _outcome(description) -> OpenApiResponse:
    return OpenApiResponse(FhirOperationOutcomeSerializer, description=str(description))


READ_ERRORS = {
    403: _outcome(gettext_lazy("未登录、令牌无效，或不是机构管理员、审批人员")),
    404: _outcome(gettext_lazy("资源不存在或不在您的权限范围内")),
}
SEARCH_ERRORS = {
    400: _outcome(gettext_lazy("搜索参数无效")),
    403: READ_ERRORS[403],
}
PAGING = [
    OpenApiParameter(
        "_count",
        {"type": "integer", "minimum": 1, "maximum": MAX_COUNT},
        description=format_lazy(
            gettext_lazy("每页条数（默认 {default}，最多 {highest}）"),
            default=DEFAULT_COUNT,
            highest=MAX_COUNT,
        ),
    ),
    OpenApiParameter(
        "_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        description=gettext_lazy("页码（从 1 开始）"),
    ),
]

# -------------------------------------------------------------------------------------------- views


class FHIRJSONRenderer(JSONRenderer):
    """``application/fhir+json``: FHIR's own media type (``application/json`` is answered too)."""

    media_type = FHIR_JSON
    format = "json"  # one format: ?format=json keeps FHIR's media type first


class FHIRReader(BasePermission):
    """Officers, reviewers and the superuser; a doctor's account reads nothing here (403)."""

    message = gettext_lazy("只有医疗机构管理员、审批人员可以读取 FHIR 资源。")

    def has_permission(self, request, view):
        return fhir_reader(request.user)


class FHIRView(APIView):
    """Read-only FHIR interactions: FHIR media types, OperationOutcome errors, FHIR readers only."""

    renderer_classes = [FHIRJSONRenderer, JSONRenderer]
    permission_classes = [IsAuthenticated, FHIRReader]
    error_serializer = FhirOperationOutcomeSerializer  # the schema's 401/405/406 (docregsys.openapi)

    def get_exception_handler(self):
        return fhir_exception_handler

    def not_found(self, message):
        raise exceptions.NotFound(message)

    def bundle(self, request, *, total: int, page: int, count: int, entries: list[tuple[str, dict]]):
        """A searchset Bundle: total, self/next/previous links (same parameters, other ``_page``)."""
        params = {key: value for key, value in request.query_params.items() if key != "_page"}

        def link(relation, number):
            query = urlencode({**params, "_page": number})
            return {"relation": relation, "url": request.build_absolute_uri(f"{request.path}?{query}")}

        links = [link("self", page)]
        if page * count < total:
            links.append(link("next", page + 1))
        if page > 1:
            links.append(link("previous", page - 1))
        body = {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links}
        if entries:
            body["entry"] = [
                {
                    "fullUrl": request.build_absolute_uri(url),
                    "resource": resource,
                    "search": {"mode": "match"},
                }
                for url, resource in entries
            ]
        return Response(body)


def _practitioner_url(number: str) -> str:
    return reverse("fhir:practitioner", args=[number])


def _practitioners(numbers: list[str]) -> list[tuple[str, dict]]:
    by_number: dict[str, list[PracticeRecord]] = {}
    for record in practitioner_records(numbers):
        by_number.setdefault(record.certificate_number, []).append(record)
    return [
        (_practitioner_url(number), practitioner_resource(number, by_number[number]))
        for number in numbers
        if number in by_number
    ]


class PractitionerReadView(FHIRView):
    @extend_schema(
        responses={200: FhirPractitionerSerializer, **READ_ERRORS},
        tags=["fhir"],
        operation_id="fhir_practitioner_read",
        description=gettext_lazy("Practitioner/{id}：id 为执业证书编码。"),
    )
    def get(self, request, resource_id: str):
        """A practitioner by 执业证书编码: qualifications of every valid record; 404 outside one's reach."""
        number = nfkc(resource_id).strip()
        visible = practitioner_number_list_for(user=request.user).filter(certificate_number=number)
        if not number or not visible.exists():
            self.not_found(_("未找到该医师，或不在您的权限范围内。"))
        return Response(_practitioners([number])[0][1])


class PractitionerSearchView(FHIRView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "identifier",
                str,
                description=gettext_lazy(
                    "执业证书编码：<system>|<编码> 或只写编码；不填则列出权限范围内的全部医师"
                ),
            ),
            *PAGING,
        ],
        responses={200: FhirPractitionerBundleSerializer, **SEARCH_ERRORS},
        tags=["fhir"],
        operation_id="fhir_practitioner_search",
    )
    def get(self, request):
        """Practitioners within reach, by identifier (the 执业证书编码), as a searchset Bundle."""
        count = _int_param(request, "_count", default=DEFAULT_COUNT, highest=MAX_COUNT)
        page = _int_param(request, "_page", default=1, highest=MAX_PAGE)
        numbers = practitioner_number_list_for(user=request.user)
        identifier = _param(request, "identifier")
        if identifier:
            system, _bar, value = identifier.rpartition("|")
            if system and system != practice_certificate_system():
                numbers = numbers.none()  # another naming system: nothing of ours matches
            numbers = numbers.filter(certificate_number=value)
        total = numbers.count()
        offset = (page - 1) * count
        chosen = [row["certificate_number"] for row in numbers[offset : offset + count]] if total else []
        entries = _practitioners(chosen) if chosen else []
        return self.bundle(request, total=total, page=page, count=count, entries=entries)


def _role_id(resource_id: str) -> tuple[int, int] | None:
    kind, _dash, key = resource_id.partition("-")
    kinds = {"record": RECORD, "filing": FILING}
    pk = _key(key)
    return (kinds[kind], pk) if kind in kinds and pk is not None else None


def _role_url(resource: dict) -> str:
    return reverse("fhir:practitioner-role", args=[resource["id"]])


class PractitionerRoleReadView(FHIRView):
    @extend_schema(
        responses={200: FhirPractitionerRoleSerializer, **READ_ERRORS},
        tags=["fhir"],
        operation_id="fhir_practitioner_role_read",
        description=gettext_lazy("PractitionerRole/{id}：record-<执业注册> 或 filing-<多执业机构备案>。"),
    )
    def get(self, request, resource_id: str):
        """One role within reach: a valid record at its main institution, or a valid filing."""
        parsed = _role_id(nfkc(resource_id))
        if parsed is not None and parsed[0] == RECORD:
            record = (
                role_records([parsed[1]])
                .filter(pk__in=role_record_list_for(user=request.user).values("pk"))
                .first()
            )
            if record is not None:
                return Response(record_role_resource(record))
        elif parsed is not None:
            filing = (
                role_filings([parsed[1]])
                .filter(pk__in=role_filing_list_for(user=request.user).values("pk"))
                .first()
            )
            if filing is not None:
                return Response(filing_role_resource(filing))
        self.not_found(_("未找到该执业角色，或不在您的权限范围内。"))


class PractitionerRoleSearchView(FHIRView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "practitioner", str, description=gettext_lazy("Practitioner/<执业证书编码> 或编码")
            ),
            OpenApiParameter("organization", str, description=gettext_lazy("Organization/<id> 或 id")),
            *PAGING,
        ],
        responses={200: FhirPractitionerRoleBundleSerializer, **SEARCH_ERRORS},
        tags=["fhir"],
        operation_id="fhir_practitioner_role_search",
    )
    def get(self, request):
        """Roles within reach, by practitioner and/or organization, ordered by practitioner, paged."""
        count = _int_param(request, "_count", default=DEFAULT_COUNT, highest=MAX_COUNT)
        page = _int_param(request, "_page", default=1, highest=MAX_PAGE)
        records = role_record_list_for(user=request.user)
        filings = role_filing_list_for(user=request.user)
        practitioner = _param(request, "practitioner")
        if practitioner:
            number = _reference_id(practitioner, "Practitioner")
            records = records.filter(certificate_number=number)
            filings = filings.filter(record__certificate_number=number)
        organization = _param(request, "organization")
        if organization:
            pk = _key(_reference_id(organization, "Organization"))
            records = records.filter(main_institution_id=pk) if pk else records.none()
            filings = filings.filter(institution_id=pk) if pk else filings.none()
        keys = role_keys(records, filings)
        total = keys.count()
        offset = (page - 1) * count
        rows = list(keys[offset : offset + count]) if total > offset else []
        record_pks = [key for _number, kind, key in rows if kind == RECORD]
        filing_pks = [key for _number, kind, key in rows if kind == FILING]
        found = {}
        if record_pks:
            found.update({(RECORD, r.pk): record_role_resource(r) for r in role_records(record_pks)})
        if filing_pks:
            found.update({(FILING, f.pk): filing_role_resource(f) for f in role_filings(filing_pks)})
        entries = [
            (_role_url(found[kind, key]), found[kind, key])
            for _number, kind, key in rows
            if (kind, key) in found
        ]
        return self.bundle(request, total=total, page=page, count=count, entries=entries)


class OrganizationReadView(FHIRView):
    @extend_schema(
        responses={200: FhirOrganizationSerializer, **READ_ERRORS},
        tags=["fhir"],
        operation_id="fhir_organization_read",
        description=gettext_lazy("Organization/{id}：id 为机构在本系统中的编号；登记号见 identifier。"),
    )
    def get(self, request, resource_id: str):
        """An institution within reach: an officer's own, a reviewer's region's, any for the superuser."""
        pk = _key(nfkc(resource_id))
        institution = (
            organization_list_for(user=request.user).filter(pk=pk).first() if pk is not None else None
        )
        if institution is None:
            self.not_found(_("未找到该医疗机构，或不在您的权限范围内。"))
        return Response(organization_resource(institution))


class MetadataView(FHIRView):
    permission_classes = [AllowAny]  # what the server can do is public, as on every FHIR server

    @extend_schema(
        responses={200: FhirCapabilityStatementSerializer, 403: READ_ERRORS[403]},
        tags=["fhir"],
        operation_id="fhir_metadata",
        description=gettext_lazy("CapabilityStatement：本服务支持的资源与搜索参数（无需登录）。"),
    )
    def get(self, request):
        """The CapabilityStatement (FHIR's ``GET [base]/metadata``)."""
        return Response(capability_statement(request))
