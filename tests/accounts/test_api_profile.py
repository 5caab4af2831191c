"""/api/v1/accounts/me/ and me/records/ (ACC-8, API-1): the profile for any role, records for activated doctors."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from docregsys.reference.models import PracticeScope
from registrations.models import PracticeRecord
from tests.factories import (
    AssessmentResultFactory,
    CertificateFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

NAME = "宋立民"
ID = make_resident_id(birth="19850317", seq="013")
PHONE = "15112340658"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def doctor():
    user = UserFactory(
        activated=True,
        real_name=NAME,
        id_number=ID,
        username="songlm",
        phone=PHONE,
        email="hcwang@example.com",
    )
    CertificateFactory(real_name=NAME, id_number=ID, number="200943110430102198503170013", year_obtained=2009)
    ExamResultFactory(real_name=NAME, id_number=ID, admission_ticket="209110430100123", year=2009)
    ExamResultFactory(real_name=NAME, id_number=ID, admission_ticket="208110430100999", passed=False)
    record = PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        certificate_number="110430100012345",
        qualification_number="200943110430102198503170013",
        approval_date=dt.date(2014, 3, 17),
    )
    record.scopes.set(
        [
            PracticeScope.objects.create(code="0101", name="内科专业", category="clinical", order=1),
            PracticeScope.objects.create(code="0102", name="外科专业", category="clinical", order=2),
        ]
    )
    PracticeRecordFactory(real_name=NAME, id_number=ID, state=PracticeRecord.State.FILED)
    AssessmentResultFactory(real_name=NAME, id_number=ID, cycle="2021-2023")
    return user


def test_me_returns_the_masked_profile_with_token_auth(api, doctor):
    """ACC-8: the profile of the logged-in user; identity and contacts masked, never clear."""
    token = Token.objects.create(user=doctor)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(reverse("accounts-api:me"))
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "songlm"
    assert data["real_name"] == NAME
    assert data["role"] == "doctor"
    assert data["id_number_masked"] == ID[:4] + "*" * 10 + ID[-4:]
    assert data["phone_masked"] == "151****0658"
    assert data["phone_verified"] is True
    assert data["email_masked"] == "hc***@example.com"
    assert data["email_verified"] is False
    assert data["checked"] is True
    assert data["activated"] is True
    assert data["activation_path"] == "certificate"
    assert data["next_step"] is None
    body = response.content.decode()
    assert ID not in body and PHONE not in body and "hcwang@" not in body


def test_me_tells_an_unactivated_doctor_the_next_step(api):
    """ACC-5: the profile names the next step of activation."""
    api.force_login(UserFactory(phone_verified=True))
    data = api.get(reverse("accounts-api:me")).json()
    assert data["activated"] is False and data["checked"] is True
    assert data["next_step"]["url"] == reverse("accounts:activation")
    assert data["next_step"]["label"] == "激活我的账户"


def test_me_works_for_officers_with_session_auth(api):
    officer = UserFactory(officer=True, username="officer01")
    api.force_login(officer)
    data = api.get(reverse("accounts-api:me")).json()
    assert data["role"] == "officer"
    assert data["activated"] is False


def test_me_refuses_anonymous(api):
    response = api.get(reverse("accounts-api:me"))
    assert response.status_code in (401, 403)
    assert response.json()["errors"][0]["code"] in ("not_authenticated", "authentication_failed")


def test_records_of_an_activated_doctor(api, doctor):
    """ACC-8, X-3: certificates (numbers masked), passed exams, practice records (scopes, institution, location, authority, state), assessments."""
    api.force_login(doctor)
    response = api.get(reverse("accounts-api:me_records"))
    assert response.status_code == 200
    data = response.json()
    # the certificate number holds the full ID number: masked like it, even for its holder.
    assert [c["number"] for c in data["certificates"]] == ["2009" + "*" * 19 + "0013"]
    assert "200943110430102198503170013" not in response.content.decode()
    assert ID not in response.content.decode()
    assert data["certificates"][0]["origin"] == "新人新办法"
    assert [e["admission_ticket"] for e in data["passed_exams"]] == ["209110430100123"]
    first, second = data["practice_records"]
    assert first["state"] == "valid" and first["state_display"] == "有效"
    assert first["scopes"] == ["内科专业", "外科专业"]
    assert first["certificate_number"] == "110430100012345"
    assert first["qualification_number"] == "2009" + "*" * 19 + "0013"
    assert first["approval_date"] == "2014-03-17"
    assert first["main_institution"] and first["location"] and first["authority"]
    assert second["state"] == "filed"
    assert data["assessments"] == [
        {
            "cycle": "2021-2023",
            "assessing_body": "长沙市医师协会",
            "result": "passed",
            "result_display": "合格",
        }
    ]
    assert ID not in response.content.decode()


def test_records_refuse_an_unactivated_doctor(api):
    """ACC-5: not activated → 403 with code not_activated and a Chinese message naming the next step."""
    api.force_login(UserFactory(phone_verified=True))
    response = api.get(reverse("accounts-api:me_records"))
    assert response.status_code == 403
    (error,) = response.json()["errors"]
    assert error["code"] == "not_activated"
    assert "激活" in error["message"]


def test_records_refuse_other_roles(api):
    for user in (UserFactory(officer=True), UserFactory(reviewer=True)):
        api.force_login(user)
        response = api.get(reverse("accounts-api:me_records"))
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "not_doctor"


def test_records_refuse_anonymous(api):
    assert api.get(reverse("accounts-api:me_records")).status_code in (401, 403)


def test_records_are_only_the_doctors_own(api, doctor):
    """Records of another person (other ID) never appear."""
    PracticeRecordFactory(real_name=NAME, id_number=make_resident_id(seq="555"))
    api.force_login(doctor)
    assert len(api.get(reverse("accounts-api:me_records")).json()["practice_records"]) == 2


def test_me_is_read_only(api, doctor):
    api.force_login(doctor)
    assert api.post(reverse("accounts-api:me"), {}).status_code == 405
