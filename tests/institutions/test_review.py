"""INS-7 本院医师信息审核 (seed 002 ch.3 §7): the institution's queue, one request, 审核通过 / 不通过."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from docregsys.reference.models import Title
from qualifications.models import QualificationCertificate
from registrations.models import PracticeRecord, ProfileChange
from registrations.services.profile import (
    profile_change_approve,
    profile_change_reject,
    profile_change_submit,
    profile_photo_submit,
)
from tests import personas
from tests.dbstate import assert_nothing_changed
from tests.factories import DoctorFactory, OfficerFactory, PracticeRecordFactory, make_resident_id
from tests.photos import photo_bytes

pytestmark = pytest.mark.django_db

LIST = "/institution/reviews/"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def doctor_a():
    Title.objects.get_or_create(code="231", defaults={"name": "主任医师"})
    return personas.doctor_a()


def submit(doctor, institution, *, photo=True, title="主任医师"):
    change = profile_change_submit(
        doctor=doctor,
        institution=institution,
        education="硕士研究生",
        school="北京大学医学部",
        major="内科学",
        title=title,
    )
    if photo:
        change = profile_photo_submit(doctor=doctor, institution=institution, data=io.BytesIO(photo_bytes()))
    return change


def valid_records(doctor):
    return PracticeRecord.objects.filter(
        id_number_digest=doctor.id_number_digest, state=PracticeRecord.State.VALID
    )


def test_queue_lists_this_institutions_pending_requests_only(client, doctor_a, x):
    """INS-7: 姓名, masked 身份证号, 注册时间, 信息有更新 / 相片有更新, [审核]; Y's officer sees none of X's."""
    change = submit(doctor_a, x)
    doctor_b = personas.doctor_b()
    submit(doctor_b, personas.institution(personas.Y), photo=False)
    client.force_login(personas.officer_x())
    html = client.get(LIST).content.decode()
    for column in ("姓名", "身份证号", "注册时间", "信息是否有更新", "操作"):
        assert column in html
    assert "王甲" in html and "李乙" not in html
    assert doctor_a.id_number_masked in html and personas.DOCTOR_A_ID not in html
    assert "信息有更新" in html and "相片有更新" in html
    assert reverse("console:info_review", args=[change.pk]) in html
    assert "王甲" not in client.get(LIST, {"name": "李"}).content.decode()
    assert "王甲" in client.get(LIST, {"name": "王"}).content.decode()
    client.force_login(personas.officer_y())
    html = client.get(LIST).content.decode()
    assert "李乙" in html and "王甲" not in html


def test_queue_query_count_does_not_grow_with_rows(client, x, django_assert_num_queries):
    """INS-7: the list costs the same for 1 or 15 requests (one count, one page with the doctors)."""
    officer = personas.officer_x()
    client.force_login(officer)

    serial = iter(range(100, 200))

    def add(n):
        for _ in range(n):
            number = make_resident_id(birth="19800101", seq=f"{next(serial):03d}")
            doctor = DoctorFactory(activated=True, real_name="周医生", id_number=number)
            ProfileChange.objects.create(doctor=doctor, institution=x, info_changed=True, education="本科")

    add(1)
    client.get(LIST)  # warm caches (session, menu)
    # session, user, the institution (the band's name), count, page (with the doctors)
    with django_assert_num_queries(5):
        client.get(LIST)
    add(14)
    with django_assert_num_queries(5):
        assert "周医生" in client.get(LIST).content.decode()


def test_detail_shows_original_next_to_requested_and_both_photos(client, doctor_a, x):
    """INS-7: 个人信息修改对照原始资格信息 beside 该医师请求变更的内容 (seed wording), both photos."""
    record = valid_records(doctor_a).get()
    record.title, record.photo = "主治医师", ""
    record.save()
    change = submit(doctor_a, x)
    client.force_login(personas.officer_x())
    html = client.get(reverse("console:info_review", args=[change.pk])).content.decode()
    assert "个人信息修改对照原始资格信息" in html and "该医师请求变更的内容" in html
    assert "毕业学校请求变更为：" in html and "北京大学医学部" in html
    assert "任职资格请求变更为：" in html and "主任医师" in html and "主治医师" in html
    assert reverse("console:info_review_photo", args=[change.pk]) in html
    assert "审核通过" in html and "不通过" in html


def test_approval_copies_onto_every_valid_record_and_never_the_certificate(client, doctor_a, x):
    """INS-7/REG-8: values and photo onto ALL valid records (history, 审核日期), notice to the doctor;
    the qualification certificate stays as it was."""
    other = PracticeRecordFactory(
        real_name=doctor_a.real_name,
        id_number=personas.DOCTOR_A_ID,
        main_institution=personas.institution("hetang"),
        location=personas.region("hetang"),
    )
    certificate = QualificationCertificate.objects.values().get(id_number_digest=doctor_a.id_number_digest)
    change = submit(doctor_a, x)
    messages_before = OutboundMessage.objects.count()
    client.force_login(personas.officer_x())
    response = client.post(reverse("console:info_review", args=[change.pk]), {"action": "approve"})
    assert response.status_code == 302 and response["Location"] == LIST
    change.refresh_from_db()
    assert change.state == "approved" and change.reviewed_by == personas.officer_x()
    for record in valid_records(doctor_a):
        assert (record.education, record.school, record.major, record.title) == (
            "硕士研究生",
            "北京大学医学部",
            "内科学",
            "主任医师",
        )
        assert record.photo == change.photo and record.info_reviewed_at == change.reviewed_at
        assert record.history.first().history_user == personas.officer_x()
    assert other.pk in set(valid_records(doctor_a).values_list("pk", flat=True))
    assert change.history.first().state == "approved"
    assert (
        QualificationCertificate.objects.values().get(id_number_digest=doctor_a.id_number_digest)
        == certificate
    )
    notice = OutboundMessage.objects.order_by("-pk").first()
    assert OutboundMessage.objects.count() == messages_before + 1
    assert "审核通过" in notice.body and notice.destination == doctor_a.phone
    client.force_login(doctor_a)
    assert "主任医师" in client.get("/").content.decode()  # 首页 基本信息: 任职资格


def test_rejection_needs_a_reason_and_keeps_the_record(client, doctor_a, x):
    """INS-7 不通过: without a reason nothing happens; with one, closed with it; the record unchanged."""
    change = submit(doctor_a, x)
    before = list(valid_records(doctor_a).values())
    client.force_login(personas.officer_x())
    url = reverse("console:info_review", args=[change.pk])
    with assert_nothing_changed():
        response = client.post(url, {"action": "reject", "reason": "  "})
    assert response.status_code == 400 and "请填写不通过的原因" in response.content.decode()
    response = client.post(url, {"action": "reject", "reason": "学历证书与所填不符"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.state == "rejected" and change.reason == "学历证书与所填不符"
    assert list(valid_records(doctor_a).values()) == before
    assert "学历证书与所填不符" in OutboundMessage.objects.order_by("-pk").first().body
    client.force_login(doctor_a)
    html = client.get("/accounts/maintenance/?panel=changes").content.decode()
    assert "审核不通过" in html and "学历证书与所填不符" in html


def test_another_institutions_request_is_404_and_changes_nothing(client, doctor_a, x):
    """INS-7: Y's officer cannot open, approve, reject or see the photo of X's request."""
    change = submit(doctor_a, x)
    client.force_login(personas.officer_y())
    url = reverse("console:info_review", args=[change.pk])
    with assert_nothing_changed():
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve"}).status_code == 404
        assert client.post(url, {"action": "reject", "reason": "x"}).status_code == 404
        assert client.get(reverse("console:info_review_photo", args=[change.pk])).status_code == 404
    with pytest.raises(TransitionRefused):
        profile_change_approve(officer=personas.officer_y(), change=change)
    change.refresh_from_db()
    assert change.state == "pending"


def test_two_officers_approving_at_once_give_one_approval(doctor_a, x):
    """INS-7, REG-7 spirit: the conditional UPDATE lets one decision through; the other is refused."""
    change = submit(doctor_a, x)
    first, second = personas.officer_x(), OfficerFactory(institution=x)
    stale = ProfileChange.objects.get(pk=change.pk)  # both loaded while pending
    messages_before = OutboundMessage.objects.count()
    profile_change_approve(officer=first, change=change)
    with pytest.raises(TransitionRefused) as refused:
        profile_change_approve(officer=second, change=stale)
    assert refused.value.code == "not_pending"
    with pytest.raises(TransitionRefused):
        profile_change_reject(officer=second, change=stale, reason="晚了")
    change.refresh_from_db()
    assert change.state == "approved" and change.reviewed_by == first
    assert change.history.filter(state="approved").count() == 1
    assert OutboundMessage.objects.count() == messages_before + 1


def test_photos_are_served_to_the_reviewing_institution_only(client, doctor_a, x):
    """REG-8: the uploaded photo to X's officers; the record's photo to its main institution; no one else."""
    change = submit(doctor_a, x)
    profile_change_approve(officer=personas.officer_x(), change=change)
    record = valid_records(doctor_a).get()
    urls = [
        reverse("console:info_review_photo", args=[change.pk]),
        reverse("console:record_photo", args=[record.pk]),
    ]
    client.force_login(personas.officer_x())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    client.force_login(personas.officer_y())
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(doctor_a)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    client.force_login(personas.county_reviewer())
    assert [client.get(url).status_code for url in urls] == [403, 403]


# ---------------------------------------------------------------- the API (API-1)

API = "/api/v1/institution/reviews/"


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def test_api_queue_detail_and_approval(api, doctor_a, x):
    """INS-7 API: the queue (masked ID), one request with the original values, approve; again → 409."""
    change = submit(doctor_a, x)
    api.force_authenticate(personas.officer_x())
    rows = api.get(API).json()["results"]
    assert [r["id"] for r in rows] == [change.pk]
    assert rows[0]["id_number_masked"] == doctor_a.id_number_masked and rows[0]["photo_changed"] is True
    detail = api.get(f"{API}{change.pk}/").json()
    assert detail["school"] == "北京大学医学部" and "original" in detail
    assert detail["photo_url"] == reverse("console:info_review_photo", args=[change.pk])
    response = api.post(f"{API}{change.pk}/approve/")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert set(valid_records(doctor_a).values_list("school", flat=True)) == {"北京大学医学部"}
    response = api.post(f"{API}{change.pk}/approve/")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "not_pending"


def test_api_rejection_and_other_institution(api, doctor_a, x):
    """INS-7 API: reject needs a reason (400); Y's officer gets 404 everywhere; nothing changes."""
    change = submit(doctor_a, x)
    api.force_authenticate(personas.officer_y())
    with assert_nothing_changed():
        assert api.get(f"{API}{change.pk}/").status_code == 404
        assert api.post(f"{API}{change.pk}/approve/").status_code == 404
        assert api.post(f"{API}{change.pk}/reject/", {"reason": "x"}, format="json").status_code == 404
        assert api.get(API).json()["results"] == []
    api.force_authenticate(personas.officer_x())
    with assert_nothing_changed():
        assert api.post(f"{API}{change.pk}/reject/", {"reason": ""}, format="json").status_code == 400
    response = api.post(f"{API}{change.pk}/reject/", {"reason": "相片不符合要求"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    api.force_authenticate(doctor_a)
    assert api.get(API).status_code == 403


def test_approval_is_refused_once_the_doctor_no_longer_practises_here(client, doctor_a, x, api):
    """INS-7: a doctor filed (备案) since asking is no longer this institution's to approve: refused in the
    console and the API (409), the request stays pending, nothing on the record changes."""
    change = submit(doctor_a, x)
    PracticeRecord.objects.filter(id_number_digest=doctor_a.id_number_digest, main_institution=x).update(
        state=PracticeRecord.State.FILED
    )
    client.force_login(personas.officer_x())
    api.force_authenticate(personas.officer_x())
    with assert_nothing_changed("approve a doctor who left"):
        response = client.post(reverse("console:info_review", args=[change.pk]), {"action": "approve"})
        assert response.status_code == 400
        assert "该医师在本机构已无有效的执业注册" in response.content.decode()
        answer = api.post(f"/api/v1/institution/reviews/{change.pk}/approve/")
        assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "no_valid_record_here"
    change.refresh_from_db()
    assert change.state == "pending"
