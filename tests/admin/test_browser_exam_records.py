"""APP-5 in a real browser: a county reviewer's certificate list, the exact lookup, the audit list."""

import pytest

from qualifications.models import RecordLookup
from tests.factories import AuthorityFactory, CertificateFactory, UserFactory, make_resident_id, region_tree


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.mark.browser
def test_a_county_reviewer_looks_up_another_provinces_certificate(
    page, live_server, transactional_db, screenshot
):
    """APP-5, X-3: the list shows the county's masked certificate; the lookup by POST finds Hubei's, audited."""
    _province, _city, furong, _tianxin = region_tree()
    UserFactory(username="frreviewer", reviewer=True, authority=AuthorityFactory(region=furong))
    UserFactory(username="root", is_staff=True, is_superuser=True)
    own_id, other_id = make_resident_id(seq="401"), make_resident_id(region="420102", seq="402")
    CertificateFactory(id_number=own_id, number=f"200843110{own_id}", real_name="芙蓉甲")
    other = CertificateFactory(id_number=other_id, number=f"200842110{other_id}", real_name="江岸乙")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/qualifications/qualificationcertificate/")
    page.fill("#id_username", "frreviewer")
    page.fill("#id_password", "Passw0rd2024")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    assert "芙蓉甲" in page.content() and "江岸乙" not in page.content()
    assert own_id not in page.content()
    screenshot(page, "app5-certificates-county-1280")
    page.select_option("#record-lookup-form select[name=by]", "certificate_number")
    page.fill("#record-lookup-form input[name=value]", other.number)
    page.click("#record-lookup-form input[type=submit]")
    page.wait_for_selector("text=辖区外（仅本次查找可见）")
    assert "江岸乙" in page.content() and other.number not in page.content()
    assert other.number not in page.url and other_id not in page.url
    screenshot(page, "app5-lookup-result-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "app5-lookup-result-375")
    assert RecordLookup.objects.get().outside_region == 1
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/qualifications/recordlookup/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "Passw0rd2024")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    assert other_id not in page.content()
    screenshot(page, "app5-lookup-audit-1280")
