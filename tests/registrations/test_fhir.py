"""API-2: practice records as HL7 FHIR R4 (Practitioner, PractitionerRole, Organization), validated with the
fhir.resources R4B models (the package ships R4B and R5, not R4; R4B keeps R4's Practitioner and
PractitionerRole), scoped like the console and the admin."""

import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from werkzeug import Client as WerkzeugClient

from docregsys.reference.models import PracticeScope
from registrations.api.fhir import human_name
from registrations.models import PracticeRecord
from tests import personas
from tests.factories import FilingFactory, PracticeRecordFactory, UserFactory, make_resident_id
from tests.platform.apischema import served_schema
from tests.platform.conftest import wsgi_keeps_the_test_transaction  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

BASE = "/api/v1/fhir/"
SYSTEM = "https://docregsys.example.gov.cn/fhir/sid/practice-certificate"
NUMBER = "110430100000777"
ID_NUMBER = make_resident_id("430102", "19790315", "555")


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.PUBLIC_BASE_URL = "https://docregsys.example.gov.cn/"


@pytest.fixture
def scopes(db):
    internal = PracticeScope.objects.create(code="0101", name="内科专业", category="clinical", order=1)
    surgery = PracticeScope.objects.create(code="0102", name="外科专业", category="clinical", order=2)
    return internal, surgery


@pytest.fixture
def record(x, scopes):
    """欧阳明华: a valid 执业医师 (临床) record at X, two scopes, approved by 芙蓉区's health bureau."""
    made = PracticeRecordFactory(
        real_name="欧阳明华",
        id_number=ID_NUMBER,
        certificate_number=NUMBER,
        main_institution=x,
        location=personas.region("province"),
        authority=personas.authority("furong"),
        approval_date=dt.date(2015, 6, 1),
    )
    made.scopes.set(scopes)
    return made


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def get(user, path, **params):
    response = client_for(user).get(BASE + path, params)
    return response, json.loads(response.content)


def codes(entries, system_end):
    return [
        coding["code"]
        for entry in entries
        for coding in entry["code"]["coding"]
        if coding["system"].endswith(system_end)
    ]


# ------------------------------------------------------------------------------------------ Practitioner


