"""Access-matrix rows: certificates (PRN-3 电子证照, PRN-4 成绩单) — the doctor's pages and API (issue 11)."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_GET_ONLY_PAGE = who(403, anonymous=LOGIN, activated=405)  # activated_required first, then require_GET
_A_OBJECT_PAGE = who(403, anonymous=LOGIN, doctor_a=200, doctor_b=404)  # doctor_a's; doctor_b finds nothing
_A_OBJECT = who(403, doctor_a=200, doctor_b=404)
_METHOD_ONLY = who(405, anonymous=403)  # DRF: authentication first, then the method

_C = "api/v1/accounts/certificates/"
_S = "api/v1/accounts/score-reports/"

PAGES: dict = {
    "accounts/certificates/": row(ACTIVATED_PAGE, post=_GET_ONLY_PAGE),
    "accounts/certificates/<int:record_id>/status/": row(_A_OBJECT_PAGE, post=_GET_ONLY_PAGE),
    "accounts/certificates/<int:record_id>/pdf/": row(_A_OBJECT_PAGE, post=_GET_ONLY_PAGE),
    "accounts/certificates/<int:record_id>/live/": row(_A_OBJECT_PAGE, post=_GET_ONLY_PAGE),
    # POST asks for doctor_a's own report (tested in tests/accounts/test_certificates_pages.py).
    "accounts/score-reports/<int:result_id>/": row(
        _A_OBJECT_PAGE, post=who(403, anonymous=LOGIN, doctor_a=OK, doctor_b=404)
    ),
    "accounts/score-reports/<int:result_id>/pdf/": row(_A_OBJECT_PAGE, post=_GET_ONLY_PAGE),
    # 查看电子证照 in the console: X's officer for X's doctor; require_GET answers a POST first.
    "institution/doctors/<int:pk>/certificate/": row(OFFICER_X_OBJECT, post=who(405)),
    "api/v1/institution/doctors/<str:id>/certificate/": row(
        API_OFFICER_X_OBJECT, post=who(405, anonymous=403)
    ),
    _C: row(API_ACTIVATED, post=_METHOD_ONLY),
    f"{_C}<int:pk>/": row(_A_OBJECT, post=who(403, doctor_a=OK, doctor_b=404)),
    f"{_C}<int:pk>/pdf/": row(_A_OBJECT, post=_METHOD_ONLY),
    f"{_C}<int:pk>/live/": row(_A_OBJECT, post=_METHOD_ONLY),
    _S: row(API_ACTIVATED, post=_METHOD_ONLY),
    f"{_S}<int:pk>/": row(_A_OBJECT, post=who(403, doctor_a=OK, doctor_b=404)),
    f"{_S}<int:pk>/pdf/": row(_A_OBJECT, post=_METHOD_ONLY),
}
ADMIN: dict = {}  # {"app.model": {route kind: row}}, as in ADMIN of tests/test_access_matrix.py

_PC = f"/{_C}"
_PS = f"/{_S}"
API: dict = {
    "GET /api/v1/institution/doctors/{id}/certificate/": API_OFFICER_X_OBJECT,
    f"GET {_PC}": API_ACTIVATED,
    f"GET {_PC}{{id}}/": _A_OBJECT,
    f"POST {_PC}{{id}}/": who(403, doctor_a=OK, doctor_b=404),
    f"GET {_PC}{{id}}/pdf/": _A_OBJECT,
    f"GET {_PC}{{id}}/live/": _A_OBJECT,
    f"GET {_PS}": API_ACTIVATED,
    f"GET {_PS}{{id}}/": _A_OBJECT,
    f"POST {_PS}{{id}}/": who(403, doctor_a=OK, doctor_b=404),
    f"GET {_PS}{{id}}/pdf/": _A_OBJECT,
}


def _record(world) -> int:
    return world["objects"]["certificates.record"].pk


def _result(world) -> int:
    return world["objects"]["certificates.result"].pk


URLS: dict = {
    "institution/doctors/<int:pk>/certificate/": lambda w: f"/institution/doctors/{_record(w)}/certificate/",
    "api/v1/institution/doctors/<str:id>/certificate/": lambda w: (
        f"/api/v1/institution/doctors/{_record(w)}/certificate/"
    ),
    "accounts/certificates/<int:record_id>/status/": lambda w: f"/accounts/certificates/{_record(w)}/status/",
    "accounts/certificates/<int:record_id>/pdf/": lambda w: f"/accounts/certificates/{_record(w)}/pdf/",
    "accounts/certificates/<int:record_id>/live/": lambda w: f"/accounts/certificates/{_record(w)}/live/",
    "accounts/score-reports/<int:result_id>/": lambda w: f"/accounts/score-reports/{_result(w)}/",
    "accounts/score-reports/<int:result_id>/pdf/": lambda w: f"/accounts/score-reports/{_result(w)}/pdf/",
    f"{_C}<int:pk>/": lambda w: f"{_PC}{_record(w)}/",
    f"{_C}<int:pk>/pdf/": lambda w: f"{_PC}{_record(w)}/pdf/",
    f"{_C}<int:pk>/live/": lambda w: f"{_PC}{_record(w)}/live/",
    f"{_S}<int:pk>/": lambda w: f"{_PS}{_result(w)}/",
    f"{_S}<int:pk>/pdf/": lambda w: f"{_PS}{_result(w)}/pdf/",
}
API_PATHS: dict = {
    "/api/v1/institution/doctors/{id}/certificate/": lambda w: (
        f"/api/v1/institution/doctors/{_record(w)}/certificate/"
    ),
    f"{_PC}{{id}}/": lambda w: f"{_PC}{_record(w)}/",
    f"{_PC}{{id}}/pdf/": lambda w: f"{_PC}{_record(w)}/pdf/",
    f"{_PC}{{id}}/live/": lambda w: f"{_PC}{_record(w)}/live/",
    f"{_PS}{{id}}/": lambda w: f"{_PS}{_result(w)}/",
    f"{_PS}{{id}}/pdf/": lambda w: f"{_PS}{_result(w)}/pdf/",
}
# {("METHOD", "/api/path/{param}/"): {statuses}}: what each operation documents (test_api_documented_answers)
DOCUMENTED: dict = {
    ("GET", "/api/v1/institution/doctors/{id}/certificate/"): {200, 403, 404},
    ("GET", _PC): {200, 403},
    ("GET", f"{_PC}{{id}}/"): {200, 403, 404},
    ("POST", f"{_PC}{{id}}/"): {202, 403, 404, 409},
    ("GET", f"{_PC}{{id}}/pdf/"): {200, 403, 404},
    ("GET", f"{_PC}{{id}}/live/"): {200, 403, 404},
    ("GET", _PS): {200, 403},
    ("GET", f"{_PS}{{id}}/"): {200, 403, 404},
    ("POST", f"{_PS}{{id}}/"): {202, 403, 404},
    ("GET", f"{_PS}{{id}}/pdf/"): {200, 403, 404},
}

# Fixed file names: the matrix writes the same files on every run instead of new ones.
CERTIFICATE_FILE = "0" * 31 + "c"
SCORE_REPORT_FILE = "0" * 31 + "d"


def objects(people) -> dict:
    """doctor_a's valid record at X with its certificate rendered, and a passed exam result of doctor_a with
    its score report rendered (so the downloads answer 200 for doctor_a)."""
    from printing.models import Document
    from printing.services import document_render, document_request
    from registrations.models import PracticeRecord
    from tests import personas
    from tests.factories import ExamResultFactory

    doctor = people["doctor_a"]
    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    result = ExamResultFactory(real_name=doctor.real_name, id_number=personas.DOCTOR_A_ID, passed=True)
    for kind, subject, key in (
        ("certificate", record, CERTIFICATE_FILE),
        ("score_report", result, SCORE_REPORT_FILE),
    ):
        document = document_request(kind=kind, subject=subject)
        Document.objects.filter(pk=document.pk).update(file_key=key)
        document_render(document_id=document.pk)
    return {"certificates.record": record, "certificates.result": result}
