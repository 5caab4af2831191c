"""The machinery of the access matrix: walk every route and API operation, ask as a persona, name the answer.

The table of expected answers lives in tests/test_access_matrix.py; this module only enumerates, builds
URLs, sends requests (each inside a rolled-back savepoint, so one request never changes the next) and
turns a response into a short answer: a status code, ``"login"`` (a redirect to a login page) or
``"→<url name>"`` (any other redirect).
"""

from __future__ import annotations

import copy
import dataclasses
from urllib.parse import urlparse

from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.dbstate import assert_nothing_changed

LOGIN = "login"
CSRF_SECRET = "matrixcsrfsecretmatrixcsrfsecre1"  # 32 characters: a valid CSRF cookie secret
LOGIN_NAMES = {"accounts:login", "admin:login", "console:login"}


@dataclasses.dataclass(frozen=True)
class Route:
    """One URL pattern: its full pattern text, name (with namespaces) and view."""

    pattern: str
    name: str | None
    callback: object


def routes() -> list[Route]:
    """Every URL pattern of the project, depth first, admin and API included."""

    def walk(resolver, prefix="", namespaces=()):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                more = (*namespaces, entry.namespace) if entry.namespace else namespaces
                yield from walk(entry, prefix + str(entry.pattern), more)
            elif isinstance(entry, URLPattern):
                name = ":".join((*namespaces, entry.name)) if entry.name else None
                yield Route(prefix + str(entry.pattern), name, entry.callback)

    return list(walk(get_resolver()))


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation of the OpenAPI schema, as drf-spectacular generates it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )


def persona_client(user) -> Client:
    """A client that enforces CSRF like a browser does, with a valid token and the persona's session."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_X_CSRFTOKEN=CSRF_SECRET)
    client.cookies["csrftoken"] = CSRF_SECRET
    if user is not None:
        client.force_login(user)
    return client


def answer_of(response) -> int | str:
    """200, 403, 404 …; ``"login"`` for a redirect to a login page; ``"→name"`` for another redirect."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return response.status_code
    path = urlparse(response["Location"]).path
    try:
        match = resolve(path)
    except Resolver404:
        return f"→{path}"
    name = match.view_name
    return LOGIN if name in LOGIN_NAMES else f"→{name}"


REFUSALS = {LOGIN, 400, 401, 403, 404, 405}


def ask(client, method: str, url: str, *, data=None, json: bool = False, expected=None) -> int | str:
    """Send one request in a savepoint that is rolled back; a refusal must change no row (X-4)."""
    body = {"csrfmiddlewaretoken": CSRF_SECRET, **(data or {})} if not json else "{}"
    kwargs = {"content_type": "application/json"} if json else {}
    call = getattr(client, method.lower())
    cookies = copy.deepcopy(client.cookies)  # a logout or login in this request must not carry over
    with transaction.atomic():
        if expected in REFUSALS:
            with assert_nothing_changed(f"{method} {url}"):
                response = call(url, body, **kwargs) if method != "GET" else call(url)
        else:
            response = call(url, body, **kwargs) if method != "GET" else call(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return answer_of(response)


def url_for(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch as exc:  # a table entry whose arguments no longer fit the route
        raise AssertionError(f"cannot build {name}{args}: {exc}") from None