def test_practitioner_is_valid_fhir_with_certificate_number_name_and_qualifications(record, officer_x):
    """API-2: Practitioner/{执业证书编码} validates as R4; identifier system from PUBLIC_BASE_URL;
    qualifications for level+category, each scope and the location, issued by the authority on the date."""
    response, body = get(officer_x, f"Practitioner/{NUMBER}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    Practitioner.model_validate(body)
    assert body["id"] == NUMBER and body["active"] is True
    assert body["identifier"] == [{"use": "official", "system": SYSTEM, "value": NUMBER}]
    assert body["name"] == [{"use": "official", "text": "欧阳明华", "family": "欧阳", "given": ["明华"]}]
    qualifications = body["qualification"]
    assert codes(qualifications, "/CodeSystem/practitioner-level-category") == ["physician-clinical"]
    assert codes(qualifications, "/CodeSystem/practice-scope") == ["0101", "0102"]
    assert codes(qualifications, "/CodeSystem/practice-location") == ["430000"]
    assert {q["code"]["text"] for q in qualifications} == {"临床执业医师", "内科专业", "外科专业", "湖南省"}
    for qualification in qualifications:
        assert qualification["issuer"] == {"display": "湖南省长沙市芙蓉区卫生健康委"}
        assert qualification["period"] == {"start": "2015-06-01"}


def test_practitioner_never_carries_id_number_birth_date_phone_or_sex(record, officer_x):
    """PUB-1 / X-3: the resource holds nothing personal beyond the public view."""
    response, body = get(officer_x, f"Practitioner/{NUMBER}")
    text = response.content.decode()
    assert ID_NUMBER not in text and "1979" not in text
    assert not {"birthDate", "gender", "telecom", "address", "photo"} & set(body)


def test_practitioner_with_several_valid_records_lists_each_records_qualifications(
    record, officer_x, jiangan
):
    """REG-1: a second valid location (湖北省) adds its own level/category, location and authority."""
    PracticeRecordFactory(
        real_name="欧阳明华",
        id_number=ID_NUMBER,
        certificate_number=NUMBER,
        main_institution=jiangan,
        location=personas.region("hubei"),
        authority=personas.authority("hubei"),
        approval_date=dt.date(2019, 1, 2),
    )
    _response, body = get(officer_x, f"Practitioner/{NUMBER}")
    Practitioner.model_validate(body)
    assert codes(body["qualification"], "/CodeSystem/practice-location") == ["420000", "430000"]
    issuers = {q["issuer"]["display"] for q in body["qualification"]}
    assert issuers == {"湖北省卫生健康委", "湖南省长沙市芙蓉区卫生健康委"}


def test_deregistered_practitioner_is_inactive_without_qualifications_or_roles(record, officer_x):
    """API-2: a 注销 record: active false, no qualification, no PractitionerRole."""
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    _response, body = get(officer_x, f"Practitioner/{NUMBER}")
    Practitioner.model_validate(body)
    assert body["active"] is False and "qualification" not in body
    assert body["name"][0]["text"] == "欧阳明华"
    _response, roles = get(officer_x, "PractitionerRole", practitioner=NUMBER)
    Bundle.model_validate(roles)
    assert roles["total"] == 0 and "entry" not in roles


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [("王甲", "王", "甲"), ("欧阳明华", "欧阳", "明华"), ("欧阳", "欧", "阳"), ("司马相如", "司马", "相如")],
)
def test_chinese_names_split_family_and_given(text, family, given):
    """API-2: family = the first character, or a known 复姓 when the name is longer than it."""
    assert human_name(text) == {"use": "official", "text": text, "family": family, "given": [given]}


@pytest.mark.parametrize("text", ["阿依古丽·买买提", "张", "Zhang San"])
def test_names_that_cannot_be_split_keep_only_the_text(text):
    """API-2: minority names (middle dot), one character or non-Han: ``text`` only, never a wrong guess."""
    assert human_name(text) == {"use": "official", "text": text}


@pytest.mark.parametrize(
    "identifier",
    [f"{SYSTEM}|{NUMBER}", NUMBER, f"|{NUMBER}", f" {NUMBER} ", "１１０４３０１０００００７７７"],
)
def test_search_by_identifier_finds_the_practitioner(record, officer_x, identifier):
    """API-2: Practitioner?identifier=<system>|<number>, bare or full-width (NFKC) → a searchset of one."""
    response, body = get(officer_x, "Practitioner", identifier=identifier)
    assert response.status_code == 200
    Bundle.model_validate(body)
    assert body["type"] == "searchset" and body["total"] == 1
    (entry,) = body["entry"]
    Practitioner.model_validate(entry["resource"])
    assert entry["resource"]["id"] == NUMBER
    assert entry["fullUrl"] == f"http://testserver{BASE}Practitioner/{NUMBER}"
    assert entry["search"] == {"mode": "match"}


def test_search_with_another_system_or_number_finds_nothing(record, officer_x):
    """API-2: an identifier of another naming system, or an unknown number, is an empty searchset."""
    for identifier in (f"http://other.example/sid|{NUMBER}", "110430199999999"):
        _response, body = get(officer_x, "Practitioner", identifier=identifier)
        Bundle.model_validate(body)
        assert body["total"] == 0 and "entry" not in body


def test_search_without_identifier_lists_the_practitioners_within_reach(record, officer_x, y):
    """API-2: every practitioner of the officer's institution, once each, not Y's."""
    PracticeRecordFactory(main_institution=y, certificate_number="110430100000888")
    PracticeRecordFactory(
        real_name="欧阳明华",
        id_number=ID_NUMBER,
        certificate_number=NUMBER,
        main_institution=record.main_institution,
        state=PracticeRecord.State.TRANSFERRED_OUT,
    )
    _response, body = get(officer_x, "Practitioner")
    Bundle.model_validate(body)
    assert [entry["resource"]["id"] for entry in body["entry"]] == [NUMBER]


