"""Access-matrix rows: entrance (INS-1 login, the SMS code step, the forced password, 系统主页, 通知公告, 安全设置)."""

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

CONSOLE_HOME = "→console:home"
GET_ONLY = who(403, anonymous=LOGIN, officers=405)  # noqa: F405 - the page takes no POST

PAGES: dict = {
    # The login is for everyone to see; a logged-in officer goes straight to the console's home.
    "institution/": row(who(200, officers=CONSOLE_HOME)),  # noqa: F405
    # The code step needs a pending login of this session: without one, back to the login.
    "institution/login/code/": row(who(LOGIN, officers=CONSOLE_HOME)),  # noqa: F405
    # The forced new password: any logged-in officer (an empty POST is the form again with its errors).
    "institution/password/": row(OFFICER_PAGE),  # noqa: F405
    "institution/home/": row(OFFICER_PAGE, post=GET_ONLY),  # noqa: F405
    "institution/notices/": row(OFFICER_PAGE, post=GET_ONLY),  # noqa: F405
    "institution/security/": row(OFFICER_PAGE, post=GET_ONLY),  # noqa: F405
    # INS-1: an officer's API token needs an SMS code; this operation sends it (an empty body is a 400).
    "api/v1/accounts/token/code/": row(who(405), post=API_PUBLIC_POST),  # noqa: F405
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "POST /api/v1/accounts/token/code/": who(400),  # noqa: F405
}
URLS: dict = {}
API_PATHS: dict = {}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("POST", "/api/v1/accounts/token/code/"): {202, 400, 413, 415, 429},
}


def objects(people) -> dict:
    return {}
