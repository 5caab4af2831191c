"""X-4: input is NFKC-normalised once, in the identity kernel, before it is validated, hashed or stored.

Full-width, superscript, circled and Arabic-Indic digits are the same number as ASCII digits (so the
same person cannot hold two accounts); invisible and bidi characters are refused in names, e-mails and
usernames; a phone typed in any of these never reaches phonenumbers unnormalised (no 500).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.backends import user_for_login
from accounts.models import User
from docregsys.identity.crypto import id_number_digest
from docregsys.identity.normalize import ascii_digits, normalize_code, normalize_id_number, normalize_phone
from docregsys.identity.validators import (
    validate_email_address,
    validate_mobile,
    validate_real_name,
    validate_resident_id,
    validate_username,
)
from qualifications.selectors import certificates_for_id_number, exam_results_for_id_number
from tests.factories import CertificateFactory, ExamResultFactory, UserFactory, make_resident_id

ID_NUMBER = make_resident_id(region="110105", birth="19850101", seq="217")
FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
ARABIC_INDIC = {ord(c): 0x0660 + int(c) for c in "0123456789"}
SUPERSCRIPT = dict(zip(map(ord, "0123456789"), "⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True))
CIRCLED = dict(zip(map(ord, "0123456789"), "⓪①②③④⑤⑥⑦⑧⑨", strict=True))
ETHIOPIC = dict(zip(map(ord, "123456789"), "፩፪፫፬፭፮፯፰፱", strict=True))  # digit-like, no decimal value

PHONE = "13912345678"
PHONE_VARIANTS = {
    "full-width": PHONE.translate(FULLWIDTH),
    "superscript": PHONE.translate(SUPERSCRIPT),
    "circled": PHONE.translate(CIRCLED),
    "arabic-indic": PHONE.translate(ARABIC_INDIC),
    "spaced +86": "+86 139 1234 5678",
}
INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "hangul filler": "\u3164",
}
INVISIBLE_MESSAGE = "含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"


def half_fullwidth(number: str) -> str:
    """1101051985０１０１２１７3: the middle typed with a full-width input method."""
    return number[:10] + number[10:17].translate(FULLWIDTH) + number[17:]


# ---------------------------------------------------------------- the kernel


@pytest.mark.parametrize("kind", PHONE_VARIANTS)
def test_every_decimal_digit_becomes_its_ascii_digit(kind):
    """X-4: NFKC turns full-width, superscript and circled digits into ASCII; Arabic-Indic ones are mapped."""
    assert normalize_phone(PHONE_VARIANTS[kind]) == PHONE
    assert validate_mobile(PHONE_VARIANTS[kind]) == PHONE


def test_digit_lookalikes_without_a_decimal_value_are_refused_not_guessed():
    """X-4: Ethiopic ፩ looks like a digit (str.isdigit() is true) but has no decimal value: a field error."""
    assert ascii_digits("1፩") == "1፩"
    with pytest.raises(ValidationError) as exc:
        validate_mobile(PHONE.translate(ETHIOPIC))
    assert exc.value.code == "mobile_characters"
    assert exc.value.messages == ["手机号码只能由数字组成。"]


def test_an_id_number_typed_half_full_width_is_the_same_number_and_digest():
    """X-4 / ID-1: 1101051985０１０１２１７3 validates as, and hashes like, 110105198501012173."""
    typed = half_fullwidth(ID_NUMBER)
    assert typed != ID_NUMBER
    assert normalize_id_number(typed) == ID_NUMBER
    assert validate_resident_id(typed).number == ID_NUMBER
    assert validate_resident_id(ID_NUMBER.translate(ARABIC_INDIC)).number == ID_NUMBER
    assert id_number_digest(typed) == id_number_digest(ID_NUMBER)


def test_codes_are_ascii_digits_and_upper_case():
    """X-4: certificate numbers, tickets and codes typed full-width are the ASCII code."""
    assert normalize_code(" ２００８ ４３１１０ ") == "200843110"
    assert normalize_code("ａｂ１２") == "AB12"


@pytest.mark.parametrize("kind", INVISIBLE)
def test_invisible_characters_are_refused_in_names_emails_and_usernames(kind):
    """X-4: a zero-width or bidi character is refused with a message that says what it is."""
    char = INVISIBLE[kind]
    cases = [
        (validate_real_name, f"王{char}小明", "姓名"),
        (validate_email_address, f"wang@ex{char}ample.com", "电子邮箱"),
        (validate_username, f"wang{char}xm2024", "用户名"),
    ]
    for validator, value, label in cases:
        with pytest.raises(ValidationError) as exc:
            validator(value)
        assert exc.value.code == "invisible_characters", (validator.__name__, kind)
        assert exc.value.messages == [label + INVISIBLE_MESSAGE]


def test_invisible_characters_in_an_id_number_are_named_not_counted():
    """X-4: 18 visible characters plus a zero-width one get the invisible-character message, not "19位"."""
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(ID_NUMBER[:6] + "\u200b" + ID_NUMBER[6:])
    assert exc.value.code == "invisible_characters"


def test_full_width_text_is_folded():
    """X-4: NFKC folds full-width letters of an e-mail or username into ASCII before they are stored."""
    assert validate_email_address("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "wang@example.com"
    assert validate_username("ｗａｎｇｘｍ２０２４") == "wangxm2024"


# ---------------------------------------------------------------- sign-up: one account per person


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


SIGNUP = {
    "real_name": "赵六",
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "email": "zhao@example.com",
    "username": "zhaoliu88",
    "password": "Yiliao2024go",
    "password_confirm": "Yiliao2024go",
    "agree_privacy": True,
    "captcha_key": "k",
    "captcha_value": "PASSED",
}


def api_signup(**changes):
    return APIClient().post(reverse("accounts-api:signup"), {**SIGNUP, **changes}, format="json")


@pytest.mark.django_db
def test_api_sign_up_refuses_a_second_account_for_the_id_typed_full_width():
    """X-4 / ACC-1: the same person typed with full-width digits is the same ID number: 409."""
    UserFactory(id_number=ID_NUMBER, username="owner0001")
    response = api_signup(id_number=half_fullwidth(ID_NUMBER))
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "id_number_taken"
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_page_sign_up_refuses_a_second_account_for_the_id_typed_full_width(client):
    """X-4 / ACC-1: the page's step 1 refuses it too, and keeps nothing in the session."""
    UserFactory(id_number=ID_NUMBER, username="owner0001")
    response = client.post(
        reverse("accounts:signup"),
        {
            "real_name": "王小明",
            "id_number": half_fullwidth(ID_NUMBER),
            "captcha_0": "k",
            "captcha_1": "PASSED",
            "agree": "on",
        },
    )
    assert response.status_code == 200
    assert "该身份证号已注册过账户" in response.content.decode()
    assert "signup_identity" not in client.session
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["superscript", "circled", "arabic-indic", "full-width"])
def test_api_sign_up_stores_the_phone_in_ascii_digits(kind):
    """X-4 / ID-5: no 500 from phonenumbers; the account holds 13912345678, whatever digits were typed."""
    response = api_signup(phone=PHONE_VARIANTS[kind], id_number=half_fullwidth(ID_NUMBER))
    assert response.status_code == 201, response.content
    user = User.objects.get()
    assert user.phone == PHONE
    assert user.id_number == ID_NUMBER
    assert user.id_number_digest == id_number_digest(ID_NUMBER)