# -------------------------------------------------------------------------------------- PractitionerRole


@pytest.fixture
def filing(record, y, scopes):
    """欧阳明华 also filed at Y (多执业机构备案), for 内科专业 only."""
    return FilingFactory(record=record, institution=y, scopes=[scopes[0]], filed_on=dt.date(2021, 5, 10))


def test_roles_by_practitioner_are_the_main_institution_and_each_filing(filing, officer_x, x, y):
    """API-2: PractitionerRole?practitioner=: the record's role at X (主要执业机构) and the filing at Y."""
    response, body = get(officer_x, "PractitionerRole", practitioner=f"Practitioner/{NUMBER}")
    assert response.status_code == 200
    Bundle.model_validate(body)
    assert body["total"] == 2
    main, filed = (entry["resource"] for entry in body["entry"])
    for role in (main, filed):
        PractitionerRole.model_validate(role)
        assert role["practitioner"] == {"reference": f"Practitioner/{NUMBER}", "display": "欧阳明华"}
        assert role["active"] is True and role["location"] == [{"display": "湖南省"}]
    assert main["id"] == f"record-{filing.record.pk}"
    assert main["organization"] == {"reference": f"Organization/{x.pk}", "display": x.name}
    assert main["code"][0]["coding"][0]["code"] == "main"
    assert main["code"][0]["text"] == "主要执业机构"
    assert [s["coding"][0]["code"] for s in main["specialty"]] == ["0101", "0102"]
    assert main["period"] == {"start": "2015-06-01"}
    assert filed["id"] == f"filing-{filing.pk}"
    assert filed["organization"]["reference"] == f"Organization/{y.pk}"
    assert filed["code"][0]["coding"][0]["system"].endswith("/CodeSystem/practitioner-role")
    assert filed["code"][0]["coding"][0]["code"] == "filing"
    assert [s["coding"][0]["code"] for s in filed["specialty"]] == ["0101"]
    assert filed["period"] == {"start": "2021-05-10"}


def test_a_filing_at_y_appears_for_y(filing, officer_y, y):
    """API-2 / INS-5: Y's officer finds the filing at Y by organization (not the role at X), and may read
    the filed doctor's Practitioner; the record's own role at X stays out of reach."""
    _response, body = get(officer_y, "PractitionerRole", organization=f"Organization/{y.pk}")
    Bundle.model_validate(body)
    assert [entry["resource"]["id"] for entry in body["entry"]] == [f"filing-{filing.pk}"]
    _response, body = get(officer_y, "PractitionerRole", practitioner=NUMBER)
    assert [entry["resource"]["id"] for entry in body["entry"]] == [f"filing-{filing.pk}"]
    response, _body = get(officer_y, f"Practitioner/{NUMBER}")
    assert response.status_code == 200
    response, _body = get(officer_y, f"PractitionerRole/record-{filing.record.pk}")
    assert response.status_code == 404


def test_roles_by_organization_for_a_reviewer_of_the_region(filing, county_reviewer, x):
    """API-2 / APP-1: 芙蓉区's reviewer lists X's roles by organization."""
    _response, body = get(county_reviewer, "PractitionerRole", organization=str(x.pk))
    Bundle.model_validate(body)
    assert [entry["resource"]["id"] for entry in body["entry"]] == [f"record-{filing.record.pk}"]


