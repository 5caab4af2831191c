"""Access-matrix rows: the admin's applications (APP-1, APP-2) and /api/v1/approvals/."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

# The admin's route kinds and answers, as tests/test_access_matrix.py names them (not importable from here).
CL, ADD, HIST, DEL, CHG, OLD = (
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
)
REVERT = "^([^/]+)/history/([^/]+)/$"
APPROVE, RETURN = "<path:object_id>/approve/", "<path:object_id>/return/"
ATTACHMENT = "<path:object_id>/attachments/<int:attachment_id>/"


def staff(su, county, tianxin, hubei):
    """Answers of the superuser and the three reviewers; everyone else is sent to the admin's login."""
    return who(
        LOGIN, superuser=su, county_reviewer=county, tianxin_reviewer=tianxin, other_province_reviewer=hubei
    )


NOBODY = staff(403, 403, 403, 403)
# X's application is routed to 芙蓉区: its reviewer and the superuser see it; 天心区 and 湖北省 find nothing.
IN_FURONG = staff(200, 200, 404, 404)
# Only the routed authority decides: the superuser reads (403 on deciding), the others find nothing.
DECIDES = staff(403, 200, 404, 404)

_IN_FURONG_API = who(403, superuser=200, county_reviewer=200, tianxin_reviewer=404, other_province_reviewer=404)

PAGES: dict = {
    "api/v1/approvals/applications/": row(who(403, staff=200), post=who(403, staff=405)),
    # ID-7: the attachment of X's application, to whoever may read the application.
    "api/v1/approvals/applications/<int:pk>/attachments/<int:attachment_id>/": row(
        _IN_FURONG_API, post=who(403, staff=405)
    ),
    "api/v1/approvals/applications/search/": row(who(403, staff=405), post=who(403, staff=400)),
    "api/v1/approvals/applications/<int:pk>/": row(
        who(403, superuser=200, county_reviewer=200, tianxin_reviewer=404, other_province_reviewer=404),
        post=who(403, staff=405),
    ),
    "api/v1/approvals/applications/<int:pk>/approve/": row(
        who(403, staff=405),
        post=who(403, county_reviewer=OK, tianxin_reviewer=404, other_province_reviewer=404),
    ),
    "api/v1/approvals/applications/<int:pk>/return/": row(
        who(403, staff=405),
        post=who(403, county_reviewer=400, tianxin_reviewer=404, other_province_reviewer=404),  # no reason
    ),
}
ADMIN: dict = {
    "registrations.application": {  # read-only: the state moves only through 批准 / 退回 (APP-2)
        CL: row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        ADD: row(NOBODY),
        CHG: row(IN_FURONG, post=NOBODY),
        DEL: row(NOBODY),
        HIST: row(IN_FURONG, post=IN_FURONG),
        OLD: row(staff(OLD, OLD, OLD, OLD)),
        # the ID number by POST; a GET goes back to the list.
        "id-search/": row(
            staff(*(("→admin:registrations_application_changelist",) * 4)), post=staff(OK, OK, OK, OK)
        ),
        APPROVE: row(DECIDES, post=staff(403, OK, 404, 404)),
        RETURN: row(DECIDES, post=DECIDES),  # POST without a reason: the page again, with the error
        ATTACHMENT: row(IN_FURONG, post=staff(405, 405, 405, 405)),
    },
    # SPEC §12: the province's lists; 湖南省's county bureaus read them, 湖北省 finds nothing.
    "registrations.materiallist": {
        CL: row(staff(200, 200, 200, 200), post=staff(OK, OK, OK, OK)),
        ADD: row(staff(200, 403, 403, 200), post=staff(OK, 403, 403, OK)),
        CHG: row(staff(200, 200, 200, 404), post=staff(OK, 403, 403, 404)),
        DEL: row(staff(200, 403, 403, 404), post=staff(OK, 403, 403, 404)),
        HIST: row(staff(200, 200, 200, 404), post=staff(200, 200, 200, 404)),
        OLD: row(staff(OLD, OLD, OLD, OLD)),
        REVERT: row(staff(200, 200, 200, 404), post=staff(OK, 403, 403, 404)),
    },
}
API: dict = {
    "GET /api/v1/approvals/applications/": who(403, staff=200),
    "GET /api/v1/approvals/applications/{id}/attachments/{attachment_id}/": _IN_FURONG_API,
    "POST /api/v1/approvals/applications/search/": who(403, staff=400),  # {}: no ID number
    "GET /api/v1/approvals/applications/{id}/": who(
        403, superuser=200, county_reviewer=200, tianxin_reviewer=404, other_province_reviewer=404
    ),
    "POST /api/v1/approvals/applications/{id}/approve/": who(
        403, county_reviewer=OK, tianxin_reviewer=404, other_province_reviewer=404
    ),
    "POST /api/v1/approvals/applications/{id}/return/": who(
        403, county_reviewer=400, tianxin_reviewer=404, other_province_reviewer=404
    ),
}