@pytest.mark.django_db
def test_api_sign_up_refuses_an_ethiopic_phone_with_a_field_error():
    """X-4: a digit-like phone is a 400 on the phone field, never a 500, and creates nothing."""
    response = api_signup(phone=PHONE.translate(ETHIOPIC))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "phone", "code": "mobile_characters", "message": "手机号码只能由数字组成。"}
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_api_sign_up_refuses_an_email_domain_with_a_zero_width_space():
    """X-4: ex\u200bample.com would deliver to example.com: refused on the e-mail field, nothing created."""
    response = api_signup(email="zhao@ex\u200bample.com")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("email", "invisible_characters")]
    assert errors[0]["message"] == "电子邮箱" + INVISIBLE_MESSAGE
    assert not User.objects.exists()


@pytest.mark.django_db
def test_page_sign_up_refuses_an_email_with_a_bidi_control_and_keeps_the_rest(client):
    """X-4: step 2 shows the error next to 电子邮箱 and keeps the phone and username typed."""
    client.post(
        reverse("accounts:signup"),
        {"real_name": "王小明", "id_number": ID_NUMBER, "captcha_0": "k", "captcha_1": "PASSED", "agree": "on"},
    )
    response = client.post(
        reverse("accounts:signup_account"),
        {
            "phone": PHONE_VARIANTS["full-width"],
            "email": "wang@example.com\u202e",
            "username": "wangxm2024",
            "password1": "Yiliao2024go",
            "password2": "Yiliao2024go",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "电子邮箱" + INVISIBLE_MESSAGE in html
    assert 'value="wangxm2024"' in html
    assert not User.objects.exists()


# ---------------------------------------------------------------- the same records, found


@pytest.mark.django_db
def test_login_finds_the_account_by_a_full_width_phone_or_certificate_number():
    """X-4 / ACC-2: the verified phone or certificate number typed full-width names the same account."""
    doctor = UserFactory(id_number=ID_NUMBER, phone=PHONE, phone_verified=True)
    CertificateFactory(id_number=ID_NUMBER, number="200843110110105198501012173")
    assert user_for_login(PHONE.translate(FULLWIDTH)) == doctor
    assert user_for_login(PHONE.translate(ARABIC_INDIC)) == doctor
    assert user_for_login("200843110110105198501012173".translate(FULLWIDTH)) == doctor


@pytest.mark.django_db
def test_the_qualification_lookups_find_the_records_of_the_id_typed_full_width():
    """X-4 / QUA-4: records imported under the ASCII number are found from the full-width one."""
    ExamResultFactory(id_number=ID_NUMBER)
    CertificateFactory(id_number=ID_NUMBER)
    assert len(exam_results_for_id_number(half_fullwidth(ID_NUMBER))) == 1
    assert len(certificates_for_id_number(half_fullwidth(ID_NUMBER))) == 1


@pytest.mark.django_db
def test_a_verified_phone_typed_full_width_is_taken(sms_inbox):
    """X-4 / ACC-4: one account per verified phone: ｛１３９…｝ is the phone someone else verified."""
    UserFactory(phone=PHONE, phone_verified=True)
    other = UserFactory(checked=True, phone="15175070658")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other).key}")
    for typed in (PHONE.translate(FULLWIDTH), PHONE.translate(ARABIC_INDIC)):
        response = api.post(reverse("accounts-api:phone_send"), {"phone": typed}, format="json")
        assert response.status_code in (400, 409), response.content
        assert response.json()["errors"][0]["code"] == "phone_taken"
    other.refresh_from_db()
    assert other.phone == "15175070658" and not other.phone_verified
    assert sms_inbox() == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["superscript", "circled", "arabic-indic"])
