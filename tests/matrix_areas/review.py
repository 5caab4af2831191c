"""Access-matrix rows: review (INS-7 本院医师信息审核 and the photos it shows)."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_READ_ONLY = who(405)  # photos and the queue are GET only (require_GET answers first)
_API_READ = who(405, anonymous=403)  # DRF: authentication first, then the method

PAGES: dict = {
    "institution/reviews/": row(OFFICER_PAGE, post=_READ_ONLY),
    # POST without "reject" approves: officer_x may (tested in tests/institutions/test_review.py).
    "institution/reviews/<int:pk>/": row(
        OFFICER_X_OBJECT,
        post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404),
    ),
    "institution/reviews/<int:pk>/photo/": row(OFFICER_X_OBJECT, post=_READ_ONLY),
    "institution/records/<int:pk>/photo/": row(OFFICER_X_OBJECT, post=_READ_ONLY),
    "api/v1/institution/reviews/": row(API_OFFICER, post=_API_READ),
    "api/v1/institution/reviews/<int:pk>/": row(API_OFFICER_X_OBJECT, post=_API_READ),
    "api/v1/institution/reviews/<int:pk>/approve/": row(
        _API_READ,
        post=who(403, officer_x=OK, officer_y=404),
    ),
    "api/v1/institution/reviews/<int:pk>/reject/": row(
        _API_READ,
        post=who(403, officer_x=400, officer_y=404),  # no reason: refused
    ),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/reviews/": API_OFFICER,
    "GET /api/v1/institution/reviews/{id}/": API_OFFICER_X_OBJECT,
    "POST /api/v1/institution/reviews/{id}/approve/": who(403, officer_x=OK, officer_y=404),
    "POST /api/v1/institution/reviews/{id}/reject/": who(403, officer_x=400, officer_y=404),
}


def _change_pk(world) -> int:
    return world["objects"]["review.change"].pk


def _record_pk(world) -> int:
    return world["objects"]["review.record"].pk


URLS: dict = {
    "institution/reviews/<int:pk>/": lambda w: f"/institution/reviews/{_change_pk(w)}/",
    "institution/reviews/<int:pk>/photo/": lambda w: f"/institution/reviews/{_change_pk(w)}/photo/",
    "institution/records/<int:pk>/photo/": lambda w: f"/institution/records/{_record_pk(w)}/photo/",
    "api/v1/institution/reviews/<int:pk>/": lambda w: f"/api/v1/institution/reviews/{_change_pk(w)}/",
    "api/v1/institution/reviews/<int:pk>/approve/": lambda w: (
        f"/api/v1/institution/reviews/{_change_pk(w)}/approve/"
    ),
    "api/v1/institution/reviews/<int:pk>/reject/": lambda w: (
        f"/api/v1/institution/reviews/{_change_pk(w)}/reject/"
    ),
}
API_PATHS: dict = {
    "/api/v1/institution/reviews/{id}/": lambda w: f"/api/v1/institution/reviews/{_change_pk(w)}/",
    "/api/v1/institution/reviews/{id}/approve/": lambda w: (
        f"/api/v1/institution/reviews/{_change_pk(w)}/approve/"
    ),
    "/api/v1/institution/reviews/{id}/reject/": lambda w: (
        f"/api/v1/institution/reviews/{_change_pk(w)}/reject/"
    ),
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/reviews/"): {200, 403, 404},
    ("GET", "/api/v1/institution/reviews/{id}/"): {200, 403, 404},
    ("POST", "/api/v1/institution/reviews/{id}/approve/"): {200, 403, 404, 409},
    ("POST", "/api/v1/institution/reviews/{id}/reject/"): {200, 400, 403, 404, 409, 413, 415},
}

# Fixed names: the matrix writes the same two files on every run instead of new ones.
CHANGE_PHOTO = "0" * 31 + "1.jpg"
RECORD_PHOTO = "0" * 31 + "2.jpg"


def _write_photo(name: str) -> None:
    from pathlib import Path

    from django.conf import settings

    from tests.photos import photo_bytes

    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "photos"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(photo_bytes())


def objects(people) -> dict:
    """A pending request of doctor_a at X with a photo; doctor_a's record at X with an approved photo."""
    from registrations.models import PracticeRecord, ProfileChange
    from tests import personas

    _write_photo(CHANGE_PHOTO)
    _write_photo(RECORD_PHOTO)
    doctor = people["doctor_a"]
    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    PracticeRecord.objects.filter(pk=record.pk).update(photo=RECORD_PHOTO)
    change = ProfileChange.objects.create(
        doctor=doctor,
        institution=personas.institution(personas.X),
        info_changed=True,
        education="硕士研究生",
        school="中南大学",
        major="临床医学",
        title="主任医师",
        photo=CHANGE_PHOTO,
    )
    return {"review.change": change, "review.record": record}
