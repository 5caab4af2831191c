"""Access-matrix rows: statistics (INS-11 统计信息) and 医师在外省注册情况, pages and API."""

from tests.matrix_rows import API_OFFICER, OFFICER_PAGE, row, who
from tests.matrix_support import LOGIN

# Read-only pages: a POST is 405 for officers (and refused as ever for everyone else).
_READ_ONLY_POST = who(403, anonymous=LOGIN, officers=405)
PAGES: dict = {
    "institution/statistics/": row(OFFICER_PAGE, post=_READ_ONLY_POST),
    "institution/outside/": row(OFFICER_PAGE, post=_READ_ONLY_POST),
    "api/v1/institution/statistics/": row(API_OFFICER, post=who(405, anonymous=403)),
    "api/v1/institution/outside/": row(API_OFFICER, post=who(405, anonymous=403)),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/statistics/": API_OFFICER,
    "GET /api/v1/institution/outside/": API_OFFICER,
}
URLS: dict = {}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/statistics/"): {200, 403},
    ("GET", "/api/v1/institution/outside/"): {200, 403, 404},  # 404: a page past the end
}


def objects(people) -> dict:
    return {}
