"""X-4: no request body ends in a server error: deep nesting, bad UTF-8, lone surrogates, huge bodies.

Every API operation that takes a body is tried anonymously and as a doctor; each answers in the
API's error shape ({"errors": [{"field", "code", "message"}]}, Chinese) and writes nothing.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000  # escaped DRF's parser as a RecursionError (500) before
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def api_operations():
    """(path, method) of every API route that takes a request body."""
    found = []
    for route, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if not route.startswith("api/") or view is None:
            continue
        path = "/" + re.sub(r"<[^>]+>", "1", route).lstrip("^").rstrip("$")
        for method in ("post", "put", "patch"):
            if hasattr(view, method):
                found.append((path, method))
    return found


OPERATIONS = api_operations()


def test_the_walk_finds_the_api_operations():
    """The list below is not empty by accident: sign-up, token and recovery are among them."""
    paths = {path for path, _method in OPERATIONS}
    assert {"/api/v1/accounts/signup/", "/api/v1/accounts/token/", "/api/v1/accounts/recover/personal/"} <= paths
    assert len(OPERATIONS) >= 20


def assert_error_shape(response, code=None):
    errors = response.json()["errors"]
    assert errors and all(set(e) == {"field", "code", "message"} for e in errors)
    assert all(CHINESE.search(e["message"]) for e in errors), errors
    if code is not None:
        assert [e["code"] for e in errors] == [code]


def send(client, path, method, body, content_type="application/json"):
    return getattr(client, method)(path, data=body, content_type=content_type)


@pytest.fixture
def doctor_api():
    client = APIClient()
    client.force_authenticate(UserFactory(checked=True, phone="15175070658"))
    return client


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_deeply_nested_json_is_a_400_on_every_operation(path, method, doctor_api):
    """X-4: `[` × 100,000 is refused by the parser (400, json_too_deep), anonymously and as a doctor."""
    users = User.objects.count()
    anonymous = send(APIClient(), path, method, DEEP)
    assert anonymous.status_code in (400, 401, 403), anonymous.content[:200]
    if anonymous.status_code == 400:
        assert_error_shape(anonymous, "json_too_deep")
    signed_in = send(doctor_api, path, method, DEEP)
    assert signed_in.status_code in (400, 403, 204), signed_in.content[:200]
    if signed_in.status_code == 400:
        assert_error_shape(signed_in, "json_too_deep")
    assert User.objects.count() == users


PUBLIC = [
    "/api/v1/accounts/signup/",
    "/api/v1/accounts/token/",
    "/api/v1/accounts/recover/phone/send/",
    "/api/v1/accounts/recover/personal/",
    "/api/v1/accounts/recover/password/",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_anonymous_endpoints_reach_the_parser_and_refuse_the_deep_body(path):
    """X-4: the endpoints open to anyone parse the body: 400 json_too_deep, not 403 and not 500."""
    response = send(APIClient(), path, "post", DEEP)
    assert response.status_code == 400
    assert_error_shape(response, "json_too_deep")
    assert response.json()["errors"][0]["message"] == "请求内容的JSON嵌套超过32层。"


def test_nesting_at_the_limit_is_parsed_as_usual():
    """X-4: the depth limit does not refuse ordinary bodies; a body of 32 levels reaches validation."""
    response = send(APIClient(), "/api/v1/accounts/token/", "post", '{"username": ' + "[" * 31 + "]" * 31 + "}")
    assert response.status_code == 400
    assert "json_too_deep" not in {e["code"] for e in response.json()["errors"]}


def test_brackets_inside_strings_do_not_count_as_nesting():
    """X-4: "[[[[" typed in a field is text, not depth: the request is validated as usual."""
    body = '{"username": "' + "[" * 100 + '\\"{{{", "password": "x"}'
    response = send(APIClient(), "/api/v1/accounts/token/", "post", body)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"captcha_key", "captcha_value"}


def test_malformed_utf8_is_a_400():
    """X-4: bytes that are not UTF-8 get a clear Chinese message, never a 500."""
    response = send(APIClient(), "/api/v1/accounts/signup/", "post", b'{"real_name": "\xff\xfe\xc3("}')
    assert response.status_code == 400
    assert_error_shape(response, "json_encoding")
    assert not User.objects.exists()


def test_invalid_json_is_a_400_in_chinese():
    """X-4 / API-1: a syntax error in the body answers in the error shape, in Chinese."""
    response = send(APIClient(), "/api/v1/accounts/signup/", "post", '{"real_name": ')
    assert response.status_code == 400
    assert_error_shape(response, "json_invalid")


def test_a_lone_surrogate_is_refused_before_it_reaches_the_database():
    r"""X-4: "\ud800" decodes to a str no database or password hasher can encode: 400, nothing written."""
    body = '{"username": "ab\\ud800cdef", "password": "\\udfff", "captcha_key": "k", "captcha_value": "PASSED"}'
    response = send(APIClient(), "/api/v1/accounts/token/", "post", body)
    assert response.status_code == 400
    assert_error_shape(response, "json_invalid_unicode")


def test_a_json_body_over_the_upload_limit_is_a_413(settings):
    """X-4: DRF reads the stream past Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the parser enforces it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = '{"real_name": "' + "王" * (1024 * 1024) + '"}'
    response = send(APIClient(), "/api/v1/accounts/signup/", "post", body)
    assert response.status_code == 413
    assert_error_shape(response, "request_too_large")
    assert response.json()["errors"][0]["message"] == "请求内容不能超过1MB。"
    assert not User.objects.exists()


def test_a_form_encoded_body_over_the_limit_is_a_413_on_the_api(settings):
    """X-4: the same limit for application/x-www-form-urlencoded bodies sent to the API."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = "real_name=" + "a" * (1024 * 1024 + 10)
    response = send(
        APIClient(), "/api/v1/accounts/signup/", "post", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert_error_shape(response, "request_too_large")


def test_a_page_form_over_the_limit_is_a_400_not_a_500(client, settings):
    """X-4: the pages rely on Django's own check (RequestDataTooBig → 400)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(
        "/accounts/login/",
        "username=" + "a" * (1024 * 1024 + 10),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
