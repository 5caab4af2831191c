"""Access-matrix rows: doctors (INS-5 本院执业医师信息: six lists, one doctor's details, and their API)."""

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

# The lists and the detail page only read: a POST is 405 for the officers who may GET them.
_READ_ONLY_POST = who(403, anonymous=LOGIN, officers=405)  # noqa: F405
_DETAIL_POST = who(403, anonymous=LOGIN, officer_x=405, officer_y=405)  # noqa: F405

PAGES: dict = {
    **{
        f"institution/doctors/{kind}/": row(OFFICER_PAGE, post=_READ_ONLY_POST)  # noqa: F405
        for kind in ("main", "filed-out", "filed-in", "locations-out", "locations-in", "archived")
    },
    # X's doctor: X's officer opens it, Y's gets 404 (require_GET answers a POST before the lookup).
    "institution/doctors/<int:pk>/": row(OFFICER_X_OBJECT, post=_DETAIL_POST),  # noqa: F405
    # DRF: IsAuthenticated first (anonymous 403), then the method (405), then the officer check.
    "api/v1/institution/doctors/": row(who(403, officers=400), post=who(405, anonymous=403)),  # noqa: F405
    "api/v1/institution/doctors/<str:id>/": row(API_OFFICER_X_OBJECT, post=who(405, anonymous=403)),  # noqa: F405
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/doctors/": who(403, officers=400),  # noqa: F405 - no ?kind= is a 400
    "GET /api/v1/institution/doctors/{id}/": API_OFFICER_X_OBJECT,  # noqa: F405
}
URLS: dict = {
    "institution/doctors/<int:pk>/": lambda world: (
        f"/institution/doctors/{world['objects']['doctors.record'].pk}/"
    ),
    "api/v1/institution/doctors/<str:id>/": lambda world: (
        f"/api/v1/institution/doctors/{world['objects']['doctors.record'].pk}/"
    ),
}
API_PATHS: dict = {
    "/api/v1/institution/doctors/{id}/": lambda world: (
        f"/api/v1/institution/doctors/{world['objects']['doctors.record'].pk}/"
    ),
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/doctors/"): {200, 400, 403, 404},
    ("GET", "/api/v1/institution/doctors/{id}/"): {200, 403, 404},
}


def objects(people) -> dict:
    """A valid practice record whose main institution is X (芙蓉医院)."""
    from tests import factories as f
    from tests import personas

    x = personas.institution(personas.X)
    return {"doctors.record": f.PracticeRecordFactory(main_institution=x, real_name="矩阵医师")}