def test_cancelled_filings_and_invalid_records_have_no_role(filing, officer_x):
    """API-2: roles exist only for valid records and valid filings."""
    filing.state = filing.State.CANCELLED
    filing.cancelled_on = dt.date(2023, 1, 5)
    filing.save()
    _response, body = get(officer_x, "PractitionerRole", practitioner=NUMBER)
    assert [entry["resource"]["id"] for entry in body["entry"]] == [f"record-{filing.record.pk}"]
    response, _body = get(officer_x, f"PractitionerRole/filing-{filing.pk}")
    assert response.status_code == 404


def test_role_read_by_id(filing, officer_x):
    """API-2: PractitionerRole/{record-…|filing-…} answers the same resource as the search."""
    response, body = get(officer_x, f"PractitionerRole/filing-{filing.pk}")
    assert response.status_code == 200
    PractitionerRole.model_validate(body)
    assert body["id"] == f"filing-{filing.pk}"
    for unknown in ("filing-x", "record-99999999", "other-1", "record-" + "9" * 30):
        response, body = get(officer_x, f"PractitionerRole/{unknown}")
        assert response.status_code == 404
        OperationOutcome.model_validate(body)


def _roles_at(institution, count):
    for n in range(count):
        PracticeRecordFactory(main_institution=institution, certificate_number=f"11043019{n:07d}")


@pytest.mark.parametrize("many", [10, 100])
def test_role_bundle_queries_do_not_grow_with_the_roles(
    x, y, officer_x, scopes, django_assert_num_queries, many
):
    """API-2: a page of roles costs the same queries for 10 and 100 roles (records and filings)."""
    _roles_at(x, many)
    for record in PracticeRecord.objects.filter(main_institution=x)[: many // 2]:
        FilingFactory(record=record, institution=y, scopes=[scopes[0]])
    client = client_for(officer_x)
    # count (UNION), page of keys (UNION), records + their scopes, filings + their scopes
    with django_assert_num_queries(6):
        response = client.get(BASE + "PractitionerRole", {"_count": 100})
    body = json.loads(response.content)
    Bundle.model_validate(body)
    assert body["total"] == many + many // 2
    assert len(body["entry"]) == min(100, many + many // 2)


def test_practitioner_bundle_queries_do_not_grow(x, officer_x, django_assert_num_queries):
    """API-2: a page of practitioners: count, page of numbers, records, scopes."""
    _roles_at(x, 30)
    with django_assert_num_queries(4):
        response = client_for(officer_x).get(BASE + "Practitioner", {"_count": 25})
    assert len(json.loads(response.content)["entry"]) == 25


def test_role_bundles_page_with_next_and_previous_links(x, officer_x):
    """API-2: _count and _page; next and previous links keep the other parameters."""
    _roles_at(x, 5)
    _response, body = get(officer_x, "PractitionerRole", organization=str(x.pk), _count=2, _page=2)
    Bundle.model_validate(body)
    assert body["total"] == 5 and len(body["entry"]) == 2
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert f"organization={x.pk}" in links["next"] and "_page=3" in links["next"]
    assert "_page=1" in links["previous"] and "_count=2" in links["self"]
    _response, last = get(officer_x, "PractitionerRole", organization=str(x.pk), _count=2, _page=3)
    assert len(last["entry"]) == 1 and "next" not in {link["relation"] for link in last["link"]}
    _response, past = get(officer_x, "PractitionerRole", organization=str(x.pk), _count=2, _page=9)
    assert past["total"] == 5 and "entry" not in past


# ------------------------------------------------------------------------------------------ Organization


def test_organization_is_valid_fhir_with_registration_number(x, officer_x):
    """API-2: Organization/{id}: 登记号 as identifier, name, type, where it is, active."""
    response, body = get(officer_x, f"Organization/{x.pk}")
    assert response.status_code == 200
    Organization.model_validate(body)
    assert body["id"] == str(x.pk) and body["name"] == "芙蓉医院" and body["active"] is True
    assert body["identifier"][0] == {
        "use": "official",
        "system": "https://docregsys.example.gov.cn/fhir/sid/institution-registration",
        "value": x.registration_number,
    }
    assert body["address"][0]["district"] == "芙蓉区" and body["address"][0]["country"] == "CN"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_x", 200),
        ("officer_y", 404),
        ("county_reviewer", 200),
        ("tianxin_reviewer", 404),
        ("other_province_reviewer", 404),
        ("superuser", 200),
    ],
)
def test_organization_is_scoped(x, persona, status, request):
    """API-2 / STYLE §2: an officer's own institution, a reviewer's region's, any for the superuser."""
    response, body = get(request.getfixturevalue(persona), f"Organization/{x.pk}")
    assert response.status_code == status
    (Organization if status == 200 else OperationOutcome).model_validate(body)


