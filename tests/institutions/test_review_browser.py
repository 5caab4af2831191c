"""REG-8 → INS-7 in a real browser: the doctor edits 任职资格 and uploads a photo, the officer approves, the
doctor's 首页 shows the new title; screenshots at desktop and phone widths."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from docregsys.reference.models import Title
from registrations.models import ProfileChange
from tests import personas
from tests.photos import photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}  # Chinese pages, as in tests/pages/conftest.py


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_doctor_edits_officer_approves_home_shows_it(live_server, page, screenshot, size, settings, tmp_path):
    """REG-8, INS-7: the whole round trip through the pages, at both widths, no sideways scrolling."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    for code, name in (("231", "主任医师"), ("233", "主治医师")):
        Title.objects.get_or_create(code=code, defaults={"name": name})
    doctor, officer = personas.doctor_a(), personas.officer_x()
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])

    log_in(page, live_server, doctor)
    page.goto(live_server.url + "/accounts/maintenance/")
    expect(page.get_by_text("您修改的内容需您执业所在医疗机构审核!")).to_be_visible()
    screenshot(page, f"review-maintenance-{size}")
    assert no_horizontal_scroll(page, width)
    page.get_by_role("link", name="信息修改").click()
    page.get_by_label("毕业学校").fill("北京大学医学部")
    page.get_by_label("学历").select_option("硕士研究生")
    page.get_by_label("所学专业").fill("内科学")
    page.get_by_label("任职资格").select_option("主任医师")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("芙蓉医院审核中")).to_be_visible()
    page.get_by_role("link", name="点击上传相片").click()
    photo = tmp_path / "me.jpg"
    photo.write_bytes(photo_bytes())
    page.locator("#id_photo").set_input_files(str(photo))
    screenshot(page, f"review-upload-{size}")
    page.get_by_role("button", name="点击上传您的相片").click()
    expect(page.get_by_alt_text("我上传的相片")).to_be_visible()
    screenshot(page, f"review-my-photo-{size}")
    change = ProfileChange.objects.get(doctor=doctor)
    assert change.info_changed and change.photo

    log_in(page, live_server, officer)
    page.goto(live_server.url + "/institution/reviews/")
    expect(page.get_by_role("cell", name="王甲")).to_be_visible()
    screenshot(page, f"review-queue-{size}")
    assert no_horizontal_scroll(page, width)
    page.get_by_role("link", name="审核", exact=True).click()
    expect(page.get_by_text("该医师请求变更的内容")).to_be_visible()
    expect(page.get_by_alt_text("该医师上传的个人相片")).to_be_visible()
    screenshot(page, f"review-detail-{size}")
    assert no_horizontal_scroll(page, width)
    page.get_by_role("button", name="审核通过").click()
    expect(page.get_by_text("已审核通过")).to_be_visible()

    log_in(page, live_server, doctor)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("主任医师")).to_be_visible()
    expect(page.get_by_text("北京大学医学部")).to_be_visible()
    screenshot(page, f"review-home-after-{size}")
    assert personas.DOCTOR_A_ID not in page.content()
