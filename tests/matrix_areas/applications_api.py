"""Access-matrix rows: the doctor's REST API for applications, /api/v1/accounts/applications/ (REG-2 … REG-9).

Kept apart from applications.py (the doctor's pages) so that the two halves of the doctor's side merge
without touching each other's rows.
"""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

PAGES: dict = {}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {}
URLS: dict = {}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {}


def objects(people) -> dict:
    """doctor_a's 注册 draft at X with one attachment (doctor_a has no other open 注册 in any area)."""
    return _api_objects(people)


_A = "api/v1/accounts/applications/"
_METHOD_ONLY = who(405, anonymous=403)  # DRF: authentication first, then the method
_DOCTOR_A_OBJECT = who(403, doctor_a=200, doctor_b=404)  # doctor_a's draft: doctor_b finds nothing
_API_ACTIVATED_400 = who(403, activated=400)  # an empty body or query is refused by validation

PAGES.update(
    {
        _A: row(API_ACTIVATED, post=_API_ACTIVATED_400),
        f"{_A}draft/": row(_METHOD_ONLY, post=_API_ACTIVATED_400),
        f"{_A}check/": row(_METHOD_ONLY, post=_API_ACTIVATED_400),
        f"{_A}kinds/": row(API_ACTIVATED, post=_METHOD_ONLY),
        f"{_A}guide/": row(_API_ACTIVATED_400, post=_METHOD_ONLY),  # without ?want=
        f"{_A}institutions/": row(_API_ACTIVATED_400, post=_METHOD_ONLY),  # without ?q=
        f"{_A}<int:pk>/": row(_DOCTOR_A_OBJECT, post=_METHOD_ONLY),
        # doctor_a may submit and withdraw their draft (tested in tests/accounts/test_api_applications.py).
        f"{_A}<int:pk>/submit/": row(_METHOD_ONLY, post=who(403, doctor_a=OK, doctor_b=404)),
        f"{_A}<int:pk>/withdraw/": row(_METHOD_ONLY, post=who(403, doctor_a=OK, doctor_b=404)),
        f"{_A}<int:pk>/attachments/": row(_METHOD_ONLY, post=who(403, doctor_a=400, doctor_b=404)),
        f"{_A}<int:pk>/attachments/<int:attachment_id>/": row(_DOCTOR_A_OBJECT, post=_METHOD_ONLY),
    }
)
_P = "/api/v1/accounts/applications/"
API.update(
    {
        f"GET {_P}": API_ACTIVATED,
        f"POST {_P}": _API_ACTIVATED_400,
        f"POST {_P}draft/": _API_ACTIVATED_400,
        f"POST {_P}check/": _API_ACTIVATED_400,
        f"GET {_P}kinds/": API_ACTIVATED,
        f"GET {_P}guide/": _API_ACTIVATED_400,
        f"GET {_P}institutions/": _API_ACTIVATED_400,
        f"GET {_P}{{id}}/": _DOCTOR_A_OBJECT,
        f"PUT {_P}{{id}}/": who(403, doctor_a=400, doctor_b=404),  # an empty body names no institution
        f"PATCH {_P}{{id}}/": who(403, doctor_a=OK, doctor_b=404),  # an empty PATCH changes nothing asked
        f"POST {_P}{{id}}/submit/": who(403, doctor_a=OK, doctor_b=404),
        f"POST {_P}{{id}}/withdraw/": who(403, doctor_a=OK, doctor_b=404),
        f"POST {_P}{{id}}/attachments/": who(403, doctor_a=400, doctor_b=404),  # no kind, no file
        f"GET {_P}{{id}}/attachments/{{attachment_id}}/": _DOCTOR_A_OBJECT,
        f"DELETE {_P}{{id}}/attachments/{{attachment_id}}/": who(403, doctor_a=OK, doctor_b=404),
    }
)


def _draft_pk(world) -> int:
    return world["objects"]["applications.api_draft"].pk


def _attachment_pk(world) -> int:
    return world["objects"]["applications.api_attachment"].pk