# ------------------------------------------------------------------------------------- scope and errors


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_x", 200),
        ("officer_y", 404),
        ("county_reviewer", 200),
        ("tianxin_reviewer", 404),
        ("other_province_reviewer", 404),
        ("superuser", 200),
    ],
)
def test_practitioner_is_scoped_to_the_callers_institution_or_region(record, persona, status, request):
    """API-2 / STYLE §2: another institution's (or region's) practitioner is 404 and an empty searchset."""
    user = request.getfixturevalue(persona)
    response, body = get(user, f"Practitioner/{NUMBER}")
    assert response.status_code == status
    (Practitioner if status == 200 else OperationOutcome).model_validate(body)
    _response, bundle = get(user, "Practitioner", identifier=NUMBER)
    assert bundle["total"] == (1 if status == 200 else 0)
    _response, roles = get(user, "PractitionerRole", practitioner=NUMBER)
    assert roles["total"] == (1 if status == 200 else 0)


def test_anonymous_and_doctors_are_refused_with_an_operation_outcome(record, doctor_a):
    """API-2: no token → 403 (session authentication comes first, as everywhere in the API); a doctor's
    account → 403; both as OperationOutcome with a Chinese diagnostic."""
    for user in (None, doctor_a):
        for path in (f"Practitioner/{NUMBER}", "Practitioner", "PractitionerRole", "Organization/1"):
            response, body = get(user, path)
            assert response.status_code == 403, (user, path)
            OperationOutcome.model_validate(body)
            assert body["issue"][0]["code"] == "forbidden"
    _response, body = get(doctor_a, "Practitioner")
    assert body["issue"][0]["diagnostics"] == "只有医疗机构管理员、审批人员可以读取 FHIR 资源。"


def test_officer_who_must_change_the_initial_password_is_refused(record, x):
    """INS-1: an officer still on the initial password reads nothing (as in the console)."""
    officer = UserFactory(officer=True, institution=x, must_change_password=True)
    response, _body = get(officer, f"Practitioner/{NUMBER}")
    assert response.status_code == 403


def test_unknown_practitioner_is_a_404_operation_outcome(officer_x):
    """API-2: 404 as OperationOutcome (issue code not-found, Chinese diagnostics)."""
    response, body = get(officer_x, "Practitioner/110430100009999")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/fhir+json")
    OperationOutcome.model_validate(body)
    assert body["issue"][0]["code"] == "not-found"
    assert body["issue"][0]["diagnostics"] == "未找到该医师，或不在您的权限范围内。"


@pytest.mark.parametrize(
    "params",
    [{"_count": "0"}, {"_count": "101"}, {"_count": "x"}, {"_page": "0"}, {"_page": "99999999999999999999"},
     {"identifier": "1" * 300}, {"identifier": "1104\u200b30100000777"}],
)  # fmt: skip
def test_bad_search_parameters_are_a_400_operation_outcome(officer_x, params):
    """API-2 / X-4: a bad search parameter is 400 with the parameter named, never a 500."""
    response, body = get(officer_x, "Practitioner", **params)
    assert response.status_code == 400
    OperationOutcome.model_validate(body)
    issue = body["issue"][0]
    assert issue["code"] == "invalid" and issue["expression"] == list(params)