def test_phone_verification_codes_and_numbers_in_other_digits_work_end_to_end(kind, sms_inbox):
    """X-4 / ACC-4: the phone and the 6-digit code may both be typed in other digits; no 500 anywhere."""
    doctor = UserFactory(checked=True, phone="15175070658")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=doctor).key}")
    table = {"superscript": SUPERSCRIPT, "circled": CIRCLED, "arabic-indic": ARABIC_INDIC}[kind]
    response = api.post(reverse("accounts-api:phone_send"), {"phone": PHONE.translate(table)}, format="json")
    assert response.status_code == 202, response.content
    code = sms_inbox.last_code(PHONE)
    response = api.post(
        reverse("accounts-api:phone_confirm"),
        {"phone": PHONE.translate(table), "code": code.translate(FULLWIDTH)},
        format="json",
    )
    assert response.status_code == 200, response.content
    doctor.refresh_from_db()
    assert doctor.phone == PHONE and doctor.phone_verified


NON_ASCII_PHONES = {
    "superscript": (PHONE.translate(SUPERSCRIPT), True),
    "circled": (PHONE.translate(CIRCLED), True),
    "ethiopic": (PHONE.translate(ETHIOPIC), False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NON_ASCII_PHONES)
def test_recovery_by_phone_never_answers_500(client, kind, settings):
    """X-4 / ACC-6: page and API answer the recovery send as for any phone, or with a field error; never 500."""
    settings.CODE_RESEND_SECONDS = 0  # the page and the API send to the same number in a row
    phone, valid = NON_ASCII_PHONES[kind]
    response = client.post(
        reverse("accounts:recover_phone"), {"phone": phone, "captcha_0": "k", "captcha_1": "PASSED"}
    )
    if valid:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "手机号码只能由数字组成。" in response.content.decode()
    response = APIClient().post(
        reverse("accounts-api:recover_phone_send"),
        {"phone": phone, "captcha_key": "k", "captcha_value": "PASSED"},
        format="json",
    )
    assert response.status_code == (200 if valid else 400), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NON_ASCII_PHONES)
def test_security_phone_pages_never_answer_500(client, kind, settings, sms_inbox):
    """X-4 / ACC-4, ACC-7: verification and change of the phone, page and API: a code or a field error."""
    settings.CODE_RESEND_SECONDS = 0
    phone, valid = NON_ASCII_PHONES[kind]
    doctor = UserFactory(checked=True, phone="15175070658", password="Yiliao2024go")
    client.force_login(doctor)
    response = client.post(reverse("accounts:verify_phone"), {"action": "send", "phone": phone})
    assert response.status_code == 200
    assert ("手机号码只能由数字组成。" in response.content.decode()) is not valid
    doctor.refresh_from_db()
    assert doctor.phone == (PHONE if valid else "15175070658")

    changer = UserFactory(phone_verified=True, password="Yiliao2024go")
    client.force_login(changer)
    response = client.post(
        reverse("accounts:change_phone"), {"action": "send", "phone": phone, "password": "Yiliao2024go"}
    )
    assert response.status_code == 200
    assert ("手机号码只能由数字组成。" in response.content.decode()) is not valid
    api = APIClient()
    api.force_authenticate(changer)
    response = api.post(
        reverse("accounts-api:phone_change_send"), {"phone": phone, "password": "Yiliao2024go"}, format="json"
    )
    assert response.status_code == (202 if valid else 400), response.content
    assert len([m for m in sms_inbox() if m["to"] == PHONE]) == (3 if valid else 0)