URLS.update(
    {
        f"{_A}<int:pk>/": lambda w: f"{_P}{_draft_pk(w)}/",
        f"{_A}<int:pk>/submit/": lambda w: f"{_P}{_draft_pk(w)}/submit/",
        f"{_A}<int:pk>/withdraw/": lambda w: f"{_P}{_draft_pk(w)}/withdraw/",
        f"{_A}<int:pk>/attachments/": lambda w: f"{_P}{_draft_pk(w)}/attachments/",
        f"{_A}<int:pk>/attachments/<int:attachment_id>/": lambda w: (
            f"{_P}{_draft_pk(w)}/attachments/{_attachment_pk(w)}/"
        ),
    }
)
API_PATHS.update(
    {
        f"{_P}{{id}}/": lambda w: f"{_P}{_draft_pk(w)}/",
        f"{_P}{{id}}/submit/": lambda w: f"{_P}{_draft_pk(w)}/submit/",
        f"{_P}{{id}}/withdraw/": lambda w: f"{_P}{_draft_pk(w)}/withdraw/",
        f"{_P}{{id}}/attachments/": lambda w: f"{_P}{_draft_pk(w)}/attachments/",
        f"{_P}{{id}}/attachments/{{attachment_id}}/": lambda w: (
            f"{_P}{_draft_pk(w)}/attachments/{_attachment_pk(w)}/"
        ),
    }
)
DOCUMENTED.update(
    {
        ("GET", _P): {200, 400, 403, 404},
        ("POST", _P): {201, 400, 403, 409, 413, 415},
        ("POST", f"{_P}draft/"): {201, 400, 403, 409, 413, 415},
        ("POST", f"{_P}check/"): {200, 400, 403, 413, 415},
        ("GET", f"{_P}kinds/"): {200, 403},
        ("GET", f"{_P}guide/"): {200, 400, 403},
        ("GET", f"{_P}institutions/"): {200, 400, 403},
        ("GET", f"{_P}{{id}}/"): {200, 403, 404},
        ("PUT", f"{_P}{{id}}/"): {200, 400, 403, 404, 409, 413, 415},
        ("PATCH", f"{_P}{{id}}/"): {200, 400, 403, 404, 409, 413, 415},
        ("POST", f"{_P}{{id}}/submit/"): {200, 400, 403, 404, 409},
        ("POST", f"{_P}{{id}}/withdraw/"): {200, 400, 403, 404, 409, 413, 415},
        ("POST", f"{_P}{{id}}/attachments/"): {201, 400, 403, 404, 409, 413, 415},
        ("GET", f"{_P}{{id}}/attachments/{{attachment_id}}/"): {200, 403, 404},
        ("DELETE", f"{_P}{{id}}/attachments/{{attachment_id}}/"): {204, 403, 404, 409},
    }
)

# A fixed name: the matrix writes the same file on every run instead of new ones.
API_ATTACHMENT = "0" * 31 + "a.jpg"


def _api_objects(people) -> dict:
    """doctor_a's 注册 draft at X, with an ID-card scan in private storage."""
    from pathlib import Path

    from django.conf import settings

    from registrations.models import Application, Attachment, Kind
    from tests import personas
    from tests.photos import photo_bytes

    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    data = photo_bytes()
    (directory / API_ATTACHMENT).write_bytes(data)
    doctor = people["doctor_a"]
    draft = Application.objects.create(
        kind=Kind.REGISTER,
        doctor=doctor,
        real_name=doctor.real_name,
        id_number_digest=doctor.id_number_digest,
        id_number_masked=doctor.id_number_masked,
        institution=personas.institution(personas.X),
        level="physician",
        category="clinical",
        statement="申请执业注册",
    )
    attachment = Attachment.objects.create(
        application=draft,
        kind=Attachment.Kind.ID_CARD,
        stored_name=API_ATTACHMENT,
        original_name="身份证.jpg",
        content_type="image/jpeg",
        size=len(data),
        uploaded_by=doctor,
    )
    return {"applications.api_draft": draft, "applications.api_attachment": attachment}
