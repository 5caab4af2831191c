"""Access-matrix rows: system (系统功能: 审批机关设置, 科室, 本院医师所在科室; the doctor's 我的科室)."""

from tests.matrix_rows import (
    ACTIVATED_PAGE,
    API_ACTIVATED,
    API_OFFICER,
    LOGIN,
    OFFICER_PAGE,
    OK,
    row,
    who,
)
from tests.matrix_support import url_for

_CONSOLE = "institution/system/"
_FORM_REFUSED = who(403, anonymous=LOGIN, officers=400)  # an empty form is refused (400), nothing saved
_POST_ONLY = who(403, anonymous=LOGIN, officers=405)

PAGES: dict = {
    f"{_CONSOLE}authorities/": row(OFFICER_PAGE, post=_FORM_REFUSED),
    f"{_CONSOLE}departments/": row(OFFICER_PAGE, post=_FORM_REFUSED),
    # POST: X's officer deletes X's department (tested in tests/institutions/test_system.py); Y's gets 404.
    f"{_CONSOLE}departments/<int:pk>/delete/": row(
        _POST_ONLY, post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404)
    ),
    f"{_CONSOLE}department-members/": row(OFFICER_PAGE, post=_POST_ONLY),
    # POST without a department: back to the list with the message; Y's officer 404 for X's record.
    f"{_CONSOLE}department-members/<int:pk>/": row(
        _POST_ONLY,
        post=who(403, anonymous=LOGIN, officer_x="→console:department_members", officer_y=404),
    ),
    "accounts/department/": row(ACTIVATED_PAGE, post=who(403, anonymous=LOGIN, activated=400)),
    # The API's routes, asked as pages (GET, and a form-encoded POST).
    "api/v1/accounts/department/": row(API_ACTIVATED, post=who(405, anonymous=403)),
    "api/v1/institution/authorities/": row(API_OFFICER, post=who(405, anonymous=403)),
    "api/v1/institution/departments/": row(API_OFFICER, post=who(403, officers=400)),
    "api/v1/institution/departments/<int:pk>/": row(who(405, anonymous=403), post=who(405, anonymous=403)),
    "api/v1/institution/records/<int:pk>/department/": row(
        who(405, anonymous=403), post=who(403, officer_x=400, officer_y=404)
    ),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
_API = "/api/v1/institution/"
API: dict = {
    f"GET {_API}authorities/": API_OFFICER,
    f"PUT {_API}authorities/": who(403, officers=400),
    f"GET {_API}departments/": API_OFFICER,
    f"POST {_API}departments/": who(403, officers=400),
    f"DELETE {_API}departments/{{id}}/": who(403, officer_x=OK, officer_y=404),
    f"POST {_API}records/{{id}}/department/": who(403, officer_x=400, officer_y=404),
    "GET /api/v1/accounts/department/": API_ACTIVATED,
    "PUT /api/v1/accounts/department/": who(403, activated=400),
}
URLS: dict = {
    "api/v1/institution/departments/<int:pk>/": lambda world: url_for(
        "institution-api:department_detail", world["objects"]["system.department"].pk
    ),
    "api/v1/institution/records/<int:pk>/department/": lambda world: url_for(
        "institution-api:record_department", world["objects"]["registrations.practicerecord"].pk
    ),
    f"{_CONSOLE}departments/<int:pk>/delete/": lambda world: url_for(
        "console:department_delete", world["objects"]["system.department"].pk
    ),
    f"{_CONSOLE}department-members/<int:pk>/": lambda world: url_for(
        "console:department_member_set", world["objects"]["registrations.practicerecord"].pk
    ),
}
API_PATHS: dict = {
    f"{_API}departments/{{id}}/": lambda world: (
        f"{_API}departments/{world['objects']['system.department'].pk}/"
    ),
    f"{_API}records/{{id}}/department/": lambda world: (
        f"{_API}records/{world['objects']['registrations.practicerecord'].pk}/department/"
    ),
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", f"{_API}authorities/"): {200, 403},
    ("PUT", f"{_API}authorities/"): {200, 400, 403, 413, 415},
    ("GET", f"{_API}departments/"): {200, 403},
    ("POST", f"{_API}departments/"): {201, 400, 403, 413, 415},
    ("DELETE", f"{_API}departments/{{id}}/"): {204, 400, 403, 404},
    ("POST", f"{_API}records/{{id}}/department/"): {200, 400, 403, 404, 413, 415},
    ("GET", "/api/v1/accounts/department/"): {200, 403},
    ("PUT", "/api/v1/accounts/department/"): {200, 400, 403, 413, 415},
}


def objects(people) -> dict:
    """A department of X (芙蓉医院) with no doctors in it."""
    from tests import personas
    from tests.factories import DepartmentFactory

    return {
        "system.department": DepartmentFactory(institution=personas.institution(personas.X), name="矩阵科")
    }
