"""The JSON parser of every API view (X-4): bounded depth, strict UTF-8, no 500 from a body.

A module of its own, not docregsys.api: DRF's APIView reads DEFAULT_PARSER_CLASSES while
rest_framework.views is first imported, and docregsys.api imports that module.
"""

import operator
import re
from itertools import accumulate, repeat

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status
from rest_framework.utils import json

JSON_MAX_DEPTH = 32  # every request body of this API is a flat object: 32 leaves room, not recursion
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")


class RequestTooLarge(exceptions.APIException):
    """Django's RequestDataTooBig (DATA_UPLOAD_MAX_MEMORY_SIZE) as an API error: DRF reads request.body first."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("请求内容过大。")
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        super().__init__(_("请求内容不能超过%(mb)dMB。") % {"mb": max(1, limit // (1024 * 1024))})


def _json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects, strings skipped; no recursion, no Python-level loop."""
    brackets = _JSON_STRING.sub(b'""', raw).translate(_BRACKET_STEPS, _NOT_BRACKET)
    # "[" and "{" are 2, "]" and "}" are 0: minus 1 gives the step, the running sum the depth.
    return max(accumulate(map(operator.sub, brackets, repeat(1))), default=0)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit and strict UTF-8; every refusal is a 400 in Chinese."""

    max_depth = JSON_MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""  # DRF hands over request.body, size-checked
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.ParseError(_("请求内容必须是UTF-8编码的JSON。"), code="json_encoding") from None
        if _json_depth(raw) > self.max_depth:
            raise exceptions.ParseError(
                _("请求内容的JSON嵌套超过%(n)d层。") % {"n": self.max_depth}, code="json_too_deep"
            )
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except (ValueError, RecursionError):
            raise exceptions.ParseError(_("请求内容不是有效的JSON。"), code="json_invalid") from None
        try:
            # A lone surrogate ("\\ud800") decodes to a str that no database or log can encode.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise exceptions.ParseError(
                _("请求内容含有无效的Unicode字符。"), code="json_invalid_unicode"
            ) from None
        return data

