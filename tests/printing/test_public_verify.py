"""PUB-1 public verification pages under /verify/: by name + 执业证书编码, by a printed code, by a certificate QR."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from docregsys.reference.models import PracticeScope
from printing import public_views
from printing.kinds import KINDS, content_hash
from printing.links import certificate_payload, certificate_token, live_code
from printing.models import Document
from printing.services import document_request
from printing.verification import practice_lookup
from registrations.models import PracticeRecord
from registrations.numbers import mod11_10_check
from tests.factories import (
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

URL = "/verify/"
ID_NUMBER = make_resident_id(region="430102", birth="19850312", seq="123")
PHONE = "13912345678"


def number(serial: int = 1) -> str:
    body = f"43202000{serial:06d}"
    return body + mod11_10_check(body)


@pytest.fixture
def person():
    """刘建国: a valid record at 长沙市第一医院 and an older 注销 one elsewhere, one 执业证书编码 for life."""
    scope = PracticeScope.objects.create(code="0301", name="内科专业")
    valid = PracticeRecordFactory(
        real_name="刘建国",
        id_number=ID_NUMBER,
        certificate_number=number(),
        main_institution=InstitutionFactory(name="长沙市第一医院"),
    )
    valid.scopes.add(scope)
    old = PracticeRecordFactory(
        real_name="刘建国",
        id_number=ID_NUMBER,
        certificate_number=number(),
        main_institution=InstitutionFactory(name="湘雅测试医院"),
        approval_date=valid.approval_date.replace(year=2015),
        deregistered=True,
    )
    UserFactory(real_name="刘建国", id_number=ID_NUMBER, phone=PHONE, activated=True)
    return valid, old


def ask(client, name="刘建国", cert=None, captcha="PASSED", **extra):
    data = {"real_name": name, "certificate_number": number() if cert is None else cert}
    if captcha is not None:
        data.update(captcha_0="any-key", captcha_1=captcha)
    return client.post(URL, data, **extra)


@pytest.fixture
def counted(monkeypatch):
    """The lookups that reached the data."""
    calls = []
    real = public_views.practice_lookup

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(public_views, "practice_lookup", spy)
    return calls


def _never_personal(text: str, record: PracticeRecord) -> None:
    assert ID_NUMBER not in text
    assert record.id_number_masked and record.id_number_masked not in text
    assert "1985-03-12" not in text and "19850312" not in text and "1985年3月12日" not in text
    assert PHONE not in text and PHONE[:3] + "****" + PHONE[-4:] not in text
    assert "性别" not in text and "出生" not in text


# ---------------------------------------------------------------------------------- name + number


def test_the_index_shows_both_forms_to_anyone(client):
    """PUB-1: anonymous visitors get the page with the name + number form (captcha) and the code form."""
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert "医师执业信息查询" in text and "核验编码" in text
    assert 'name="certificate_number"' in text and 'name="captcha_1"' in text and 'name="code"' in text


def test_a_match_shows_the_records_valid_first_and_nothing_personal(client, person):
    """PUB-1: 姓名, 级别, 类别, 范围, 主要执业机构, 执业地点, 状态 — the valid record first; no ID number,
    masked ID, birth date, phone or sex on the page."""
    valid, old = person
    response = ask(client)
    text = response.content.decode()
    assert response.status_code == 200
    for shown in ("刘建国", "执业医师", "临床", "内科专业", "长沙市第一医院", "湖南省", "有效"):
        assert shown in text
    assert text.index("长沙市第一医院") < text.index("该执业注册已注销") < text.index("湘雅测试医院")
    _never_personal(text, valid)


def test_the_records_come_in_two_queries(person, django_assert_num_queries):
    """PUB-1: the lookup reads the records (with institution and place) and their scopes, nothing per row."""
    with django_assert_num_queries(2):  # the records + the prefetched scopes
        found = practice_lookup(real_name="刘建国", certificate_number=number())
    assert [record.state for record in found] == ["valid", "deregistered"]


@pytest.mark.parametrize(
    ("state", "wording"),
    [
        (PracticeRecord.State.DEREGISTERED, "该执业注册已注销"),
        (PracticeRecord.State.MILITARY, "该医师已变更至军队"),
        (PracticeRecord.State.TRANSFERRED_OUT, "该医师已变更至其他执业地点"),
        (PracticeRecord.State.FILED, "多机构备案"),
    ],
)
def test_states_other_than_valid_are_worded_plainly(client, state, wording):
    """PUB-1: 注销 / 军队 / 变更出 / 备案 in words a patient understands."""
    PracticeRecordFactory(real_name="赵雪", certificate_number=number(7), state=state)
    text = ask(client, name="赵雪", cert=number(7)).content.decode()
    assert wording in text


def test_nothing_found_is_one_neutral_message(client, person):
    """PUB-1: a wrong name and a wrong number answer the same words — no hint which one was wrong."""
    wrong_name = ask(client, name="刘建华").content.decode()
    wrong_number = ask(client, cert=number(2)).content.decode()
    neutral = "未查询到符合条件的医师执业注册信息。请核对姓名和执业证书编码后重试。"
    assert neutral in wrong_name and neutral in wrong_number
    assert "长沙市第一医院" not in wrong_name + wrong_number

    def result(text):
        return text[text.index('id="pub-results"') : text.index('class="pub-grid"')]

    assert result(wrong_name) == result(wrong_number)


def test_the_captcha_is_required_and_a_wrong_one_counts_no_lookup(client, person, counted):
    """PUB-1: without the right captcha the form says so and the data is not read (nor the quota used)."""
    for captcha in (None, "WRONG"):
        response = ask(client, captcha=captcha)
        assert response.status_code == 200
        assert "请输入验证码" in response.content.decode() or "验证码不正确" in response.content.decode()
    for _ in range(12):
        ask(client, captcha="WRONG")
    assert counted == []
    assert "长沙市第一医院" in ask(client).content.decode()  # the wrong captchas used none of the 10 a minute


def test_full_width_digits_are_accepted(client, person):
    """X-4: a number typed with full-width digits is the same number."""
    full_width = number().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert "长沙市第一医院" in ask(client, cert=full_width).content.decode()


@pytest.mark.parametrize(
    ("name", "cert"), [("刘\u202e建国", None), ("刘建国", number()[:5] + "\u200b" + number()[5:])]
)
def test_invisible_and_bidi_characters_are_refused_with_a_message(client, person, counted, name, cert):
    """X-4: a zero-width or bidi control character is refused next to the field, nothing looked up."""
    response = ask(client, name=name, cert=cert)
    assert response.status_code == 200
    assert "看不见的特殊字符" in response.content.decode()
    assert counted == []


@pytest.mark.parametrize(
    ("cert", "message"),
    [
        ("12345", "执业证书编码为15位数字"),
        (number()[:-1] + str((int(number()[-1]) + 1) % 10), "校验位不正确"),
    ],
)
def test_a_malformed_number_is_refused_before_any_lookup(client, counted, cert, message):
    """PUB-1: a short number or a wrong check digit is told as such (a typo, not "nobody found")."""
    assert message in ask(client, cert=cert).content.decode()
    assert counted == []


def test_over_ten_lookups_a_minute_is_429_with_retry_after_and_no_lookup(client, person, counted):
    """PUB-1: the 11th lookup of a minute from one client is refused with 429, Retry-After and the form kept."""
    for _ in range(10):
        assert ask(client).status_code == 200
    response = ask(client)
    text = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "查询过于频繁" in text and 'value="刘建国"' in text
    assert "长沙市第一医院" not in text
    assert len(counted) == 10


def test_one_person_is_counted_across_clients(client, person, counted):
    """PUB-1: the same name + number from ten addresses uses the person's own limit too."""
    for n in range(10):
        assert ask(client, REMOTE_ADDR=f"192.0.2.{n + 1}").status_code == 200
    assert ask(client, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert ask(client, name="赵雪", cert=number(9), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_logged_in_user_sees_the_same_page(client, person):
    """PUB-1: no login needed, and a login changes nothing."""
    client.force_login(UserFactory(officer=True))
    text = ask(client).content.decode()
    assert "长沙市第一医院" in text


# ---------------------------------------------------------------------------------- printed codes


@pytest.fixture
def report():
    """A rendered score report (the check reads the row, not the PDF)."""
    result = ExamResultFactory(real_name="王五", year=2025, written_score=412)
    document = document_request(
        kind="score_report", subject=result, institution=InstitutionFactory(name="考点医院")
    )
    Document.objects.filter(pk=document.pk).update(state=Document.State.DONE, rendered_at=timezone.now())
    document.refresh_from_db()
    return result, document


def test_the_code_form_sends_to_the_code_page(client, report):
    """PUB-1: 核验编码 typed with hyphens, spaces or lower case opens its page."""
    _result, document = report
    spaced = " " + document.code_display.lower() + " "
    response = client.get(URL, {"code": spaced})
    assert response.status_code == 302 and response["Location"] == reverse(
        "verify:code", args=[document.code]
    )


def test_a_malformed_code_stays_on_the_form_with_a_message(client):
    response = client.get(URL, {"code": "ABC-123"})
    assert response.status_code == 200 and "核验编码为16位字母和数字" in response.content.decode()


def test_a_valid_code_shows_the_kind_facts(client, report):
    """PRN-4 / PUB-1: 有效, the report's public facts, its kind, institution and date; no ID number."""
    result, document = report
    response = client.get(reverse("verify:code", args=[document.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "有效" in text and "已失效" not in text
    assert "2025年医师资格考试医学综合笔试成绩单" in text and "王五" in text and "412.00" in text
    assert "成绩单" in text and "考点医院" in text and document.code_display in text
    assert result.id_number_masked not in text


def test_a_superseded_code_says_a_newer_version_replaced_it(client, report):
    """PRN-2 / PUB-1: after a change and a reprint the old code says it was replaced."""
    result, old = report
    result.written_score = 401
    result.save()
    document_request(kind="score_report", subject=result)
    text = client.get(reverse("verify:code", args=[old.code])).content.decode()
    assert "已失效" in text and "此编码对应的文档已被新版本替代" in text


def test_a_code_whose_data_changed_is_no_longer_valid(client, report):
    """PRN-1 / PUB-1: changed data makes the code invalid before anyone reprints."""
    result, document = report
    result.written_score = 401
    result.save()
    text = client.get(reverse("verify:code", args=[document.code])).content.decode()
    assert "此编码已失效" in text and "已被新版本替代" not in text


def test_an_unknown_code_is_404_with_a_message(client):
    response = client.get(reverse("verify:code", args=["ABCDEFGHJKMNPQRS"]))
    assert response.status_code == 404 and "未找到此编码对应的文档" in response.content.decode()


def test_the_code_page_counts_lookups_too(client, report):
    """PUB-1: the same limit: 10 a minute per client."""
    _result, document = report
    url = reverse("verify:code", args=[document.code])
    for _ in range(10):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "查询过于频繁" in response.content.decode() and "412.00" not in response.content.decode()


# ---------------------------------------------------------------------------------- certificate QR


@pytest.fixture
def certificate(person):
    valid, _old = person
    document = Document.objects.create(
        kind=Document.Kind.CERTIFICATE,
        record=valid,
        content_hash=content_hash(KINDS["certificate"], valid) if "certificate" in KINDS else "0" * 64,
        state=Document.State.DONE,
        rendered_at=timezone.now(),
    )
    payload = certificate_payload(
        code=document.code,
        certificate_number=valid.certificate_number,
        real_name="刘建国",
        level="physician",
        category="clinical",
        issued="2026-01-05",
    )
    return document, certificate_token(payload)


def test_a_printed_qr_shows_the_signed_payload_and_the_record_now(client, certificate, person):
    """PRN-3 / PUB-1: the payload (name, number, level, category, issue date), verified by signature, and the
    record as it stands: valid."""
    document, token = certificate
    response = client.get(reverse("verify:qr", args=[token]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "电子证照有效" in text and "打印版电子证照上的二维码" in text
    for shown in (
        "刘建国",
        number(),
        "执业医师",
        "临床",
        "2026-01-05",
        document.code_display,
        "长沙市第一医院",
    ):
        assert shown in text
    assert "动态验证码" not in text
    _never_personal(text, person[0])


def test_a_tampered_qr_is_refused(client, certificate):
    """PUB-1: a payload changed by one character no longer matches its signature: 二维码无效, 404."""
    _document, token = certificate
    body, signature = token.split(".")
    tampered = ("B" if body[5] != "B" else "C").join([body[:5], body[6:]]) + "." + signature
    for bad in (tampered, "not-a-token", token + "x"):
        response = client.get(reverse("verify:qr", args=[bad]))
        assert response.status_code == 404 and "二维码无效" in response.content.decode()


def test_a_fresh_live_code_is_valid(client, certificate):
    """PUB-1: the doctor's screen shows the QR with ?otp= that changes every 30 seconds."""
    document, token = certificate
    otp, _left = live_code(document.code)
    text = client.get(reverse("verify:qr", args=[token]), {"otp": otp}).content.decode()
    assert "动态验证码有效（实时出示）" in text


def test_a_stale_live_code_is_refused(client, certificate):
    """PUB-1: a screenshot older than a minute stops verifying."""
    document, token = certificate
    stale, _left = live_code(document.code, now=time.time() - 120)
    text = client.get(reverse("verify:qr", args=[token]), {"otp": stale}).content.decode()
    assert "动态验证码已过期，请让医师刷新二维码" in text


def test_a_qr_of_a_deregistered_record_says_so(client, certificate, person):
    """PUB-1: the payload still verifies, but the record now is 注销: the page says so."""
    _document, token = certificate
    PracticeRecord.objects.filter(pk=person[0].pk).update(state=PracticeRecord.State.DEREGISTERED)
    text = client.get(reverse("verify:qr", args=[token])).content.decode()
    assert "该执业注册已注销" in text and "电子证照有效" not in text


def test_a_qr_of_a_superseded_certificate_says_so(client, certificate):
    document, token = certificate
    Document.objects.filter(pk=document.pk).update(superseded_at=timezone.now())
    text = client.get(reverse("verify:qr", args=[token])).content.decode()
    assert "此电子证照已被新版本替代" in text


def test_a_signed_qr_of_an_unknown_certificate_says_so(client):
    payload = certificate_payload(
        code="ABCDEFGHJKMNPQRS",
        certificate_number=number(5),
        real_name="某某",
        level="physician",
        category="clinical",
        issued="2026-01-05",
    )
    text = client.get(reverse("verify:qr", args=[certificate_token(payload)])).content.decode()
    assert "未找到该电子证照" in text


# ---------------------------------------------------------------------------------- links, offline


def test_the_home_page_and_footer_link_to_the_check(client):
    """PUB-1: 医师执业信息查询 from the portal's home page and from every page's footer."""
    text = client.get("/").content.decode()
    assert text.count(f'href="{URL}"') >= 2


def test_the_offline_page_explains_the_token_and_links_the_key(client):
    text = client.get(reverse("verify:offline")).content.decode()
    assert "ECDSA P-256" in text and reverse("verify:key") in text
    key = client.get(reverse("verify:key"))
    assert key.status_code == 200 and b"BEGIN PUBLIC KEY" in key.content


def test_a_code_with_extra_characters_is_not_found(client, report):
    """PUB-1: only the whole code opens a document (not its first 16 characters of a longer string)."""
    _result, document = report
    assert client.get(reverse("verify:code", args=[document.code + "XYZ"])).status_code == 404
    lower = document.code_display.lower()
    assert client.get(reverse("verify:code", args=[lower])).status_code == 200


def test_the_code_page_facts_follow_the_language_but_the_printed_title_stays(client, certificate, report):
    """X-1 / PUB-1: in English the public facts' labels and choice names are English; the title is the
    printed document's own (Chinese, as on paper) and the data are as recorded."""
    document, _token = certificate
    client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    text = client.get(reverse("verify:code", args=[document.code])).content.decode()
    assert '<html lang="en">' in text
    assert "医师执业证书（电子证照）" in text and "刘建国" in text
    for label in (
        "Name",
        "Physician level",
        "Scope of practice",
        "Main practice institution",
        "Registration status",
    ):
        assert f"<dt>{label}</dt>" in text
    assert "Licensed physician" in text and "<dt>医师级别</dt>" not in text
    _result, report_document = report
    text = client.get(reverse("verify:code", args=[report_document.code])).content.decode()
    assert "<dt>Written exam total score</dt>" in text and "2025年医师资格考试医学综合笔试成绩单" in text


def test_the_code_page_facts_are_chinese_by_default(client, certificate):
    document, _token = certificate
    text = client.get(reverse("verify:code", args=[document.code])).content.decode()
    assert "<dt>医师级别</dt>" in text and "<dt>注册状态</dt>" in text and "执业医师" in text
