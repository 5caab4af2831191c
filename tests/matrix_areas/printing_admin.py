"""Access-matrix rows: the printed documents in the admin (PRN-2), read-only and scoped by their subject."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

# The admin's route kinds, as tests/test_access_matrix.py names them (not importable from here).
CL, ADD, HIST, DEL, CHG, OLD = (
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
)


def staff(su, county, tianxin, hubei):
    """Answers of the superuser and the three reviewers; everyone else is sent to the admin's login."""
    return who(
        LOGIN, superuser=su, county_reviewer=county, tianxin_reviewer=tianxin, other_province_reviewer=hubei
    )


NOBODY = staff(403, 403, 403, 403)
# The document's subject is an application of X routed to 芙蓉区: its reviewer and the superuser read it,
# 天心区 and 湖北省 find nothing; nobody adds, changes or deletes a document here.
IN_FURONG = staff(200, 200, 404, 404)

PAGES: dict = {}
ADMIN: dict = {
    "printing.document": {
        CL: row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        ADD: row(NOBODY),
        CHG: row(IN_FURONG, post=NOBODY),
        DEL: row(NOBODY),
        HIST: row(IN_FURONG, post=IN_FURONG),
        OLD: row(staff(OLD, OLD, OLD, OLD)),
    },
}
API: dict = {}
URLS: dict = {}
API_PATHS: dict = {}
DOCUMENTED: dict = {}


def objects(people) -> dict:
    """A printed form of an application of X agreed and routed to 芙蓉区 (a person of its own)."""
    from printing.models import Document
    from tests import personas
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(
        agreed=True,
        real_name="矩阵印",
        doctor__real_name="矩阵印",
        institution=personas.institution(personas.X),
        authority=personas.authority("furong"),
    )
    document = Document.objects.create(
        kind=Document.Kind.FORM,
        application=application,
        content_hash="0" * 64,
        state=Document.State.DONE,
        institution=application.institution,
    )
    return {"printing.document": document}
