"""Access-matrix rows: doctor_side (REG-8 信息维护: the page, the photos, the API)."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

PAGES: dict = {
    # An empty POST is an invalid 信息修改 form: 400, nothing written.
    "accounts/maintenance/": row(ACTIVATED_PAGE, post=who(403, anonymous=LOGIN, activated=400)),
    # doctor_a's own uploaded photo (objects of tests/matrix_areas/review.py); doctor_b's is another's: 404.
    "accounts/maintenance/photos/<int:pk>/": row(
        who(403, anonymous=LOGIN, doctor_a=200, doctor_b=404),
        post=who(405),
    ),
    # The approved photo on the doctor's own valid record: doctor_a has one, doctor_b none.
    "accounts/maintenance/photo/": row(
        who(403, anonymous=LOGIN, doctor_a=200, doctor_b=404),
        post=who(405),
    ),
    "api/v1/accounts/maintenance/": row(API_ACTIVATED, post=who(403, activated=400)),
    "api/v1/accounts/maintenance/photo/": row(
        who(405, anonymous=403),
        post=who(403, activated=400),  # an empty multipart body: no photo
    ),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/accounts/maintenance/": API_ACTIVATED,
    "POST /api/v1/accounts/maintenance/": who(403, activated=400),
    # The session's CSRF check reads the body first: a JSON body is 415 for every session, before the role.
    "POST /api/v1/accounts/maintenance/photo/": who(415, anonymous=403),  # JSON is not multipart
}
URLS: dict = {
    "accounts/maintenance/photos/<int:pk>/": lambda w: (
        f"/accounts/maintenance/photos/{w['objects']['review.change'].pk}/"
    ),
}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/accounts/maintenance/"): {200, 403},
    ("POST", "/api/v1/accounts/maintenance/"): {200, 400, 403, 409, 413, 415},
    ("POST", "/api/v1/accounts/maintenance/photo/"): {200, 400, 403, 409, 413, 415},
}


def objects(people) -> dict:
    return {}
