"""APP-5, X-3: exam-centre records scoped by region in the admin; other regions only by an exact, audited lookup."""

import re

import pytest
from django.urls import reverse

from qualifications.models import (
    AssessmentResult,
    ExamResult,
    QualificationCertificate,
    RecordLookup,
    mask_certificate_number,
)
from qualifications.regions import ExamRegionResolver
from qualifications.selectors import (
    assessment_list_for,
    certificate_list_for,
    exam_result_list_for,
    import_batch_list_for,
)
from tests.factories import (
    AssessmentResultFactory,
    CertificateFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

FURONG_ID = make_resident_id(region="430102", seq="201")
TIANXIN_ID = make_resident_id(region="430103", seq="202")
HUBEI_ID = make_resident_id(region="420102", seq="203")


def cert_number(id_number, province="43"):
    return f"2008{province}110{id_number}"


@pytest.fixture
def records(regions):
    """One certificate, assessment and exam result each in 芙蓉区, 天心区 and 湖北省."""
    out = {}
    for key, number, province, area, site in [
        ("furong", FURONG_ID, "43", "湖南省", "湖南省芙蓉区考点"),
        ("tianxin", TIANXIN_ID, "43", "湖南省", "湖南省天心区考点"),
        ("hubei", HUBEI_ID, "42", "湖北省", "湖北省江岸区考点"),
    ]:
        resolve = ExamRegionResolver([(r.code, r.name, r.full_name, r.level) for r in regions.values()])
        out[key] = {
            "cert": CertificateFactory(
                id_number=number, number=cert_number(number, province), real_name="甲" + key
            ),
            "assessment": AssessmentResultFactory(id_number=number, real_name="乙" + key),
            "exam": ExamResultFactory(
                id_number=number, exam_area=area, exam_site=site, region_code=resolve(area, site)
            ),
        }
    return out


def _names(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_the_region_comes_from_the_holders_id_and_the_exam_site(records):
    """APP-5: certificates and assessments by the holder's resident ID, exam results by 考区/考点."""
    assert records["furong"]["cert"].region_code == "430102"
    assert records["hubei"]["assessment"].region_code == "420102"
    assert records["tianxin"]["exam"].region_code == "430103"
    assert records["hubei"]["exam"].region_code == "420102"


@pytest.mark.parametrize(
    "selector, key",
    [(certificate_list_for, "cert"), (assessment_list_for, "assessment"), (exam_result_list_for, "exam")],
)
def test_each_reviewer_lists_only_the_records_of_their_region(
    records, county_reviewer, city_reviewer, province_reviewer, national_reviewer, superuser, selector, key
):
    """APP-5: 芙蓉区 sees 芙蓉区, 长沙市 and 湖南省 see both counties, the nation and the superuser all."""
    pk = {k: records[k][key].pk for k in records}
    assert _names(selector(user=county_reviewer)) == [pk["furong"]]
    assert _names(selector(user=city_reviewer)) == sorted([pk["furong"], pk["tianxin"]])
    assert _names(selector(user=province_reviewer)) == sorted([pk["furong"], pk["tianxin"]])
    assert _names(selector(user=national_reviewer)) == sorted(pk.values())
    assert _names(selector(user=superuser)) == sorted(pk.values())


@pytest.mark.parametrize(
    "selector", [certificate_list_for, assessment_list_for, exam_result_list_for, import_batch_list_for]
)
def test_the_selectors_deny_everyone_not_granted(records, doctor, selector):
    """APP-5: deny by default: a doctor, an officer, a role-less staff user, nobody get nothing."""
    for user in (doctor, UserFactory(officer=True), UserFactory(is_staff=True), None):
        assert not selector(user=user).exists()


def test_a_county_reviewer_gets_404_on_another_provinces_certificate(client, records, county_reviewer):
    """APP-5: the change page, the history and the list all start from the selector."""
    client.force_login(county_reviewer)
    other = records["hubei"]["cert"]
    for name in ("change", "history"):
        url = reverse(f"admin:qualifications_qualificationcertificate_{name}", args=[other.pk])
        assert client.get(url).status_code == 404
    own = records["furong"]["cert"]
    url = reverse("admin:qualifications_qualificationcertificate_change", args=[own.pk])
    assert client.get(url).status_code == 200
    listing = client.get(reverse("admin:qualifications_qualificationcertificate_changelist"))
    assert [c.pk for c in listing.context["cl"].result_list] == [own.pk]


def test_an_exact_lookup_reaches_another_region_and_is_audited(client, records, county_reviewer):
    """APP-5: a full certificate number by POST shows the Hubei record once, and the lookup is recorded."""
    client.force_login(county_reviewer)
    other = records["hubei"]["cert"]
    response = client.post(
        reverse("admin:qualifications_qualificationcertificate_lookup"),
        {"by": "certificate_number", "value": other.number.lower()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert [row["in_region"] for row in response.context["rows"]] == [False]
    assert other.number not in html and HUBEI_ID not in html
    assert mask_certificate_number(other.number) in html and "辖区外" in html
    audit = RecordLookup.objects.get()
    assert (audit.user, audit.record_kind, audit.by) == (
        county_reviewer,
        "certificates",
        "certificate_number",
    )
    assert (audit.found, audit.outside_region, audit.found_ids) == (1, 1, [other.pk])
    assert audit.value_masked == mask_certificate_number(other.number)
    assert other.number not in str(list(RecordLookup.objects.values_list()))  # never the clear number


def test_an_exact_lookup_by_id_number_finds_every_kind(client, records, county_reviewer):
    """APP-5: the ID number is compared by digest; a prefix of it finds nothing."""
    client.force_login(county_reviewer)
    for model in ("examresult", "assessmentresult", "qualificationcertificate"):
        url = reverse(f"admin:qualifications_{model}_lookup")
        response = client.post(url, {"by": "id_number", "value": HUBEI_ID})
        assert len(response.context["rows"]) == 1, model
        response = client.post(url, {"by": "id_number", "value": HUBEI_ID[:10]})
        assert response.context["rows"] == [], model
    assert RecordLookup.objects.count() == 6
    assert set(RecordLookup.objects.values_list("found", flat=True)) == {0, 1}


def test_a_lookup_by_get_or_with_bad_input_writes_no_audit_and_no_500(client, records, county_reviewer):
    """X-4: a GET redirects to the list; an empty or non-alphanumeric value is a form error."""
    client.force_login(county_reviewer)
    url = reverse("admin:qualifications_qualificationcertificate_lookup")
    assert client.get(url).status_code == 302
    for value in ("", "430102' OR 1=1", "x" * 200):
        response = client.post(url, {"by": "certificate_number", "value": value})
        assert response.status_code == 200 and response.context["searched"] is False
    response = client.post(
        reverse("admin:qualifications_examresult_lookup"), {"by": "certificate_number", "value": "1"}
    )
    assert response.status_code == 200 and response.context["searched"] is False
    assert not RecordLookup.objects.exists()


def test_the_audit_list_is_for_the_superuser_only(
    client, records, county_reviewer, province_reviewer, superuser
):
    """APP-5: who looked up what: the superuser reads it; no reviewer can, not even their own rows."""
    client.force_login(county_reviewer)
    client.post(
        reverse("admin:qualifications_qualificationcertificate_lookup"),
        {"by": "id_number", "value": HUBEI_ID},
    )
    url = reverse("admin:qualifications_recordlookup_changelist")
    for reviewer in (county_reviewer, province_reviewer):
        client.force_login(reviewer)
        assert client.get(url).status_code == 403
    client.force_login(superuser)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and str(county_reviewer) in html and "1" in html
    assert HUBEI_ID not in html and HUBEI_ID[:4] + "**********" + HUBEI_ID[-4:] in html
    audit = RecordLookup.objects.get()
    assert (
        client.post(reverse("admin:qualifications_recordlookup_delete", args=[audit.pk])).status_code == 403
    )
    assert RecordLookup.objects.count() == 1


def test_the_certificate_number_is_masked_in_list_change_page_and_history(client, records, superuser):
    """X-3: the 资格证书编码 holds the full ID: masked wherever the admin shows it."""
    cert = records["furong"]["cert"]
    cert.school = "湘雅医学院"
    cert.save()  # a second history row
    client.force_login(superuser)
    pages = [
        reverse("admin:qualifications_qualificationcertificate_changelist"),
        reverse("admin:qualifications_qualificationcertificate_change", args=[cert.pk]),
        reverse("admin:qualifications_qualificationcertificate_history", args=[cert.pk]),
        reverse(
            "admin:qualifications_qualificationcertificate_simple_history",
            args=[cert.pk, cert.history.earliest().history_id],
        ),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert cert.number not in html and FURONG_ID not in html, url
    assert mask_certificate_number(cert.number) in client.get(pages[0]).content.decode()


def test_a_personal_q_search_is_dropped_from_the_url(client, records, superuser):
    """X-3: a full ID or certificate number typed into ?q= is not searched and not kept in any link."""
    client.force_login(superuser)
    cert = records["furong"]["cert"]
    for model, term in [
        ("qualificationcertificate", cert.number),
        ("qualificationcertificate", FURONG_ID),
        ("examresult", FURONG_ID),
        ("assessmentresult", FURONG_ID),
    ]:
        url = reverse(f"admin:qualifications_{model}_changelist")
        response = client.get(url, {"q": term}, follow=True)
        assert response.redirect_chain == [(url, 302)]
        assert term not in response.content.decode()
        assert "精确查找" in response.content.decode()


CLEAR = re.compile(r"\d{17}[\dX]")


@pytest.mark.parametrize(
    "model",
    ["accounts_user", "registrations_practicerecord"],
)
def test_the_id_search_of_people_goes_through_a_post_and_an_opaque_token(
    client, institutions, superuser, model
):
    """X-3: users and practice records: POST the ID, get a changelist filtered by a token, never the ID."""
    number = make_resident_id(region="430102", seq="301")
    PracticeRecordFactory(id_number=number, real_name="丙", main_institution=institutions["furong"])
    PracticeRecordFactory(real_name="丁", main_institution=institutions["furong"])
    UserFactory(id_number=number, real_name="丙", username="bing")
    UserFactory(real_name="丁", username="ding")
    client.force_login(superuser)
    response = client.post(reverse(f"admin:{model}_idsearch"), {"id_number": number}, follow=True)
    ((location, status),) = response.redirect_chain
    assert status == 302 and number not in location and not CLEAR.search(location)
    assert [r.real_name for r in response.context["cl"].result_list] == ["丙"]
    html = response.content.decode()
    assert number not in html
    assert not any(CLEAR.search(href) for href in re.findall(r'href="([^"]*)"', html))
    # The token means nothing in another session.
    client.logout()
    client.force_login(superuser)
    response = client.get(location)
    assert list(response.context["cl"].result_list) == []
    # A full ID typed into ?q= is dropped from the URL instead of searched.
    changelist = reverse(f"admin:{model}_changelist")
    response = client.get(changelist, {"q": number})
    assert response.status_code == 302 and response.url == changelist


def test_the_changelists_of_exam_records_carry_no_clear_number_in_any_link(client, records, superuser):
    """X-3: no link of the three lists (sorting, filters, pages, the rows) holds an ID or certificate number."""
    client.force_login(superuser)
    for model in (ExamResult, QualificationCertificate, AssessmentResult):
        url = reverse(f"admin:qualifications_{model._meta.model_name}_changelist")
        html = client.get(url).content.decode()
        hrefs = re.findall(r'href="([^"]*)"', html)
        assert hrefs and not any(CLEAR.search(h) for h in hrefs), model
        assert not CLEAR.search(html), model
