"""PUB-1 in a real browser: 医师执业信息查询, a result, a code check and a certificate QR, desktop and phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from docregsys.reference.models import PracticeScope
from printing.kinds import KINDS, content_hash
from printing.links import certificate_payload, certificate_token, live_code
from printing.models import Document
from registrations.models import PracticeRecord
from registrations.numbers import mod11_10_check
from tests.factories import ExamResultFactory, InstitutionFactory, PracticeRecordFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
BODY = "43202000000001"
NUMBER = BODY + mod11_10_check(BODY)


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _world():
    place = RegionFactory(code="430102", name="芙蓉区", full_name="湖南省长沙市芙蓉区", level="county")
    hospital = InstitutionFactory(name="长沙市第一医院", region=place)
    valid = PracticeRecordFactory(real_name="刘建国", certificate_number=NUMBER, main_institution=hospital)
    valid.scopes.add(PracticeScope.objects.create(code="0301", name="内科专业"))
    PracticeRecordFactory(
        real_name="刘建国",
        certificate_number=NUMBER,
        main_institution=InstitutionFactory(name="湘雅测试医院", region=place),
        approval_date=valid.approval_date.replace(year=2014),
        state=PracticeRecord.State.DEREGISTERED,
    )
    result = ExamResultFactory(real_name="王五", year=2025, written_score=412)
    # Made directly (document_request would render at commit, inside Playwright's event loop).
    report = Document.objects.create(
        kind=Document.Kind.SCORE_REPORT,
        exam_result=result,
        institution=hospital,
        content_hash=content_hash(KINDS["score_report"], result),
        state=Document.State.DONE,
        rendered_at=timezone.now(),
    )
    certificate = Document.objects.create(
        kind=Document.Kind.CERTIFICATE, record=valid, content_hash="0" * 64, state=Document.State.DONE
    )
    token = certificate_token(
        certificate_payload(
            code=certificate.code,
            certificate_number=NUMBER,
            real_name="刘建国",
            level="physician",
            category="clinical",
            issued="2026-01-05",
        )
    )
    return report, certificate, token


@pytest.mark.parametrize("size", SIZES)
def test_public_verification_pages_look_right(live_server, page, screenshot, size):
    """PUB-1: the four pages at 1280 px and 390 px, no horizontal scrolling, no CSP errors."""
    report, certificate, token = _world()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(SIZES[size])

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="医师执业信息查询").first.click()
    expect(page.get_by_role("heading", name="医师执业信息查询", exact=True)).to_be_visible()
    screenshot(page, f"issue11-public-index-{size}")
    assert fits(page, SIZES[size]["width"])

    page.get_by_role("textbox", name="姓名").fill("刘建国")
    page.get_by_role("textbox", name="执业证书编码").fill(NUMBER)
    page.get_by_role("textbox", name="验证码").fill("PASSED")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="查询结果")).to_be_visible()
    expect(page.get_by_text("该执业注册已注销")).to_be_visible()
    screenshot(page, f"issue11-public-result-{size}")
    assert fits(page, SIZES[size]["width"])

    page.get_by_role("textbox", name="核验编码").fill(report.code_display.lower())
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_role("heading", name="有效")).to_be_visible()
    screenshot(page, f"issue11-public-code-{size}")
    assert fits(page, SIZES[size]["width"])

    otp, _left = live_code(certificate.code)
    page.goto(f"{live_server.url}/verify/q/{token}/?otp={otp}")
    expect(page.get_by_text("动态验证码有效（实时出示）")).to_be_visible()
    screenshot(page, f"issue11-public-qr-{size}")
    assert fits(page, SIZES[size]["width"])

    page.goto(f"{live_server.url}/verify/offline/")
    screenshot(page, f"issue11-public-offline-{size}")
    assert fits(page, SIZES[size]["width"])
    assert not [e for e in errors if "Content Security Policy" in e], errors
