"""Access-matrix rows: accounts (INS-4 医师账户激活, INS-9 撤销医师账户 and 本院医师账户管理)."""

from tests.matrix_rows import API_OFFICER, OFFICER_PAGE, OFFICER_X_OBJECT, OK, row, who
from tests.matrix_support import LOGIN

# A POST-only action on one of X's doctors: GET is 405 for officers (the method is checked before the
# object), POST acts for X's officer (not sent by the matrix) and is a 404 for Y's.
POST_ONLY_X = row(
    who(403, anonymous=LOGIN, officers=405),
    post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404),
)

PAGES: dict = {
    "institution/activation/": row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=405)),
    "institution/activation/issue-all/": row(
        who(403, anonymous=LOGIN, officers=405),
        post=who(403, anonymous=LOGIN, officers=OK),
    ),
    "institution/activation/<int:pk>/issue/": POST_ONLY_X,
    "institution/revoke/": row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=405)),
    # GET shows the confirmation; POST without a reason re-shows it (X), Y's officer gets 404 either way.
    "institution/revoke/<int:pk>/": row(
        OFFICER_X_OBJECT, post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404)
    ),
    "institution/doctor-accounts/": row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=405)),
    "institution/doctor-accounts/<int:pk>/reset/": POST_ONLY_X,
    "api/v1/institution/activation/": row(API_OFFICER, post=who(405, anonymous=403)),
    "api/v1/institution/activation/issue-all/": row(
        who(405, anonymous=403),
        post=who(403, officers=OK),
    ),
    "api/v1/institution/activation/<int:pk>/issue/": row(
        who(405, anonymous=403),
        post=who(403, officer_x=OK, officer_y=404),
    ),
    "api/v1/institution/doctor-accounts/<int:pk>/revoke/": row(
        who(405, anonymous=403),
        post=who(403, officer_x=OK, officer_y=404),
    ),
    "api/v1/institution/doctor-accounts/<int:pk>/reset-login/": row(
        who(405, anonymous=403),
        post=who(403, officer_x=OK, officer_y=404),
    ),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/activation/": API_OFFICER,
    "POST /api/v1/institution/activation/issue-all/": who(403, officers=OK),
    "POST /api/v1/institution/activation/{id}/issue/": who(403, officer_x=OK, officer_y=404),
    "POST /api/v1/institution/doctor-accounts/{id}/revoke/": who(403, officer_x=OK, officer_y=404),
    "POST /api/v1/institution/doctor-accounts/{id}/reset-login/": who(403, officer_x=OK, officer_y=404),
}


def _doctor_pk(world) -> int:
    return world["objects"]["console.accounts.doctor_x"].pk


URLS: dict = {
    "institution/activation/<int:pk>/issue/": lambda w: f"/institution/activation/{_doctor_pk(w)}/issue/",
    "institution/revoke/<int:pk>/": lambda w: f"/institution/revoke/{_doctor_pk(w)}/",
    "institution/doctor-accounts/<int:pk>/reset/": lambda w: (
        f"/institution/doctor-accounts/{_doctor_pk(w)}/reset/"
    ),
    "api/v1/institution/activation/<int:pk>/issue/": lambda w: (
        f"/api/v1/institution/activation/{_doctor_pk(w)}/issue/"
    ),
    "api/v1/institution/doctor-accounts/<int:pk>/revoke/": lambda w: (
        f"/api/v1/institution/doctor-accounts/{_doctor_pk(w)}/revoke/"
    ),
    "api/v1/institution/doctor-accounts/<int:pk>/reset-login/": lambda w: (
        f"/api/v1/institution/doctor-accounts/{_doctor_pk(w)}/reset-login/"
    ),
}
API_PATHS: dict = {
    "/api/v1/institution/activation/{id}/issue/": lambda w: (
        f"/api/v1/institution/activation/{_doctor_pk(w)}/issue/"
    ),
    "/api/v1/institution/doctor-accounts/{id}/revoke/": lambda w: (
        f"/api/v1/institution/doctor-accounts/{_doctor_pk(w)}/revoke/"
    ),
    "/api/v1/institution/doctor-accounts/{id}/reset-login/": lambda w: (
        f"/api/v1/institution/doctor-accounts/{_doctor_pk(w)}/reset-login/"
    ),
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/activation/"): {200, 403, 404},
    ("POST", "/api/v1/institution/activation/issue-all/"): {200, 400, 403, 413, 415},
    ("POST", "/api/v1/institution/activation/{id}/issue/"): {201, 403, 404, 409},
    ("POST", "/api/v1/institution/doctor-accounts/{id}/revoke/"): {200, 400, 403, 404, 413, 415},
    ("POST", "/api/v1/institution/doctor-accounts/{id}/reset-login/"): {200, 403, 404, 409},
}


def objects(people) -> dict:
    # unactivated_doctor: signed up, a valid record at X (芙蓉医院) — one of X's doctors, not Y's.
    return {"console.accounts.doctor_x": people["unactivated_doctor"]}
