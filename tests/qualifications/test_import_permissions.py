"""QUA-3: import_batch_enqueue itself decides who may import and which files; refusals write nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from docregsys.exceptions import TransitionRefused
from qualifications.models import ExamResult, ImportBatch
from qualifications.services import import_batch_enqueue
from tests.factories import AuthorityFactory, UserFactory, region_tree

from .helpers import categories, csv_bytes, exam_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    categories()


def _reviewer(level):
    province, city, furong, _tianxin = region_tree()
    region = {"province": province, "city": city, "county": furong}[level]
    return UserFactory(reviewer=True, authority=AuthorityFactory(region=region))


def _upload(data=None, name="成绩.csv"):
    return SimpleUploadedFile(name, data if data is not None else csv_bytes([exam_row(ticket="P1")]))


def _assert_nothing_written(tmp_path):
    assert not ImportBatch.objects.exists()
    assert not ExamResult.objects.exists()
    assert not list((tmp_path / "media").rglob("*.*"))  # the upload was not stored either


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda: _reviewer("county"), id="county reviewer"),
        pytest.param(lambda: _reviewer("city"), id="city reviewer"),
        pytest.param(lambda: UserFactory(officer=True), id="officer"),
        pytest.param(lambda: UserFactory(), id="doctor"),
        pytest.param(lambda: UserFactory(is_staff=True), id="staff without role"),
        pytest.param(
            lambda: UserFactory(is_staff=True, is_superuser=True, is_active=False), id="inactive superuser"
        ),
    ],
)
def test_the_service_refuses_anyone_but_national_provincial_reviewers_and_the_superuser(
    make_user, tmp_path, assert_nothing_changed
):
    """QUA-3: refused with a message, and no batch, record or stored file."""
    user = make_user()
    with assert_nothing_changed("import"), pytest.raises(TransitionRefused) as refusal:
        import_batch_enqueue(kind="exam_results", upload=_upload(), user=user)
    assert refusal.value.code == "import_forbidden"
    assert "国家级、省级审核人员" in str(refusal.value.message)
    _assert_nothing_written(tmp_path)


def test_the_service_refuses_an_anonymous_caller(tmp_path):
    """QUA-3: no user is no importer."""
    with pytest.raises(TransitionRefused):
        import_batch_enqueue(kind="exam_results", upload=_upload(), user=None)
    _assert_nothing_written(tmp_path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("level", ["province"])
def test_a_provincial_reviewer_imports_through_the_service(level, tmp_path):
    """QUA-3: a provincial reviewer's upload is stored, queued and (in-process here) imported."""
    user = _reviewer(level)
    batch = import_batch_enqueue(kind="exam_results", upload=_upload(), user=user)
    if batch.status == ImportBatch.Status.RUNNING:  # a real broker took it: run it as the worker would
        from qualifications import services

        batch = services.import_batch_run(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.DONE and batch.started_by == user
    assert ExamResult.objects.filter(admission_ticket="P1").exists()


def test_the_service_refuses_an_upload_over_the_limit(settings, tmp_path):
    """QUA-3: IMPORT_MAX_UPLOAD_BYTES is checked by the service, whatever the entry point."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(TransitionRefused) as refusal:
        import_batch_enqueue(kind="exam_results", upload=_upload(), user=superuser)
    assert refusal.value.field == "file" and "文件不能超过" in str(refusal.value.message)
    _assert_nothing_written(tmp_path)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", id="png named .csv"),
        pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", id="pdf named .csv"),
        pytest.param(b"PK\x03\x04not-a-real-zip", id="zip named .csv"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", id="old xls"),
    ],
)
def test_the_service_decodes_the_file_type_instead_of_trusting_the_name(data, tmp_path):
    """QUA-3: a file named 成绩.csv that is not a table is refused before anything is stored."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(TransitionRefused) as refusal:
        import_batch_enqueue(kind="exam_results", upload=_upload(data), user=superuser)
    assert refusal.value.field == "file"
    _assert_nothing_written(tmp_path)


def test_the_service_refuses_an_unknown_kind(tmp_path):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(TransitionRefused) as refusal:
        import_batch_enqueue(kind="payroll", upload=_upload(), user=superuser)
    assert refusal.value.field == "kind"
    _assert_nothing_written(tmp_path)


def test_the_command_refuses_a_county_reviewer(tmp_path):
    """QUA-3: the management command only calls the service, so it refuses the same people."""
    from django.core.management import CommandError, call_command

    county = _reviewer("county")
    path = tmp_path / "成绩.csv"
    path.write_bytes(csv_bytes([exam_row(ticket="C1")]))
    with pytest.raises(CommandError, match="国家级、省级审核人员"):
        call_command("import_records", "--kind", "exam_results", "--user", county.username, str(path))
    assert not ImportBatch.objects.exists() and not ExamResult.objects.exists()
