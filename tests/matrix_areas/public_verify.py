"""Access-matrix rows: the public checks under /verify/ (PUB-1, PRN-1/3/4 codes) — open to everyone."""
# ruff: noqa: F405

from tests.matrix_rows import *  # noqa: F403 - the table's vocabulary

_GET_ONLY = who(405)

PAGES: dict = {
    "verify/": row(who(404), post=_GET_ONLY),
    "verify/key.pem": row(PUBLIC, post=_GET_ONLY),
    "verify/q/<str:token>/": row(who(404), post=_GET_ONLY),
    "verify/code/<str:code>/": row(who(404), post=_GET_ONLY),
}
ADMIN: dict = {}
API: dict = {}
URLS: dict = {
    "verify/q/<str:token>/": lambda w: "/verify/q/not-a-token/",
    "verify/code/<str:code>/": lambda w: "/verify/code/ABCDEFGHJKMNPQRS/",
}
API_PATHS: dict = {}
DOCUMENTED: dict = {}


def objects(people) -> dict:
    return {}
