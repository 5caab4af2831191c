"""Access-matrix rows: help (INS-12 客服中心; the reviewers' 客服回复管理 in the admin)."""

from tests.matrix_rows import API_OFFICER, API_OFFICER_X_OBJECT, OFFICER_PAGE, OFFICER_X_OBJECT, OK, row, who
from tests.matrix_support import LOGIN

QUESTION = "institution/help/questions/<int:pk>/"
API_QUESTION = "/api/v1/institution/help/questions/{id}/"


def staff(su, county, tianxin, hubei):
    """Answers of the superuser and the three reviewers; everyone else: LOGIN (copied from the matrix)."""
    return who(
        LOGIN, superuser=su, county_reviewer=county, tianxin_reviewer=tianxin, other_province_reviewer=hubei
    )


NOBODY = staff(403, 403, 403, 403)
IN_FURONG = staff(200, 200, 404, 404)
OLD = "→admin:accounts_question_change"

PAGES: dict = {
    "institution/help/": row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=OK)),  # POST asks
    "institution/help/faq/<slug:slug>/": row(OFFICER_PAGE),
    QUESTION: row(OFFICER_X_OBJECT),  # officer_x's own question; Y's officer 404
    "api/v1/institution/help/faq/": row(API_OFFICER, post=who(403, officers=405)),
    "api/v1/institution/help/questions/": row(API_OFFICER, post=who(403, officers=400)),
    "api/v1/institution/help/questions/<str:pk>/": row(
        API_OFFICER_X_OBJECT,
        post=who(403, officers=405),
    ),
}
# Reviewers answer the questions of their region (INS-12): view and change (the answer only); nobody adds,
# only the superuser deletes. The question of the world lies in 芙蓉区 (officer_x of 芙蓉医院 asked it).
ADMIN: dict = {
    "accounts.question": {
        "": row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        "add/": row(NOBODY),
        "<path:object_id>/change/": row(IN_FURONG, post=staff(OK, OK, 404, 404)),
        "<path:object_id>/history/": row(IN_FURONG, post=IN_FURONG),
        "<path:object_id>/delete/": row(staff(200, 403, 403, 403), post=staff(OK, 403, 403, 403)),
        "<path:object_id>/": row(staff(OLD, OLD, OLD, OLD)),
    }
}
API: dict = {
    "GET /api/v1/institution/help/faq/": API_OFFICER,
    "GET /api/v1/institution/help/questions/": API_OFFICER,
    "POST /api/v1/institution/help/questions/": who(403, officers=400),  # an empty body
    f"GET {API_QUESTION}": API_OFFICER_X_OBJECT,
}


def _question(world):
    return world["objects"]["accounts.question"].pk


URLS: dict = {
    "institution/help/faq/<slug:slug>/": lambda world: "/institution/help/faq/officer-activation/",
    QUESTION: lambda world: f"/institution/help/questions/{_question(world)}/",
    "api/v1/institution/help/questions/<str:pk>/": lambda world: (
        f"/api/v1/institution/help/questions/{_question(world)}/"
    ),
}
API_PATHS: dict = {API_QUESTION: lambda world: API_QUESTION.format(id=_question(world))}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/help/faq/"): {200, 403},
    ("GET", "/api/v1/institution/help/questions/"): {200, 403, 404},
    ("POST", "/api/v1/institution/help/questions/"): {201, 400, 403, 413, 415, 429},
    ("GET", API_QUESTION): {200, 403, 404},
}


def objects(people) -> dict:
    from tests.factories import QuestionFactory
    from tests.personas import region

    return {
        "accounts.question": QuestionFactory(
            asker=people["officer_x"], region=region("furong"), title="机构未查询到医师账户激活的信息"
        )
    }