def test_unknown_paths_and_methods_answer_like_fhir(officer_x, record):
    """API-2: an unknown resource type is 404 and a write 405, both as OperationOutcome."""
    response, body = get(officer_x, "Patient/1")
    assert response.status_code == 404 and response["Content-Type"] == "application/fhir+json"
    OperationOutcome.model_validate(body)
    response = client_for(officer_x).post(BASE + "Practitioner", {}, format="json")
    assert response.status_code == 405
    OperationOutcome.model_validate(json.loads(response.content))


def test_huge_keys_are_404_not_500(officer_x):
    """X-4: an Organization id or organization search beyond any database key never reaches the database."""
    response, _body = get(officer_x, "Organization/" + "9" * 40)
    assert response.status_code == 404
    response, body = get(officer_x, "PractitionerRole", organization="9" * 40)
    assert response.status_code == 200 and body["total"] == 0


def test_plain_json_is_answered_when_asked_for(record, officer_x):
    """API-2: Accept: application/json gets application/json (same body); the default is application/fhir+json."""
    response = client_for(officer_x).get(BASE + f"Practitioner/{NUMBER}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    Practitioner.model_validate(json.loads(response.content))
    response = client_for(officer_x).get(
        BASE + f"Practitioner/{NUMBER}", HTTP_ACCEPT="application/fhir+json; fhirVersion=4.0"
    )
    assert response["Content-Type"] == "application/fhir+json"


def test_metadata_is_a_public_capability_statement():
    """API-2: GET metadata answers anyone with what the server reads and searches."""
    response, body = get(None, "metadata")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    CapabilityStatement.model_validate(body)
    (rest,) = body["rest"]
    resources = {entry["type"]: entry for entry in rest["resource"]}
    assert set(resources) == {"Practitioner", "PractitionerRole", "Organization"}
    assert [p["name"] for p in resources["PractitionerRole"]["searchParam"]] == [
        "practitioner",
        "organization",
    ]
    assert body["implementation"]["url"] == f"http://testserver{BASE}"


# ----------------------------------------------------------------------------------- the OpenAPI schema


@pytest.mark.usefixtures("wsgi_keeps_the_test_transaction")
def test_answers_match_the_served_openapi_schema(filing, officer_x, x):
    """API-1 / API-2: full answers (200) and refusals (400, 403, 404) match what /api/schema/ documents,
    for every FHIR operation (schemathesis rarely finds a real practitioner by chance)."""
    schema = served_schema()
    token = Token.objects.get_or_create(user=officer_x)[0].key
    calls = [
        ("/api/v1/fhir/Practitioner/{resource_id}", f"{BASE}Practitioner/{NUMBER}", token, 200),
        ("/api/v1/fhir/Practitioner", f"{BASE}Practitioner?identifier={NUMBER}", token, 200),
        ("/api/v1/fhir/Practitioner", f"{BASE}Practitioner?_count=0", token, 400),
        ("/api/v1/fhir/PractitionerRole", f"{BASE}PractitionerRole?practitioner={NUMBER}", token, 200),
        (
            "/api/v1/fhir/PractitionerRole/{resource_id}",
            f"{BASE}PractitionerRole/filing-{filing.pk}",
            token,
            200,
        ),
        ("/api/v1/fhir/Organization/{resource_id}", f"{BASE}Organization/{x.pk}", token, 200),
        ("/api/v1/fhir/Organization/{resource_id}", f"{BASE}Organization/0", token, 404),
        ("/api/v1/fhir/Practitioner/{resource_id}", f"{BASE}Practitioner/{NUMBER}", None, 403),
        ("/api/v1/fhir/metadata", f"{BASE}metadata", None, 200),
    ]
    for operation, url, key, status in calls:
        headers = {"Authorization": f"Token {key}"} if key else {}
        response = WerkzeugClient(schema.app).get(url, headers=headers)
        assert response.status_code == status, url
        schema[operation]["GET"].validate_response(response)
