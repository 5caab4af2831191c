"""Rules live in the services (issue 8 §3): the password policy (ID-4) and the refusal codes of the API (API-1)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.selectors import activation_route_for
from accounts.services.recovery import account_password_reset
from accounts.services.security import password_change
from accounts.services.signup import account_signup
from docregsys.api import REFUSAL_STATUS, refusal_status
from docregsys.exceptions import TransitionRefused
from tests.factories import (
    CertificateFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

WEAK = "12345678"  # entirely numeric and too common


def signup(**overrides):
    data = {
        "real_name": "钱七",
        "id_number": make_resident_id(seq="777"),
        "phone": "13907317777",
        "email": "qian@example.com",
        "username": "qianqi2024",
        "password": "Yiliao2024go",
        **overrides,
    }
    return account_signup(**data)


def test_signup_service_refuses_a_weak_password_and_writes_nothing():
    """ID-4: account_signup itself enforces Django's password validators, whatever the caller checked."""
    with pytest.raises(TransitionRefused) as refused:
        signup(password=WEAK)
    assert refused.value.field == "password" and refused.value.code == "password_weak"
    assert "密码" in str(refused.value.message)
    assert not User.objects.exists()


def test_signup_service_refuses_a_password_like_the_username():
    """ID-4: the similarity validator sees the account to be (username, name, e-mail)."""
    with pytest.raises(TransitionRefused) as refused:
        signup(password="qianqi2024")
    assert refused.value.field == "password"
    assert not User.objects.exists()


def test_signup_service_accepts_a_good_password():
    user = signup()
    assert user.check_password("Yiliao2024go")


def test_reset_service_refuses_a_weak_password_and_keeps_the_old_one(assert_nothing_changed):
    """ID-4/ACC-6: account_password_reset enforces the policy; the token stays usable, nothing written."""
    user = UserFactory()
    token = default_token_generator.make_token(user)
    with assert_nothing_changed("weak reset"), pytest.raises(TransitionRefused) as refused:
        account_password_reset(user=user, token=token, new_password=WEAK)
    assert refused.value.field == "new_password" and refused.value.code == "password_weak"
    user.refresh_from_db()
    assert user.check_password("Passw0rd2024")
    assert default_token_generator.check_token(user, token)


def test_change_service_refuses_a_weak_password_and_keeps_the_old_one(assert_nothing_changed):
    """ID-4/ACC-7: password_change enforces the policy on the new password."""
    user = UserFactory()
    with assert_nothing_changed("weak change"), pytest.raises(TransitionRefused) as refused:
        password_change(user=user, old_password="Passw0rd2024", new_password=WEAK)
    assert refused.value.field == "new_password" and refused.value.code == "password_weak"
    user.refresh_from_db()
    assert user.check_password("Passw0rd2024")


def test_a_refusal_carries_no_http_status():
    """API-1: TransitionRefused says what was refused and why, never how an interface answers it."""
    refusal = TransitionRefused("x", code="already_activated")
    assert not hasattr(refusal, "status")
    with pytest.raises(TypeError):
        TransitionRefused("x", code="too_soon", status=429)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("id_number_taken", 409),
        ("already_activated", 409),
        ("too_soon", 429),
        ("daily_limit", 429),
        ("attempts_exhausted", 429),
        ("password_locked", 429),
        ("not_doctor", 403),
        ("code_invalid", 400),
        ("password_weak", 400),
        ("anything_new", 400),
    ],
)
def test_the_api_maps_each_code_to_its_status_in_one_table(code, expected):
    """API-1: one table code → HTTP status; any code not listed is 400."""
    assert refusal_status(TransitionRefused("x", code=code)) == expected
    assert REFUSAL_STATUS.get(code, 400) == expected


def test_an_endpoint_may_answer_a_code_its_own_way():
    """API-1: after activation, PUT identity/ is forbidden (403), where activating again is a conflict (409)."""
    user = UserFactory(activated=True, real_name="钱七")
    api = APIClient()
    api.force_authenticate(user)
    response = api.put(
        "/api/v1/accounts/identity/",
        {"real_name": "钱七", "id_number": make_resident_id(seq="778")},
        format="json",
    )
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "already_activated"
    response = api.post("/api/v1/accounts/activation/code/", {"code": "ABCDEFGH"}, format="json")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "already_activated"


@pytest.mark.parametrize(
    ("records", "path", "form_field"),
    [
        ("valid_record", "code", "code"),
        ("certificate", "certificate", "number"),
        ("passed_exam", "ticket", "ticket"),
        ("nothing", None, None),
    ],
)
def test_one_selector_says_which_activation_path_applies_to_page_and_api(client, records, path, form_field):
    """ACC-5: activation_route_for decides; the page's form and the API's `paths` both come from it."""
    user = UserFactory(
        real_name="钱七", id_number=make_resident_id(seq="779"), checked=True, phone_verified=True
    )
    identity = {"real_name": "钱七", "id_number": make_resident_id(seq="779")}
    if records == "valid_record":
        record = PracticeRecordFactory(**identity)
    elif records == "certificate":
        CertificateFactory(**identity)
    elif records == "passed_exam":
        ExamResultFactory(**identity, passed=True)
    route = activation_route_for(user=user)
    assert route.path == path
    assert route.institution == (record.main_institution if records == "valid_record" else None)
    client.force_login(user)
    page = client.get(reverse("accounts:activation"))
    assert page.context["route"] == route
    html = page.content.decode()
    if form_field:
        assert f'name="path" value="{path}"' in html and f'name="{form_field}"' in html
    else:
        assert 'name="path"' not in html
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/accounts/activation/").json()["paths"] == route.paths
