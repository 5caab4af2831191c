"""Access-matrix rows: the doctor's 业务申请 · 业务查询 · 证书补办 pages and /api/v1/accounts/applications/ (REG-2 … REG-9)."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_READ_ONLY = who(405)  # require_GET / require_POST answer first, whoever asks
# One application of doctor_a: theirs to open; doctor_b gets 404 as for a missing page (unactivated: why, 403).
DOCTOR_A_OBJECT = who(403, anonymous=LOGIN, doctor_a=200, doctor_b=404)
DOCTOR_A_ACTION = who(403, anonymous=LOGIN, doctor_a=OK, doctor_b=404)

PAGES: dict = {
    "accounts/apply/": row(ACTIVATED_PAGE, post=_READ_ONLY),  # the guided start is a GET form
    # An empty POST is refused by the form (400) for the doctors who may file; nothing is stored.
    "accounts/apply/<str:kind>/": row(ACTIVATED_PAGE, post=who(403, anonymous=LOGIN, activated=400)),
    "accounts/applications/": row(ACTIVATED_PAGE, post=_READ_ONLY),
    "accounts/applications/<int:pk>/": row(DOCTOR_A_OBJECT, post=_READ_ONLY),
    "accounts/applications/<int:pk>/withdraw/": row(DOCTOR_A_OBJECT, post=DOCTOR_A_ACTION),
    "accounts/applications/<int:pk>/submit/": row(_READ_ONLY, post=DOCTOR_A_ACTION),
    "accounts/applications/<int:pk>/attachments/<int:attachment_pk>/": row(DOCTOR_A_OBJECT, post=_READ_ONLY),
    "accounts/applications/<int:pk>/attachments/<int:attachment_pk>/remove/": row(
        _READ_ONLY, post=DOCTOR_A_ACTION
    ),
    "accounts/reissue/": row(ACTIVATED_PAGE, post=_READ_ONLY),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {}


def _application(world):
    return world["objects"]["applications.doctor_a"]


def _attachment(world):
    return world["objects"]["applications.attachment"]


URLS: dict = {
    "accounts/apply/<str:kind>/": lambda w: "/accounts/apply/register/",
    "accounts/applications/<int:pk>/": lambda w: f"/accounts/applications/{_application(w).pk}/",
    "accounts/applications/<int:pk>/withdraw/": lambda w: (
        f"/accounts/applications/{_application(w).pk}/withdraw/"
    ),
    "accounts/applications/<int:pk>/submit/": lambda w: (
        f"/accounts/applications/{_application(w).pk}/submit/"
    ),
    "accounts/applications/<int:pk>/attachments/<int:attachment_pk>/": lambda w: (
        f"/accounts/applications/{_application(w).pk}/attachments/{_attachment(w).pk}/"
    ),
    "accounts/applications/<int:pk>/attachments/<int:attachment_pk>/remove/": lambda w: (
        f"/accounts/applications/{_application(w).pk}/attachments/{_attachment(w).pk}/remove/"
    ),
}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {}

# A fixed name: the matrix writes the same file on every run instead of new ones.
ATTACHMENT_FILE = "0" * 31 + "4.jpg"


def objects(people) -> dict:
    """doctor_a's 申领电子证照 for their record at X, submitted, with one scan (ID-7)."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import timezone

    from registrations.models import Application, Attachment, Kind, PracticeRecord, State
    from tests.photos import photo_bytes

    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    data = photo_bytes()
    (directory / ATTACHMENT_FILE).write_bytes(data)
    doctor = people["doctor_a"]
    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    application = Application.objects.create(
        kind=Kind.E_CERTIFICATE,
        doctor=doctor,
        real_name=doctor.real_name,
        id_number_digest=doctor.id_number_digest,
        id_number_masked=doctor.id_number_masked,
        record=record,
        institution=record.main_institution,
        state=State.SUBMITTED,
        submitted_at=timezone.now(),
        statement="申领电子证照",
    )
    attachment = Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.ID_CARD,
        stored_name=ATTACHMENT_FILE,
        original_name="身份证.jpg",
        content_type="image/jpeg",
        size=len(data),
        uploaded_by=doctor,
    )
    return {"applications.doctor_a": application, "applications.attachment": attachment}
