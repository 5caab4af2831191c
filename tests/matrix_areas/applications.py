"""Access-matrix rows: the doctor's 业务申请 · 业务查询 · 证书补办 pages and /api/v1/accounts/applications/ (REG-2 … REG-9)."""
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
