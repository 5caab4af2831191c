"""QUA-3 in the admin: the upload view, the batch report, ID search by digest."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualifications.models import ExamResult, ImportBatch
from tests.factories import ExamResultFactory, UserFactory, make_resident_id

from .helpers import categories, csv_bytes, exam_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def upload():
    def post(client, data: bytes, name="成绩.csv", kind="exam_results"):
        return client.post(
            reverse("admin:qualifications_importbatch_import"),
            {"kind": kind, "file": SimpleUploadedFile(name, data)},
            follow=True,
        )

    return post


def finished_report(client, response) -> str:
    """The report page once the batch has run (at once in-process; a real worker may take a moment)."""
    url = response.redirect_chain[-1][0]
    html = response.content.decode()
    for _ in range(100):
        if "正在后台导入" not in html:
            return html
        time.sleep(0.1)
        html = client.get(url).content.decode()
    raise AssertionError("the import did not finish")


# The import is queued on commit (in-process without Redis): the test needs real commits.
@pytest.mark.django_db(transaction=True)
def test_the_upload_renders_the_report_with_the_bad_rows(admin_client, upload, import_worker):
    """QUA-3: after the upload the reviewer sees the counts and each bad row (行号, 列, 原因)."""
    categories()
    rows = [exam_row(ticket="A1"), exam_row(ticket="A2", 姓名="Li Si"), exam_row(ticket="A3", 报考类别="999")]
    response = upload(admin_client, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:qualifications_importbatch_report", args=[batch.pk]
    )
    html = finished_report(admin_client, response)
    assert ImportBatch.objects.get().created == 1
    for text in ("行号", "列", "原因", "姓名只能是汉字", "报考类别“999”不存在"):
        assert text in html
    assert ExamResult.objects.count() == 1


# The import is queued on commit (in-process without Redis): the test needs real commits.
@pytest.mark.django_db(transaction=True)
def test_a_file_with_wrong_headers_shows_the_reason(admin_client, upload, import_worker):
    response = upload(admin_client, "姓名,备注\n王五,x\n".encode())
    html = finished_report(admin_client, response)
    assert "整个文件未导入" in html and "缺少列" in html
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04not-a-real-zip",
    ],
)
def test_a_non_spreadsheet_upload_gets_a_form_error(admin_client, upload, data):
    response = upload(admin_client, data, name="成绩.csv")
    assert response.status_code == 200
    assert "不是" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_an_oversized_upload_gets_a_form_error(admin_client, upload, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    response = upload(admin_client, csv_bytes([exam_row()]))
    assert "文件不能超过" in response.context["form"].errors["file"][0]


def test_the_import_page_needs_the_add_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:qualifications_importbatch_import")).status_code == 403


def test_the_list_shows_masked_ids_and_finds_a_full_id_only_by_the_post_lookup(admin_client):
    """X-3: the list masks IDs; a full ID typed into ?q= is dropped, the POST lookup finds it by digest."""
    number = make_resident_id(seq="077")
    ExamResultFactory(id_number=number, real_name="周九")
    ExamResultFactory(real_name="吴十")
    url = reverse("admin:qualifications_examresult_changelist")
    html = admin_client.get(url).content.decode()
    assert number not in html and number[:4] + "**********" + number[-4:] in html
    response = admin_client.get(url, {"q": number})
    assert response.status_code == 302 and response.url == url
    response = admin_client.post(
        reverse("admin:qualifications_examresult_lookup"), {"by": "id_number", "value": number}
    )
    assert [row["cells"][3] for row in response.context["rows"]] == ["周九"]
    assert number not in response.content.decode()
    response = admin_client.get(url, {"q": "吴十"})
    assert [r.real_name for r in response.context["cl"].result_list] == ["吴十"]
