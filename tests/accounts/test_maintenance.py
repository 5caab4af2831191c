"""REG-8 信息维护 (seed 002 §2.3): the doctor's requested changes and photo, pending the institution's review."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from docregsys.reference.models import Title
from registrations.models import PracticeRecord, ProfileChange
from registrations.photos import photo_read
from tests import personas
from tests.dbstate import assert_nothing_changed
from tests.photos import GPS_IFD, HTML_AS_JPG, photo_bytes, pixel_bomb, upload

pytestmark = pytest.mark.django_db

URL = "/accounts/maintenance/"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def stored_files(root: Path) -> list[Path]:
    return sorted((root / "photos").glob("*")) if (root / "photos").exists() else []


@pytest.fixture
def doctor_a():
    Title.objects.get_or_create(code="231", defaults={"name": "主任医师"})
    Title.objects.get_or_create(code="233", defaults={"name": "主治医师"})
    return personas.doctor_a()


def record_of(doctor) -> PracticeRecord:
    return PracticeRecord.objects.get(
        id_number_digest=doctor.id_number_digest, state=PracticeRecord.State.VALID
    )


def submit_info(client, **values):
    data = {"action": "info", "school": "中南大学湘雅医学院", "education": "硕士研究生", "major": "临床医学"}
    data["title"] = "主任医师"
    data.update(values)
    return client.post(URL, data)


def test_page_shows_the_seed_wording_and_current_values(client, doctor_a):
    """REG-8: notice, lead text, the seven rows and the four buttons of seed 002 §2.3; 信息维护 in the menu."""
    record = record_of(doctor_a)
    record.education, record.title = "本科", "主治医师"
    record.save()
    client.force_login(doctor_a)
    html = client.get(URL).content.decode()
    assert "您修改的内容需您执业所在医疗机构审核!" in html
    assert "原始资格信息不会被更新" in html
    for label in ("姓名", "性别", "出生日期", "毕业学校", "学历", "任职资格", "所学专业"):
        assert label in html
    assert "本科" in html and "主治医师" in html
    for button in ("我修改的内容", "我上传的相片", "信息修改", "点击上传相片"):
        assert button in html
    assert "我的基本信息" in html
    assert f'href="{URL}"' in html  # the menu entry after 考核信息
    assert html.index(">考核信息</a>") < html.index(">信息维护</a>")


def test_info_change_waits_for_the_institution_and_replaces_the_pending_one(client, doctor_a):
    """REG-8: a pending change at the main institution; the record is untouched; one pending per doctor."""
    client.force_login(doctor_a)
    before = PracticeRecord.objects.values().get(pk=record_of(doctor_a).pk)
    response = submit_info(client)
    assert response.status_code == 302 and response["Location"].endswith("?panel=changes")
    change = ProfileChange.objects.get(doctor=doctor_a)
    assert change.state == "pending" and change.info_changed
    assert change.institution == personas.institution(personas.X)
    assert (change.education, change.title) == ("硕士研究生", "主任医师")
    assert PracticeRecord.objects.values().get(pk=record_of(doctor_a).pk) == before  # nothing until approval
    submit_info(client, education="博士研究生")
    assert ProfileChange.objects.filter(doctor=doctor_a).count() == 1
    assert ProfileChange.objects.get(doctor=doctor_a).education == "博士研究生"
    html = client.get(URL + "?panel=changes").content.decode()
    assert "待审核" in html and "芙蓉医院审核中" in html and "博士研究生" in html


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"education": "幼儿园"}, "选择一个有效的选项"),
        ({"title": "院长"}, "选择一个有效的选项"),
        ({"school": ""}, "必填项"),
        ({"school": "中南\u200b大学"}, "看不见的特殊字符"),
        ({"major": "医" * 61}, "61"),
    ],
)
def test_bad_info_is_refused_next_to_the_field_and_nothing_changes(client, doctor_a, values, message):
    """REG-8, X-4: a refusal is a Chinese message on the form, never a 500; no row is written."""
    client.force_login(doctor_a)
    with assert_nothing_changed():
        response = submit_info(client, **values)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_photo_is_re_encoded_and_stored_privately(client, doctor_a, private_root, settings):
    """REG-8/ID-6: the upload is decoded, re-encoded and stored under a random name outside static/media."""
    client.force_login(doctor_a)
    response = client.post(URL, {"action": "photo", "photo": upload(photo_bytes())})
    assert response.status_code == 302 and response["Location"].endswith("?panel=photo")
    change = ProfileChange.objects.get(doctor=doctor_a)
    assert not change.info_changed and change.photo.endswith(".jpg")
    [path] = stored_files(private_root)
    assert path.name == change.photo
    assert not str(path).startswith((str(settings.MEDIA_ROOT), str(settings.STATIC_ROOT)))
    assert Image.open(path).size == (354, 472)
    assert record_of(doctor_a).photo == ""  # not before approval


@pytest.mark.parametrize(
    ("fmt", "name", "ctype"), [("JPEG", "gps.jpg", "image/jpeg"), ("PNG", "gps.png", "image/png")]
)
def test_exif_gps_is_stripped(client, doctor_a, private_root, fmt, name, ctype):
    """ID-6: a photo carrying an EXIF GPS position is stored without it (and without any EXIF)."""
    data = photo_bytes(fmt, gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo does carry it
    client.force_login(doctor_a)
    assert client.post(URL, {"action": "photo", "photo": upload(data, name, ctype)}).status_code == 302
    [path] = stored_files(private_root)
    stored = Image.open(path)
    assert not stored.getexif() and "exif" not in stored.info
    assert b"SpyCam" not in path.read_bytes()


def _too_heavy() -> bytes:
    import random

    rng = random.Random(7)
    noisy = Image.frombytes("RGB", (354, 472), bytes(rng.getrandbits(8) for _ in range(354 * 472 * 3)))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda: HTML_AS_JPG, "photo.jpg", "文件无法识别为图片"),
        (pixel_bomb, "bomb.png", "图片像素过多"),
        (lambda: photo_bytes(size=(300, 400)), "small.jpg", "354×472"),
        (_too_heavy, "heavy.png", "照片不能超过80KB"),
        (lambda: photo_bytes("GIF"), "gif.jpg", "GIF"),
    ],
    ids=["html-named-jpg", "pixel-bomb", "wrong-size", "over-80kb", "gif-named-jpg"],
)
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    client, doctor_a, private_root, make, name, message
):
    """ID-6: refused with a Chinese message next to the field; no row, no file."""
    client.force_login(doctor_a)
    with assert_nothing_changed():
        response = client.post(URL, {"action": "photo", "photo": upload(make(), name)})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="id_photo_error"' in html
    assert stored_files(private_root) == []


def test_a_new_upload_replaces_the_pending_photo_and_removes_the_old_file(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """REG-8 "重复上传将覆盖": one pending photo; the replaced file is deleted."""
    client.force_login(doctor_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"action": "photo", "photo": upload(photo_bytes())})
    first = ProfileChange.objects.get(doctor=doctor_a).photo
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"action": "photo", "photo": upload(photo_bytes("PNG"), "p.png", "image/png")})
    second = ProfileChange.objects.get(doctor=doctor_a).photo
    assert first != second
    assert [p.name for p in stored_files(private_root)] == [second]


def test_a_doctor_without_a_valid_record_cannot_submit(client, private_root):
    """REG-8: the reviewing institution is the valid record's main institution; none, no request."""
    doctor = personas.doctor_a()
    PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).update(
        state=PracticeRecord.State.DEREGISTERED
    )
    client.force_login(doctor)
    assert "暂不能提交" in client.get(URL).content.decode()
    with assert_nothing_changed():
        response = client.post(URL, {"action": "photo", "photo": upload(photo_bytes())})
        assert submit_info(client).status_code == 400
    assert response.status_code == 400
    assert stored_files(private_root) == []


