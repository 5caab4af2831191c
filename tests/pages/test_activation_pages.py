"""ACC-5 医师账户激活 page: each situation, refusals next to the field, success; screenshots (X-2)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import (
    ActivationCodeFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

ID = make_resident_id(seq="555")
URL = "/accounts/activation/"


def registered_doctor(**traits):
    user = UserFactory(real_name="宋宏强", id_number=ID, **traits)
    hospital = InstitutionFactory(name="山西大学医院")
    PracticeRecordFactory(real_name="宋宏强", id_number=ID, main_institution=hospital)
    return user, hospital


# ---------------------------------------------------------------------------------- server side


@pytest.mark.django_db
def test_url_name():
    """ACC-5: the page lives at accounts:activation."""
    assert reverse("accounts:activation") == URL


@pytest.mark.django_db
def test_not_checked_links_the_check(client):
    """ACC-5: step 1 not passed → link back to the check page; no activation form."""
    client.force_login(UserFactory())
    body = client.get(URL).content.decode()
    assert "医师账户激活第一步" in body and reverse("accounts:check") in body
    assert "激活我的账户" not in body


@pytest.mark.django_db
def test_phone_not_verified_links_phone_and_email(client):
    """ACC-5: checked but no verified phone → 点击此处验证手机 and the e-mail fallback."""
    user, _hospital = registered_doctor(checked=True)
    client.force_login(user)
    body = client.get(URL).content.decode()
    assert "恭喜，您已经通过医师资格信息校验！" in body
    assert "点击此处验证手机" in body and reverse("accounts:verify_phone") in body
    assert reverse("accounts:verify_email") in body
    assert 'name="path"' not in body


@pytest.mark.django_db
def test_registered_doctor_sees_the_code_form_naming_the_institution(client):
    """ACC-5a: 账户激活码需要您到您执业所在医疗机构 <b>X</b> 申领, and the path d box without dead links."""
    user, _hospital = registered_doctor(phone_verified=True)
    client.force_login(user)
    body = client.get(URL).content.decode()
    assert "账户激活码需要您到您执业所在医疗机构 <b>山西大学医院</b> 申领。" in body
    assert "请输入账户激活码" in body and "激活我的账户" in body
    assert "为方便未电子化注册省份的医师办理业务" in body
    assert 'href="#"' not in body


@pytest.mark.django_db
def test_code_form_wrong_code_keeps_input_and_shows_error(client):
    """ACC-5a: a wrong code → message next to the field, what was typed kept."""
    user, _hospital = registered_doctor(phone_verified=True)
    client.force_login(user)
    response = client.post(URL, {"path": "code", "code": "WRONG234"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "激活码不正确，请核对后重新输入。" in body and 'value="WRONG234"' in body
    assert 'aria-invalid="true"' in body


@pytest.mark.django_db
def test_code_form_success_redirects_home_with_message(client):
    """ACC-5a: the right code → 您的账户已激活 on the home page."""
    user, hospital = registered_doctor(phone_verified=True)
    ActivationCodeFactory(doctor=user, institution=hospital, code="GOOD2345")
    client.force_login(user)
    response = client.post(URL, {"path": "code", "code": "GOOD2345"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "您的账户已激活" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_activated


@pytest.mark.django_db
def test_certificate_form_for_a_doctor_without_valid_record(client):
    """ACC-5b: no valid record but a certificate → 输入资格证书编码激活账户."""
    user = UserFactory(real_name="陈晓梅", id_number=ID, phone_verified=True)
    cert = CertificateFactory(real_name="陈晓梅", id_number=ID)
    client.force_login(user)
    body = client.get(URL).content.decode()
    assert "输入资格证书编码激活账户" in body and "请输入您的医师资格证书编码" in body
    response = client.post(URL, {"path": "certificate", "number": cert.number})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).activation_path == "certificate"


@pytest.mark.django_db
def test_ticket_form_for_a_new_exam_passer(client):
    """ACC-5c: a passed exam and no certificate → the admission-ticket form; a failed ticket is refused."""
    user = UserFactory(real_name="李明轩", id_number=ID, phone_verified=True)
    ExamResultFactory(real_name="李明轩", id_number=ID)
    failed = ExamResultFactory(real_name="李明轩", id_number=ID, year=2024, passed=False)
    client.force_login(user)
    body = client.get(URL).content.decode()
    assert "输入准考证号激活账户" in body and "医学综合笔试准考证号" in body
    body = client.post(URL, {"path": "ticket", "ticket": failed.admission_ticket}).content.decode()
    assert "该准考证号对应的考试成绩未合格，不能用于激活账户。" in body


@pytest.mark.django_db
def test_another_path_than_the_shown_one_is_refused(client):
    """ACC-5: a registered doctor cannot post the certificate form instead of the code."""
    user, _hospital = registered_doctor(phone_verified=True)
    client.force_login(user)
    assert client.post(URL, {"path": "certificate", "number": "1"}).status_code == 400


@pytest.mark.django_db
def test_activated_doctor_is_told_so(client):
    """ACC-5: an activated account sees that it is active, no form."""
    client.force_login(UserFactory(activated=True))
    body = client.get(URL).content.decode()
    assert "您的账户已激活" in body and "激活我的账户" not in body


@pytest.mark.django_db
def test_officer_and_anonymous_refused(client):
    """ACC-5: doctors only."""
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory(officer=True))
    assert client.get(URL).status_code == 403


# ---------------------------------------------------------------------------------------- browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def _login(page, live_server, username):
    """A session made on the server side (the login form has its own tests), handed to the browser."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_activation_page_situations_look(live_server, page, screenshot, size):
    """ACC-5: the page in each situation at 375 px and desktop; no sideways scroll; path a end to end."""
    page.set_viewport_size(SIZES[size])
    width = SIZES[size]["width"]

    def shoot(name):
        page.goto(live_server.url + URL)
        screenshot(page, f"activation-{name}-{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    UserFactory(username="act-unchecked", real_name="张三", id_number=make_resident_id(seq="601"))
    _login(page, live_server, "act-unchecked")
    shoot("unchecked")
    page.context.clear_cookies()

    user, hospital = registered_doctor(username="act-code", checked=True)
    _login(page, live_server, "act-code")
    shoot("phone-unverified")
    User.objects.filter(pk=user.pk).update(phone="13800000001", phone_verified_at=user.checked_at)
    shoot("code")
    page.get_by_label("请输入账户激活码").fill("WRONG234")
    page.get_by_role("button", name="激活我的账户").click()
    expect(page.get_by_text("激活码不正确，请核对后重新输入。")).to_be_visible()
    screenshot(page, f"activation-code-error-{size}")
    ActivationCodeFactory(doctor=user, institution=hospital, code="GOOD2345")
    page.get_by_label("请输入账户激活码").fill("GOOD2345")
    page.get_by_role("button", name="激活我的账户").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_text("您的账户已激活").first).to_be_visible()
    screenshot(page, f"activation-done-home-{size}")
    shoot("activated")
    page.context.clear_cookies()

    other_id = make_resident_id(seq="602")
    UserFactory(username="act-cert", real_name="陈晓梅", id_number=other_id, phone_verified=True)
    CertificateFactory(real_name="陈晓梅", id_number=other_id)
    _login(page, live_server, "act-cert")
    shoot("certificate")
    page.context.clear_cookies()

    third_id = make_resident_id(seq="603")
    UserFactory(username="act-ticket", real_name="李明轩", id_number=third_id, phone_verified=True)
    ExamResultFactory(real_name="李明轩", id_number=third_id)
    _login(page, live_server, "act-ticket")
    shoot("ticket")
