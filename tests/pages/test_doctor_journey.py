"""The doctor's whole journey in a real browser, for each activation path (ACC-1 … ACC-5, ACC-8).

Sign-up (two steps) → summary → qualification check → phone verification with the code read from
the test SMS backend → activation by (a) the institution's code, (b) the certificate number,
(c) the admission ticket → the home page with the imported records. Every step is photographed
at 375 px and desktop (artifacts/screenshots/journey-*), and every log line written meanwhile is
checked for clear ID numbers and phones (X-3).
"""

import logging
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.services.activation import activation_code_issue
from tests.factories import (
    AssessmentResultFactory,
    AuthorityFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
    region_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
PASSWORD = "Yiliao2024go"


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import; the live server shares this process.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def _people(size):
    """Three doctors-to-be and the records the exam centre and the registry hold for them."""
    _province, _city, furong, _tianxin = region_tree()
    hospital = InstitutionFactory(name="长沙市第一医院", region=furong)
    authority = AuthorityFactory(region=furong, name="湖南省长沙市芙蓉区卫生健康局")
    seq = {"desktop": 1, "phone": 5}[size]
    a_id = make_resident_id(birth="19800312", seq=f"{seq}31")
    b_id = make_resident_id(birth="19920705", seq=f"{seq}42")
    c_id = make_resident_id(birth="19990918", seq=f"{seq}13")
    CertificateFactory(real_name="刘建国", id_number=a_id, number=f"20084311043010219800312{seq}315")
    PracticeRecordFactory(
        real_name="刘建国",
        id_number=a_id,
        main_institution=hospital,
        authority=authority,
        certificate_number="110430100012345",
    )
    AssessmentResultFactory(
        real_name="刘建国", id_number=a_id, cycle="2021-2023", assessing_body="长沙市医师协会"
    )
    b_cert = CertificateFactory(real_name="陈晓梅", id_number=b_id, number=f"20184311043010319920705{seq}426")
    c_exam = ExamResultFactory(real_name="李明轩", id_number=c_id, admission_ticket=f"20251104301{seq}0013")
    return {
        "a": {"name": "刘建国", "id": a_id, "phone": f"1390731{seq}001", "hospital": hospital},
        "b": {"name": "陈晓梅", "id": b_id, "phone": f"1390731{seq}002", "key": b_cert.number},
        "c": {"name": "李明轩", "id": c_id, "phone": f"1390731{seq}003", "key": c_exam.admission_ticket},
    }


def _sign_up(page, live_server, look, person, username):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="登录").first.click()
    page.get_by_role("link", name="注册新账号").click()
    page.get_by_label("您的姓名").fill(person["name"])
    page.get_by_label("身份证号").fill(person["id"])
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_label("我同意").check()
    look("1-signup-identity")
    page.get_by_role("button", name="确定，继续").click()
    page.wait_for_url("**/signup/account/")
    page.get_by_label("手机号码").fill(person["phone"])
    page.get_by_label("电子邮箱").fill(f"{username}@example.com")
    page.get_by_label("用户名称").fill(username)
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    look("2-signup-account")
    page.get_by_role("button", name="确定，继续").click()
    page.wait_for_url("**/signup/done/")
    expect(page.get_by_text("注册信息，请牢记！")).to_be_visible()
    assert person["phone"] not in page.content()  # masked on the summary
    look("3-signup-done")
    page.get_by_role("link", name="点击下一步").click()


def _check_and_verify_phone(page, look, person, sms_inbox):
    page.wait_for_url("**/check/")
    expect(page.get_by_text("恭喜").first).to_be_visible()
    look("4-check-passed")
    page.get_by_role("button", name="点击此处验证手机").click()
    page.wait_for_url("**/security/phone/")
    page.get_by_role("button", name="向手机发送校验码").click()
    expect(page.get_by_text("校验码已发送至")).to_be_visible()
    look("5-phone-code-sent")
    page.get_by_label("请填写手机校验码").fill(sms_inbox.last_code(person["phone"]))
    page.get_by_role("button", name="确定", exact=True).click()
    page.wait_for_url("**/activation/")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", ["a", "b", "c"])
def test_doctor_signs_up_verifies_and_activates(live_server, page, screenshot, sms_inbox, caplog, size, path):
    """ACC-1…5, ACC-8: the whole journey, for activation paths a, b and c, at 375 px and desktop."""
    caplog.set_level(logging.DEBUG)
    people = _people(size)
    person = people[path]
    username = f"doc{path}{size[:3]}01"
    page.set_viewport_size(SIZES[size])

    def look(step):
        screenshot(page, f"journey-{path}-{step}-{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"], (
            f"{step} scrolls sideways"
        )

    _sign_up(page, live_server, look, person, username)
    _check_and_verify_phone(page, look, person, sms_inbox)
    doctor = User.objects.get(username=username)
    assert doctor.phone_verified and not doctor.is_activated

    look("6-activation")
    if path == "a":
        # The institution issues the code (its console comes later; the admin action does the same).
        expect(page.get_by_text("长沙市第一医院").first).to_be_visible()
        officer = UserFactory(officer=True, institution=person["hospital"])
        activation_code_issue(doctor=doctor, institution=person["hospital"], issued_by=officer)
        texts = [m["text"] for m in sms_inbox() if m["to"] == person["phone"]]
        key = re.search(r"激活码为 ([A-Z0-9]+)", texts[-1]).group(1)
        field = "请输入账户激活码"
    elif path == "b":
        key, field = person["key"], "请输入您的医师资格证书编码"
    else:
        key, field = person["key"], "请输入医学综合笔试准考证号"
    page.get_by_label(field).fill("WRONG123")
    page.get_by_role("button", name="激活我的账户").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    look("7-activation-refused")
    page.get_by_label(field).fill(key)
    page.get_by_role("button", name="激活我的账户").click()

    # Home: the imported records.
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_text("您的账户已激活")).to_be_visible()
    expect(page.get_by_text(person["name"]).first).to_be_visible()
    look("8-home")
    doctor.refresh_from_db()
    assert (
        doctor.is_activated
        and doctor.activation_path == {"a": "code", "b": "certificate", "c": "ticket"}[path]
    )
    if path == "a":
        expect(page.get_by_text("长沙市第一医院").first).to_be_visible()
        page.get_by_role("link", name="执业信息").first.click()
        page.wait_for_url("**/accounts/practice/")
        expect(page.get_by_text("有效").first).to_be_visible()
        look("9-practice")
        page.get_by_role("link", name="考核信息").first.click()
        page.wait_for_url("**/accounts/assessment/")
        expect(page.get_by_text("2021-2023")).to_be_visible()
        look("10-assessment")
    page.get_by_role("link", name="资格信息").first.click()
    page.wait_for_url("**/accounts/qualification/")
    look("11-qualification")
    assert person["id"] not in page.content()  # masked everywhere

    # no clear ID number or phone in any log line written during the journey.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (person["id"], person["phone"]):
        assert secret not in logged