def test_photo_is_served_to_its_owner_only(client, doctor_a):
    """REG-8: private, no-store, nosniff, the right type; another doctor gets 404, an officer 403."""
    client.force_login(doctor_a)
    client.post(URL, {"action": "photo", "photo": upload(photo_bytes())})
    change = ProfileChange.objects.get(doctor=doctor_a)
    url = reverse("accounts:photo", args=[change.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == photo_read(change.photo)[0]
    client.force_login(personas.doctor_b())
    assert client.get(url).status_code == 404
    client.force_login(personas.officer_x())
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_current_photo_is_the_approved_one(client, doctor_a):
    """REG-8: 当前相片 comes from the valid record; 404 while there is none."""
    client.force_login(doctor_a)
    url = reverse("accounts:current_photo")
    assert client.get(url).status_code == 404
    client.post(URL, {"action": "photo", "photo": upload(photo_bytes())})
    name = ProfileChange.objects.get(doctor=doctor_a).photo
    PracticeRecord.objects.filter(pk=record_of(doctor_a).pk).update(photo=name)
    assert client.get(url).status_code == 200


def test_unactivated_doctor_and_officers_cannot_open_the_page(client):
    """REG-8: activated doctors only."""
    client.force_login(personas.unactivated_doctor())
    assert client.get(URL).status_code == 403
    client.force_login(personas.officer_x())
    assert client.get(URL).status_code == 403


# ---------------------------------------------------------------- the API (API-1)

API_URL = "/api/v1/accounts/maintenance/"


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def test_api_reads_submits_and_uploads(api, doctor_a, private_root):
    """REG-8 API: GET the current values; POST a change; POST a photo (multipart); both pending."""
    api.force_authenticate(doctor_a)
    body = api.get(API_URL).json()
    assert (
        body["may_submit"] is True and body["info_change"] is None and body["current"]["real_name"] == "王甲"
    )
    response = api.post(
        API_URL,
        {"school": "湘雅医学院", "education": "本科", "major": "临床医学", "title": ""},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["info_change"]["state"] == "pending"
    assert response.json()["info_change"]["institution"] == "芙蓉医院"
    response = api.post(API_URL + "photo/", {"photo": upload(photo_bytes())}, format="multipart")
    assert response.status_code == 200
    change = ProfileChange.objects.get(doctor=doctor_a)
    assert response.json()["photo_change"]["photo_url"] == reverse("accounts:photo", args=[change.pk])
    assert len(stored_files(private_root)) == 1


def test_api_refusals_are_in_the_error_shape_and_change_nothing(api, doctor_a, private_root):
    """REG-8 API: a bad photo is 400 on the field "photo"; no valid record is 409; nothing stored."""
    api.force_authenticate(doctor_a)
    with assert_nothing_changed():
        response = api.post(
            API_URL + "photo/", {"photo": upload(pixel_bomb(), "bomb.png")}, format="multipart"
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "photo"
    assert "像素过多" in response.json()["errors"][0]["message"]
    PracticeRecord.objects.filter(id_number_digest=doctor_a.id_number_digest).update(
        state=PracticeRecord.State.DEREGISTERED
    )
    with assert_nothing_changed():
        response = api.post(
            API_URL, {"school": "湘雅", "education": "本科", "major": "临床医学"}, format="json"
        )
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "no_valid_record"
    assert stored_files(private_root) == []


def test_api_is_for_activated_doctors_only(api):
    """REG-8 API: an officer or an unactivated doctor gets 403."""
    for user in (personas.officer_x(), personas.unactivated_doctor()):
        api.force_authenticate(user)
        assert api.get(API_URL).status_code == 403
