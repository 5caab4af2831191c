"""Redoc at /api/redoc/ under the strict CSP (API-1): the sidecar's bundle, served with two small changes.

Redoc's standalone bundle inserts <style> elements while it loads, before ``Redoc.init`` can hand it the
CSP nonce, and draws Redocly's logo from cdn.redoc.ly. Served from here, the bundle takes the nonce of its
own <script> element from the start (webpack's ``__webpack_nonce__``, which styled-components and the
style loader read) and the logo is an empty image (Redoc hides it), so the page makes no request outside
this server and needs neither 'unsafe-inline' nor a hash.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET

BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# (what the bundle says, what it says here): each is found exactly once in the sidecar's redoc 2.x bundle.
PATCHES = (
    (".nc=void 0", ".nc=(document.currentScript&&document.currentScript.nonce)||void 0"),
    ("https://cdn.redoc.ly/redoc/logo-mini.svg", "data:,"),
)


@lru_cache(maxsize=1)
def redoc_bundle() -> tuple[bytes, str]:
    """The patched bundle and its ETag (read once per process)."""
    text = Path(finders.find(BUNDLE)).read_text(encoding="utf-8")
    for before, after in PATCHES:
        # A new sidecar release that moved these leaves the bundle as it is: the browser test then reports
        # the CSP violations instead of the page silently breaking.
        if text.count(before) == 1:
            text = text.replace(before, after)
    body = text.encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@require_GET
def redoc_script(request):
    """GET /api/redoc/redoc.standalone.js: the patched Redoc bundle, cached by the browser for a day."""
    body, etag = redoc_bundle()
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=86400"
    return response
