"""Access-matrix rows: the admin's applications (APP-1, APP-2) and /api/v1/approvals/."""
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
    """Rows this area's URLs need (none yet)."""
    return {}
