"""X-4: every text field of every form and request serializer has a maximum length (passwords 128, SPEC §12).

The walk imports every module of the project's apps, so a form or serializer added later without
a maximum fails here without anyone listing it.
"""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

APPS = ["accounts", "approvals", "institutions", "qualifications", "registrations", "printing", "docregsys"]


def _project_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=app + "."):
            if ".migrations" in info.name or info.name.endswith(("wsgi", "asgi", "celery")):
                continue
            yield importlib.import_module(info.name)


def _classes(base):
    seen = {}
    for module in _project_modules():
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__.split(".")[0] in APPS:
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return seen


def _unbounded_form_fields(name, field):
    """Names of the text inputs of a form field that take any length."""
    if isinstance(field, forms.MultiValueField):  # the image captcha: key + typed characters
        return [p for i, sub in enumerate(field.fields) for p in _unbounded_form_fields(f"{name}[{i}]", sub)]
    if isinstance(field, forms.CharField):
        return [] if field.max_length else [name]
    return []


FORMS = _classes(forms.BaseForm)


def test_the_walk_finds_the_forms():
    assert {"accounts.forms.LoginForm", "accounts.forms.signup.SignupAccountForm"} <= set(FORMS)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_form_text_field_has_a_maximum(name):
    """X-4: each CharField (e-mail, password, code, captcha …) of each project form has max_length."""
    unbounded = [
        path
        for field_name, field in FORMS[name].base_fields.items()
        for path in _unbounded_form_fields(field_name, field)
    ]
    assert unbounded == [], f"{name}: no max_length on {unbounded}"


def _serializer_classes(value):
    """The serializer classes in a request/response declaration (a class, an instance, a dict by status)."""
    if isinstance(value, dict):
        return [c for v in value.values() for c in _serializer_classes(v)]
    if inspect.isclass(value) and issubclass(value, serializers.BaseSerializer):
        return [value]
    if isinstance(value, serializers.ListSerializer):
        return _serializer_classes(value.child)
    if isinstance(value, serializers.BaseSerializer):
        return [type(value)]
    if isinstance(value, OpenApiResponse):
        return _serializer_classes(value.response)
    return []


def _nested(cls):
    """The class and every serializer nested in its fields (responses nest certificates, records …)."""
    found = [cls]
    for field in cls().get_fields().values():
        for inner in _serializer_classes(field) + _serializer_classes(getattr(field, "child", None)):
            found += _nested(inner)
    return found


def _schema_serializers():
    """({"POST /path": request serializer class}, {response-only serializer classes}) from drf-spectacular."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    requests, responses = {}, set()
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        if method != "GET":
            for cls in _serializer_classes(view.schema.get_request_serializer()):
                requests[f"{method} {path}"] = cls
        for cls in _serializer_classes(view.schema.get_response_serializers()):
            responses.update(_nested(cls))
        # A view's own error shape (docregsys.openapi: FHIR's OperationOutcome) only describes answers.
        for cls in _serializer_classes(getattr(view, "error_serializer", None)):
            responses.update(_nested(cls))
    return requests, responses - set(requests.values())


REQUESTS, RESPONSE_ONLY = _schema_serializers()


def _unbounded_serializer_fields(serializer, prefix=""):
    unbounded = []
    for name, field in serializer.get_fields().items():
        if field.read_only:
            continue
        if isinstance(field, serializers.Serializer):
            unbounded += _unbounded_serializer_fields(field, f"{prefix}{name}.")
        elif isinstance(field, serializers.ListSerializer | serializers.ListField):
            child = field.child
            if isinstance(child, serializers.Serializer):
                unbounded += _unbounded_serializer_fields(child, f"{prefix}{name}[].")
            elif isinstance(child, serializers.CharField) and child.max_length is None:
                unbounded.append(f"{prefix}{name}[]")
        elif isinstance(field, serializers.CharField) and field.max_length is None:
            unbounded.append(prefix + name)
    return unbounded


def test_the_walk_finds_the_request_serializers():
    assert "POST /api/v1/accounts/signup/" in REQUESTS and "POST /api/v1/accounts/token/" in REQUESTS


@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_every_request_serializer_text_field_has_a_maximum(operation):
    """X-4: each writable CharField of each request body has max_length."""
    unbounded = _unbounded_serializer_fields(REQUESTS[operation]())
    assert unbounded == [], f"{operation} ({REQUESTS[operation].__name__}): no max_length on {unbounded}"


SERIALIZERS = _classes(serializers.Serializer)


@pytest.mark.parametrize("name", sorted(SERIALIZERS))
def test_every_other_serializer_is_bounded_unless_it_only_renders_answers(name):
    """X-4: a serializer class that is no operation's request is bounded too, unless it only describes responses."""
    cls = SERIALIZERS[name]
    if cls in RESPONSE_ONLY or cls in set(REQUESTS.values()):
        return  # a response never reads input; requests are checked per operation above
    unbounded = _unbounded_serializer_fields(cls())
    assert unbounded == [], f"{name}: no max_length on {unbounded}"
