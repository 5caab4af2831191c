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


# ------------------------------------------------------------------ help (INS-12 帮助中心), kept apart
from tests.matrix_rows import API_DOCTOR, DOCTOR_PAGE, LOGIN, OK, PUBLIC, row, who  # noqa: E402

_HELP_QUESTION = "/api/v1/accounts/help/questions/{id}/"
_OWN_QUESTION = who(403, anonymous=LOGIN, doctor_a=200, doctor_b=404, unactivated_doctor=404)
PAGES.update(
    {
        "accounts/help/faq/<slug:slug>/": row(PUBLIC),  # the FAQ is public
        "accounts/help/ask/": row(DOCTOR_PAGE, post=who(403, anonymous=LOGIN, doctors=OK)),
        "accounts/help/questions/<int:pk>/": row(_OWN_QUESTION),  # doctor_a's own question
        "api/v1/accounts/help/faq/": row(PUBLIC, post=who(405)),
        "api/v1/accounts/help/questions/": row(API_DOCTOR, post=who(403, doctors=400)),
        "api/v1/accounts/help/questions/<str:pk>/": row(
            who(403, doctor_a=200, doctor_b=404, unactivated_doctor=404),
            post=who(403, doctors=405),
        ),
    }
)
API.update(
    {
        "GET /api/v1/accounts/help/faq/": PUBLIC,
        "GET /api/v1/accounts/help/questions/": API_DOCTOR,
        "POST /api/v1/accounts/help/questions/": who(403, doctors=400),  # an empty body
        f"GET {_HELP_QUESTION}": who(403, doctor_a=200, doctor_b=404, unactivated_doctor=404),
    }
)


def _help_question(world):
    return world["objects"]["help.doctor_question"].pk


URLS.update(
    {
        "accounts/help/faq/<slug:slug>/": lambda world: "/accounts/help/faq/activation/",
        "accounts/help/questions/<int:pk>/": lambda world: (
            f"/accounts/help/questions/{_help_question(world)}/"
        ),
        "api/v1/accounts/help/questions/<str:pk>/": lambda world: (
            f"/api/v1/accounts/help/questions/{_help_question(world)}/"
        ),
    }
)
API_PATHS.update({_HELP_QUESTION: lambda world: _HELP_QUESTION.format(id=_help_question(world))})
DOCUMENTED.update(
    {
        ("GET", "/api/v1/accounts/help/faq/"): {200, 403},
        ("GET", "/api/v1/accounts/help/questions/"): {200, 403, 404},
        ("POST", "/api/v1/accounts/help/questions/"): {201, 400, 403, 413, 415, 429},
        ("GET", _HELP_QUESTION): {200, 403, 404},
    }
)
_objects_before_help = objects


def objects(people) -> dict:  # noqa: F811 - the help block adds its question to the area's objects
    from tests.factories import QuestionFactory
    from tests.personas import region

    return {
        **_objects_before_help(people),
        "help.doctor_question": QuestionFactory(
            asker=people["doctor_a"], region=region("furong"), title="如何修改照片信息"
        ),
    }
