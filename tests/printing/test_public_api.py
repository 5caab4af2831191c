"""PUB-1 for REST clients: /api/v1/public/verify/ (name + 执业证书编码) and /api/v1/public/codes/{code}/."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from printing.models import Document
from printing.services import document_request
from registrations.models import PracticeRecord
from registrations.numbers import mod11_10_check
from tests.factories import ExamResultFactory, PracticeRecordFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/public/verify/"
ID_NUMBER = make_resident_id(region="430102", birth="19850312", seq="321")


def number(serial: int = 1) -> str:
    body = f"43202000{serial:06d}"
    return body + mod11_10_check(body)


@pytest.fixture
def records():
    PracticeRecordFactory(real_name="刘建国", id_number=ID_NUMBER, certificate_number=number())
    PracticeRecordFactory(
        real_name="刘建国",
        id_number=ID_NUMBER,
        certificate_number=number(),
        state=PracticeRecord.State.MILITARY,
    )


def post(client, name="刘建国", cert=None, **extra):
    return client.post(
        VERIFY,
        {"real_name": name, "certificate_number": number() if cert is None else cert},
        format="json",
        **extra,
    )


def test_anonymous_lookup_answers_the_public_fields_only(records):
    """PUB-1: the valid record first, the 军队 one worded; no ID number, birth date or sex anywhere."""
    response = post(APIClient())
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["state"] for r in results] == ["valid", "military"]
    assert results[1]["note"] == "该医师已变更至军队"
    assert set(results[0]) == {
        "real_name",
        "level",
        "category",
        "scopes",
        "main_institution",
        "location",
        "state",
        "state_label",
        "note",
    }
    body = response.content.decode()
    assert ID_NUMBER not in body and "1985" not in body


def test_nothing_found_is_an_empty_list(records):
    assert post(APIClient(), name="刘建华").json() == {"results": []}
    assert post(APIClient(), cert=number(3)).json() == {"results": []}


def test_bad_input_is_400_in_the_error_shape(records):
    """X-4: full-width digits are read as digits; a bidi control and a wrong check digit are refused."""
    full_width = number().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert post(APIClient(), cert=full_width).status_code == 200
    response = post(APIClient(), name="刘\u202e建国")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "real_name"
    response = post(APIClient(), cert="123")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "number_format"


def test_anonymous_clients_get_five_a_minute_then_429_with_retry_after(records):
    """PUB-1: no captcha in the API, so an anonymous client is counted harder than the page (5 a minute)."""
    client = APIClient()
    for _ in range(5):
        assert post(client).status_code == 200
    response = post(client)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    error = response.json()["errors"][0]
    assert error["code"] == "rate_limited" and "查询过于频繁" in error["message"]


def test_a_token_client_is_counted_per_account(records):
    """PUB-1: with an API token of any role the account's own, larger limit applies."""
    token = Token.objects.create(user=UserFactory(officer=True))
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    for n in range(8):
        assert post(client, cert=number(10 + n)).status_code == 200
    assert (
        post(APIClient(), cert=number(30)).status_code == 200
    )  # anonymous from the same address: still free


def test_a_code_check_answers_valid_and_the_kind_facts():
    result = ExamResultFactory(real_name="王五", written_score=412)
    document = document_request(kind="score_report", subject=result)
    Document.objects.filter(pk=document.pk).update(state=Document.State.DONE)
    response = APIClient().get(f"/api/v1/public/codes/{document.code_display}/")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["kind"] == "score_report" and body["code"] == document.code_display
    assert {"label": "笔试总成绩", "value": "412.00"} in body["facts"]
    assert result.id_number_masked not in response.content.decode()

    result.written_score = 401
    result.save()
    body = APIClient().get(f"/api/v1/public/codes/{document.code}/").json()
    assert body["valid"] is False and body["superseded"] is False and body["message"] == "此编码已失效"


def test_an_unknown_code_is_404():
    response = APIClient().get("/api/v1/public/codes/ABCDEFGHJKMNPQRS/")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
