"""Access-matrix rows: the API-3 change feeds, /api/v1/institution/changes/ (officers) and
/api/v1/approvals/changes/ (reviewers and the superuser). What each caller sees is in
tests/registrations/test_changes.py; here, who gets in."""

from tests.matrix_rows import API_OFFICER, row, who

_REVIEWERS = who(403, staff=200)  # the three reviewers and the superuser
_READ_ONLY_POST = who(405, anonymous=403)  # DRF: authentication first, then the method

PAGES: dict = {
    "api/v1/institution/changes/": row(API_OFFICER, post=_READ_ONLY_POST),
    "api/v1/approvals/changes/": row(_REVIEWERS, post=who(403, staff=405)),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/changes/": API_OFFICER,
    "GET /api/v1/approvals/changes/": _REVIEWERS,
}
URLS: dict = {}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/changes/"): {200, 400, 403},
    ("GET", "/api/v1/approvals/changes/"): {200, 400, 403},
}


def objects(people) -> dict:
    return {}