def _application(world):
    return world["objects"]["registrations.application"]


URLS: dict = {
    "api/v1/approvals/applications/<int:pk>/attachments/<int:attachment_id>/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/attachments/{w['objects']['approvals.attachment'].pk}/"
    ),
    "api/v1/approvals/applications/<int:pk>/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/"
    ),
    "api/v1/approvals/applications/<int:pk>/approve/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/approve/"
    ),
    "api/v1/approvals/applications/<int:pk>/return/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/return/"
    ),
}
API_PATHS: dict = {
    "/api/v1/approvals/applications/{id}/attachments/{attachment_id}/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/attachments/{w['objects']['approvals.attachment'].pk}/"
    ),
    "/api/v1/approvals/applications/{id}/": lambda w: f"/api/v1/approvals/applications/{_application(w).pk}/",
    "/api/v1/approvals/applications/{id}/approve/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/approve/"
    ),
    "/api/v1/approvals/applications/{id}/return/": lambda w: (
        f"/api/v1/approvals/applications/{_application(w).pk}/return/"
    ),
}
# The admin's own routes with more than an object id (tests/test_access_matrix.py `_admin_url`).
ADMIN_URLS: dict = {
    ("registrations.application", APPROVE): lambda w: (
        f"/admin/registrations/application/{_application(w).pk}/approve/"
    ),
    ("registrations.application", RETURN): lambda w: (
        f"/admin/registrations/application/{_application(w).pk}/return/"
    ),
    ("registrations.application", ATTACHMENT): lambda w: (
        f"/admin/registrations/application/{_application(w).pk}/attachments/"
        f"{w['objects']['approvals.attachment'].pk}/"
    ),
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/approvals/applications/"): {200, 400, 403, 404},
    ("POST", "/api/v1/approvals/applications/search/"): {200, 400, 403, 413, 415},
    ("GET", "/api/v1/approvals/applications/{id}/"): {200, 403, 404},
    ("GET", "/api/v1/approvals/applications/{id}/attachments/{attachment_id}/"): {200, 403, 404},
    ("POST", "/api/v1/approvals/applications/{id}/approve/"): {200, 403, 404, 409},
    ("POST", "/api/v1/approvals/applications/{id}/return/"): {200, 400, 403, 404, 409, 413, 415},
}

ATTACHMENT_NAME = "0" * 31 + "3.pdf"  # fixed: the matrix writes the same file on every run


def objects(people) -> dict:
    """An application of X agreed and routed to 芙蓉区 (a person of its own, so no other area's REG-5
    collides), one attachment of it, and 湖南省's materials list for 注册."""
    from pathlib import Path

    from django.conf import settings

    from registrations.models import Attachment, MaterialList
    from tests import personas
    from tests.factories import ApplicationFactory

    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    data = b"%PDF-1.4\n% matrix\n"
    (directory / ATTACHMENT_NAME).write_bytes(data)
    application = ApplicationFactory(
        agreed=True,
        real_name="矩阵申",
        doctor__real_name="矩阵申",
        institution=personas.institution(personas.X),
        authority=personas.authority("furong"),
    )
    attachment = Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.CONTRACT,
        stored_name=ATTACHMENT_NAME,
        original_name="合同.pdf",
        content_type="application/pdf",
        size=len(data),
    )
    materials = MaterialList.objects.create(
        province=personas.region("province"), kind="register", items="身份证复印件\n二寸照片"
    )
    return {
        "registrations.application": application,
        "approvals.attachment": attachment,
        "registrations.materiallist": materials,
    }
