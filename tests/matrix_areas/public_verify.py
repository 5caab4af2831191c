"""Access-matrix rows: the public checks under /verify/ and /api/v1/public/ (PUB-1, PRN-1/3/4 codes) — open to
everyone, logged in or not."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_GET_ONLY = who(405)

PAGES: dict = {
    # GET: the two forms; POST without a body: the form again with its errors (no lookup).
    "verify/": row(PUBLIC, post=PUBLIC),
    "verify/key.pem": row(PUBLIC, post=_GET_ONLY),
    "verify/offline/": row(PUBLIC, post=_GET_ONLY),
    "verify/q/<str:token>/": row(PUBLIC, post=_GET_ONLY),
    "verify/code/<str:code>/": row(PUBLIC, post=_GET_ONLY),
    "api/v1/public/verify/": row(who(405), post=who(400)),  # an empty body names nobody
    "api/v1/public/codes/<str:code>/": row(PUBLIC, post=who(405)),
}
ADMIN: dict = {}
API: dict = {
    "POST /api/v1/public/verify/": who(400),
    "GET /api/v1/public/codes/{code}/": PUBLIC,
}
URLS: dict = {
    "verify/q/<str:token>/": lambda w: f"/verify/q/{_token(w)}/",
    "verify/code/<str:code>/": lambda w: f"/verify/code/{_code(w)}/",
    "api/v1/public/codes/<str:code>/": lambda w: f"/api/v1/public/codes/{_code(w)}/",
}
API_PATHS: dict = {
    "/api/v1/public/codes/{code}/": lambda w: f"/api/v1/public/codes/{_code(w)}/",
}
# What each operation documents (tests/platform/test_api_documented_answers.py). 403: a bad token or a
# session without its CSRF token is refused even here; 429: the lookup counters (printing/throttle.py).
DOCUMENTED: dict = {
    ("POST", "/api/v1/public/verify/"): {200, 400, 403, 413, 415, 429},
    ("GET", "/api/v1/public/codes/{code}/"): {200, 403, 404, 429},
}


def _code(world) -> str:
    return world["objects"]["public_verify.score_report"].code


def _token(world) -> str:
    from printing.links import certificate_payload, certificate_token

    payload = certificate_payload(
        code="ABCDEFGHJKMNPQRS",
        certificate_number="110430100000001",
        real_name="王甲",
        level="physician",
        category="clinical",
        issued="2026-01-05",
    )
    return certificate_token(payload)


def objects(people) -> dict:
    """A rendered score report whose 验证码 the code pages check (no PDF is needed for the check)."""
    from printing.models import Document
    from printing.services import document_request
    from tests.factories import ExamResultFactory

    document = document_request(kind="score_report", subject=ExamResultFactory(real_name="王甲"))
    Document.objects.filter(pk=document.pk).update(state=Document.State.DONE)
    document.refresh_from_db()
    return {"public_verify.score_report": document}
