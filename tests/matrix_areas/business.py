"""Access-matrix rows: the console's 业务办理 (INS-6, INS-10) and /api/v1/institution/applications/."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_READ_ONLY = who(405)  # require_GET answers first, whoever asks
# The lists' POST is the search (ID number → session token, then a redirect): officers may.
_LIST = row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=OK))
# POST to X's object: an empty form is refused (400) for X's officer — the application waits for X
# (机构审核中), so neither 撤销 nor an action-less POST can change it; Y's officer gets 404.
_X_FORM = row(OFFICER_X_OBJECT, post=who(403, anonymous=LOGIN, officer_x=400, officer_y=404))
_API_READ = who(405, anonymous=403)  # DRF: authentication first, then the method
_API_X_POST = who(403, officer_x=409, officer_y=404)  # the state refuses X's officer (409)

PAGES: dict = {
    "institution/business/": _LIST,
    "institution/business/open/": _LIST,
    "institution/business/done/": _LIST,
    "institution/business/<int:pk>/": _X_FORM,
    # 打印申请表 (PRN-1) of X's agreed filing, which has a rendered form: X's officer may print again.
    "institution/business/<int:pk>/print/": row(
        OFFICER_X_OBJECT, post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404)
    ),
    "institution/business/<int:pk>/print/status/": row(OFFICER_X_OBJECT, post=_READ_ONLY),
    "institution/business/<int:pk>/print/form.pdf": row(OFFICER_X_OBJECT, post=_READ_ONLY),
    "institution/business/<int:pk>/revoke/": _X_FORM,
    "institution/business/<int:pk>/attachments/<int:attachment_pk>/": row(OFFICER_X_OBJECT, post=_READ_ONLY),
    "institution/business/archive/": row(OFFICER_PAGE, post=_READ_ONLY),
    "institution/business/deregister/": row(OFFICER_PAGE, post=_READ_ONLY),
    "institution/business/archive/<int:record_pk>/": _X_FORM,
    "institution/business/deregister/<int:record_pk>/": _X_FORM,
    "institution/business/rename/": row(OFFICER_PAGE, post=who(403, anonymous=LOGIN, officers=400)),
    "institution/business/filings/": row(OFFICER_PAGE, post=_READ_ONLY),
    "institution/business/filings/<int:pk>/resubmit/": _X_FORM,
    # X's filing is 卫健委审批中, not returned: the withdrawal is refused with a message (tested in test_filing.py).
    "institution/business/filings/<int:pk>/withdraw/": row(
        who(405), post=who(403, anonymous=LOGIN, officer_x=OK, officer_y=404)
    ),
    "api/v1/institution/applications/": row(API_OFFICER, post=_API_READ),
    "api/v1/institution/applications/search/": row(who(405, anonymous=403), post=who(403, officers=400)),
    "api/v1/institution/applications/filings/": row(API_OFFICER, post=who(403, officers=400)),
    "api/v1/institution/applications/<int:pk>/": row(API_OFFICER_X_OBJECT, post=_API_READ),
    "api/v1/institution/applications/<int:pk>/attachments/<int:attachment_id>/": row(
        API_OFFICER_X_OBJECT, post=_API_READ
    ),
    "api/v1/institution/applications/<int:pk>/agree/": row(
        _API_READ, post=who(403, officer_x=OK, officer_y=404)
    ),
    "api/v1/institution/applications/<int:pk>/disagree/": row(
        _API_READ, post=who(403, officer_x=400, officer_y=404)
    ),
    "api/v1/institution/applications/<int:pk>/revoke/": row(_API_READ, post=_API_X_POST),
    "api/v1/institution/applications/<int:pk>/form/": row(
        API_OFFICER_X_OBJECT, post=who(403, officer_x=OK, officer_y=404)
    ),
    "api/v1/institution/applications/<int:pk>/form/pdf/": row(API_OFFICER_X_OBJECT, post=_API_READ),
    "api/v1/institution/applications/filings/<int:pk>/resubmit/": row(_API_READ, post=_API_X_POST),
    "api/v1/institution/applications/filings/<int:pk>/withdraw/": row(_API_READ, post=_API_X_POST),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py
API: dict = {
    "GET /api/v1/institution/applications/": API_OFFICER,
    "POST /api/v1/institution/applications/search/": who(403, officers=400),
    "GET /api/v1/institution/applications/filings/": API_OFFICER,
    "POST /api/v1/institution/applications/filings/": who(403, officers=400),
    "GET /api/v1/institution/applications/{id}/": API_OFFICER_X_OBJECT,
    "GET /api/v1/institution/applications/{id}/attachments/{attachment_id}/": API_OFFICER_X_OBJECT,
    # An empty body agrees: X's officer may (tested in tests/institutions/test_business_api.py).
    "POST /api/v1/institution/applications/{id}/agree/": who(403, officer_x=OK, officer_y=404),
    "POST /api/v1/institution/applications/{id}/disagree/": who(403, officer_x=400, officer_y=404),
    "POST /api/v1/institution/applications/{id}/revoke/": _API_X_POST,
    "GET /api/v1/institution/applications/{id}/form/": API_OFFICER_X_OBJECT,
    # X's filing is agreed: X's officer may print (tested in tests/institutions/test_business_print.py).
    "POST /api/v1/institution/applications/{id}/form/": who(403, officer_x=OK, officer_y=404),
    "GET /api/v1/institution/applications/{id}/form/pdf/": API_OFFICER_X_OBJECT,
    "POST /api/v1/institution/applications/filings/{id}/resubmit/": _API_X_POST,
    "POST /api/v1/institution/applications/filings/{id}/withdraw/": _API_X_POST,
}


def _application_pk(world) -> int:
    return world["objects"]["business.application"].pk


def _attachment_pk(world) -> int:
    return world["objects"]["business.attachment"].pk


def _record_pk(world) -> int:
    return world["objects"]["business.record"].pk


def _filing_pk(world) -> int:
    return world["objects"]["business.filing"].pk


_B = "/institution/business"
_A = "/api/v1/institution/applications"
URLS: dict = {
    "institution/business/<int:pk>/": lambda w: f"{_B}/{_application_pk(w)}/",
    "institution/business/<int:pk>/print/": lambda w: f"{_B}/{_filing_pk(w)}/print/",
    "institution/business/<int:pk>/print/status/": lambda w: f"{_B}/{_filing_pk(w)}/print/status/",
    "institution/business/<int:pk>/print/form.pdf": lambda w: f"{_B}/{_filing_pk(w)}/print/form.pdf",
    "institution/business/<int:pk>/revoke/": lambda w: f"{_B}/{_application_pk(w)}/revoke/",
    "institution/business/<int:pk>/attachments/<int:attachment_pk>/": lambda w: (
        f"{_B}/{_application_pk(w)}/attachments/{_attachment_pk(w)}/"
    ),
    "institution/business/archive/<int:record_pk>/": lambda w: f"{_B}/archive/{_record_pk(w)}/",
    "institution/business/deregister/<int:record_pk>/": lambda w: f"{_B}/deregister/{_record_pk(w)}/",
    "institution/business/filings/<int:pk>/resubmit/": lambda w: f"{_B}/filings/{_filing_pk(w)}/resubmit/",
    "institution/business/filings/<int:pk>/withdraw/": lambda w: f"{_B}/filings/{_filing_pk(w)}/withdraw/",
    "api/v1/institution/applications/<int:pk>/": lambda w: f"{_A}/{_application_pk(w)}/",
    "api/v1/institution/applications/<int:pk>/agree/": lambda w: f"{_A}/{_application_pk(w)}/agree/",
    "api/v1/institution/applications/<int:pk>/attachments/<int:attachment_id>/": lambda w: (
        f"{_A}/{_application_pk(w)}/attachments/{_attachment_pk(w)}/"
    ),
    "api/v1/institution/applications/<int:pk>/disagree/": lambda w: f"{_A}/{_application_pk(w)}/disagree/",
    "api/v1/institution/applications/<int:pk>/revoke/": lambda w: f"{_A}/{_application_pk(w)}/revoke/",
    "api/v1/institution/applications/<int:pk>/form/": lambda w: f"{_A}/{_filing_pk(w)}/form/",
    "api/v1/institution/applications/<int:pk>/form/pdf/": lambda w: f"{_A}/{_filing_pk(w)}/form/pdf/",
    "api/v1/institution/applications/filings/<int:pk>/resubmit/": lambda w: (
        f"{_A}/filings/{_filing_pk(w)}/resubmit/"
    ),
    "api/v1/institution/applications/filings/<int:pk>/withdraw/": lambda w: (
        f"{_A}/filings/{_filing_pk(w)}/withdraw/"
    ),
}
API_PATHS: dict = {
    f"{_A}/{{id}}/": lambda w: f"{_A}/{_application_pk(w)}/",
    f"{_A}/{{id}}/agree/": lambda w: f"{_A}/{_application_pk(w)}/agree/",
    f"{_A}/{{id}}/attachments/{{attachment_id}}/": lambda w: (
        f"{_A}/{_application_pk(w)}/attachments/{_attachment_pk(w)}/"
    ),
    f"{_A}/{{id}}/disagree/": lambda w: f"{_A}/{_application_pk(w)}/disagree/",
    f"{_A}/{{id}}/revoke/": lambda w: f"{_A}/{_application_pk(w)}/revoke/",
    f"{_A}/{{id}}/form/": lambda w: f"{_A}/{_filing_pk(w)}/form/",
    f"{_A}/{{id}}/form/pdf/": lambda w: f"{_A}/{_filing_pk(w)}/form/pdf/",
    f"{_A}/filings/{{id}}/resubmit/": lambda w: f"{_A}/filings/{_filing_pk(w)}/resubmit/",
    f"{_A}/filings/{{id}}/withdraw/": lambda w: f"{_A}/filings/{_filing_pk(w)}/withdraw/",
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", f"{_A}/"): {200, 400, 403, 404},
    ("POST", f"{_A}/search/"): {200, 400, 403, 404, 413, 415},
    ("GET", f"{_A}/filings/"): {200, 403, 404},
    ("POST", f"{_A}/filings/"): {201, 400, 403, 404, 409, 413, 415},
    ("GET", f"{_A}/{{id}}/"): {200, 403, 404},
    ("GET", f"{_A}/{{id}}/attachments/{{attachment_id}}/"): {200, 403, 404},
    ("POST", f"{_A}/{{id}}/agree/"): {200, 400, 403, 404, 409, 413, 415},
    ("POST", f"{_A}/{{id}}/disagree/"): {200, 400, 403, 404, 409, 413, 415},
    ("POST", f"{_A}/{{id}}/revoke/"): {200, 400, 403, 404, 409, 413, 415},
    ("GET", f"{_A}/{{id}}/form/"): {200, 403, 404},
    ("POST", f"{_A}/{{id}}/form/"): {200, 403, 404, 409},
    ("GET", f"{_A}/{{id}}/form/pdf/"): {200, 403, 404},
    ("POST", f"{_A}/filings/{{id}}/resubmit/"): {200, 400, 403, 404, 409, 413, 415},
    ("POST", f"{_A}/filings/{{id}}/withdraw/"): {200, 400, 403, 404, 409, 413, 415},
}

ATTACHMENT = "0" * 31 + "3.pdf"  # a fixed name: the matrix writes the same file on every run


def objects(people) -> dict:
    """An application waiting for X (机构审核中) with one attachment; doctor_a's record at X; an agreed
    注册备案 that X filed itself."""
    from pathlib import Path

    from django.conf import settings

    from registrations.models import Application, Attachment, Initiator, Kind, PracticeRecord
    from tests import personas
    from tests.applications import filing_reason
    from tests.factories import ApplicationFactory

    directory = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ATTACHMENT).write_bytes(b"%PDF-1.4 matrix")
    x = personas.institution(personas.X)
    application = ApplicationFactory(institution=x, submitted=True, real_name="李四")
    attachment = Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.ID_CARD,
        stored_name=ATTACHMENT,
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=15,
    )
    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    filing = ApplicationFactory(
        kind=Kind.ARCHIVE,
        initiator=Initiator.INSTITUTION,
        doctor=None,
        real_name="孙备案",
        institution=x,
        filing_reason=filing_reason("02"),
        agreed=True,
    )
    assert Application.objects.filter(pk=filing.pk, state="agreed").exists()
    # The filing's coded form (PRN-1), rendered: its status and PDF answer X's officer.
    from printing.kinds import content_hash, kind_of
    from printing.models import Document
    from printing.services import documents

    form = Document.objects.create(
        kind="form",
        application=filing,
        content_hash=content_hash(kind_of("form"), filing),
        institution=x,
        state=Document.State.DONE,
        size=18,
    )
    documents.write(f"{form.file_key}.pdf", b"%PDF-1.4 matrix form")
    return {
        "business.application": application,
        "business.attachment": attachment,
        "business.record": record,
        "business.filing": filing,
    }
