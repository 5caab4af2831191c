"""Every URL pattern answers with the security headers and the strict CSP, for every kind of visitor (issue 8 §4)."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Made-up values for path arguments: nothing in the database has them, so object pages answer 404
# (or a redirect for the admin), and a 404 must carry the headers as well.
ROUTE_SAMPLES = {"int": "999999", "path": "999999", "slug": "no-such-thing", "str": "999999", "uuid": None}
REGEX_SAMPLES = [
    (re.compile(r"\(\?P<\w+>((?:\w+\|)+\w+)\)"), lambda m: m.group(1).split("|")[0]),  # (?P<app_label>auth|…)
    (re.compile(r"\(\?P<\w+>\\w\+\)"), lambda m: "nosuchkey"),
    (re.compile(r"\(\?P<\w+>\.\*\)"), lambda m: "no-such-page/"),
    (re.compile(r"\(\[\^/\]\+\)"), lambda m: "999999"),
]


def _route_url(route: str) -> str:
    def sample(match):
        converter = match.group(1) or "str"
        value = ROUTE_SAMPLES.get(converter)
        assert value, f"no sample value for converter {converter!r} in {route!r}: add one"
        return value

    return re.sub(r"<(?:(\w+):)?\w+>", sample, route)


def _regex_url(regex: str) -> str:
    for pattern, sample in REGEX_SAMPLES:
        regex = pattern.sub(sample, regex)
    url = regex.replace("^", "").replace("$", "")
    assert not re.search(r"[()\\\[\]*+?|]", url), (
        f"cannot build a URL from {regex!r}: add a sample to REGEX_SAMPLES"
    )
    return url


def all_urls():
    """One concrete URL for every pattern of the resolver, admin and API included: [(pattern, url)]."""
    urls = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + [entry.pattern])
            else:
                assert isinstance(entry, URLPattern)
                parts = [*prefix, entry.pattern]
                url = "/" + "".join(
                    _route_url(str(p)) if type(p).__name__ == "RoutePattern" else _regex_url(str(p))
                    for p in parts
                )
                urls.append(("".join(str(p) for p in parts), url))

    walk(get_resolver().url_patterns, [])
    return urls


def security_header_problems(response) -> list[str]:
    """What is missing or wrong in one response's security headers (empty when all is well)."""
    problems = []
    csp = response.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    if not csp:
        return ["no Content-Security-Policy"]
    if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
        problems.append(f"unsafe source in CSP: {csp}")
    expected = {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    for name, sources in expected.items():
        if directives.get(name) != sources:
            problems.append(f"{name} is {directives.get(name)}, expected {sources}")
    for name in ("script-src", "style-src"):
        sources = directives.get(name, [])
        if (
            sources[:1] != ["'self'"]
            or not any(s.startswith("'nonce-") for s in sources)
            or len(sources) != 2
        ):
            problems.append(f"{name} is {sources}, expected 'self' and a nonce")
    for header, value in (
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ):
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}")
    return problems


def _walk_as(client, *, signed_in: bool):
    failures = []
    for pattern, url in all_urls():
        response = client.get(url)
        problems = security_header_problems(response)
        if response.status_code >= 500:
            problems.append("server error")
        if signed_in and "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"Cache-Control is {response.get('Cache-Control')!r} for a signed-in user")
        if problems:
            failures.append(f"{pattern} (GET {url} → {response.status_code}): {'; '.join(problems)}")
    return failures


def test_the_url_walk_covers_admin_api_and_pages():
    """The walk itself: it reaches the admin's object pages, the API and the pages, each as a concrete URL."""
    urls = dict(all_urls())
    assert len(urls) > 200
    assert urls["accounts/login/"] == "/accounts/login/"
    assert urls["admin/accounts/user/<path:object_id>/change/"] == "/admin/accounts/user/999999/change/"
    assert urls["qualifications/guides/<slug:origin>/"] == "/qualifications/guides/no-such-thing/"
    assert (
        urls["admin/accounts/user/^([^/]+)/history/([^/]+)/$"]
        == "/admin/accounts/user/999999/history/999999/"
    )
    assert "/api/v1/accounts/me/" in urls.values()
    assert "/admin/auth/" in urls.values()


def test_every_url_pattern_answers_an_anonymous_visitor_with_the_headers_and_strict_csp():
    """Issue 8 §4 (ASVS V14.4): CSP without 'unsafe-inline' and with a nonce, nosniff, DENY, COOP, Referrer-Policy."""
    failures = _walk_as(Client(raise_request_exception=False), signed_in=False)
    assert not failures, "\n".join(failures)


def test_every_url_pattern_answers_a_signed_in_doctor_with_the_headers_and_no_store():
    """Issue 8 §4 (ASVS V8.2.1): a doctor's every answer, page or API, also says Cache-Control: no-store."""
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(activated=True))
    failures = _walk_as(client, signed_in=True)
    assert not failures, "\n".join(failures)


def test_every_url_pattern_answers_the_superuser_with_the_headers_and_no_store():
    """Issue 8 §4: the admin's pages, the superuser's view of everything, carry the same headers."""
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    failures = _walk_as(client, signed_in=True)
    assert not failures, "\n".join(failures)


def test_an_anonymous_page_is_not_marked_no_store_but_a_token_caller_is(client):
    """Issue 8 §4: no-store is for answers to an identified caller; a token-authenticated API call is one."""
    from rest_framework.authtoken.models import Token

    assert "no-store" not in client.get("/qualifications/guides/").get("Cache-Control", "")
    token = Token.objects.create(user=UserFactory(activated=True))
    response = client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert security_header_problems(response) == []


def test_each_response_gets_its_own_nonce(client):
    """Issue 8 §4: the nonce is per request, so a nonce read from one page is worthless on the next."""
    first = client.get("/accounts/login/")["Content-Security-Policy"]
    second = client.get("/accounts/login/")["Content-Security-Policy"]
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first).group(1) != nonce.search(second).group(1)
