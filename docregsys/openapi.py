"""OpenAPI schema: every operation documents the error answers it can give, in the project's error shape (API-1)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from .authentication import ExpiringTokenAuthentication


# Read-only: these describe answers and never read input.
class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("出错的输入字段；与整个请求有关时为 null")
    )
    code = serializers.CharField(read_only=True, help_text=_("机器可读的错误代码"))
    message = serializers.CharField(read_only=True, help_text=_("给用户看的说明"))


class ErrorsSerializer(serializers.Serializer):
    """{"errors": [{"field", "code", "message"}]}: every error answer of the API (docregsys.api)."""

    errors = ErrorSerializer(many=True, read_only=True)


ERROR_DESCRIPTIONS = {
    400: _("输入无效，或规则不允许该操作"),
    401: _("令牌已过期（token_expired），请重新获取令牌"),
    403: _("未登录、令牌无效或无权执行该操作"),
    404: _("对象不存在或不在您的权限范围内"),
    405: _("该地址不支持所用的请求方法（Allow 头列出支持的方法）"),
    406: _("无法按 Accept 头要求的格式回答（本接口只回答 JSON 或所列文件类型）"),
    409: _("当前状态不允许该操作"),
    413: _("请求内容过大"),
    415: _("不支持的请求内容类型"),
    429: _("尝试次数过多，请稍后再试"),
}


def error_response(status: int, serializer=ErrorsSerializer) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=str(ERROR_DESCRIPTIONS[status]))


def refusals(*statuses: int) -> dict[int, OpenApiResponse]:
    """The domain refusals (409 state, 429 quota …) an operation gives, for `@extend_schema(responses=…)`.

    Input (400/413/415), authentication (401/403) and not-found (404) answers are added by ProjectAutoSchema.
    """
    return {status: error_response(status) for status in statuses}


class ProjectAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error answers each operation can give, derived from the view."""

    def _get_parameters(self):
        parameters = super()._get_parameters()
        # A list documented by hand with ?page= (its own page serializer) also takes the paginator's bounded
        # ?page_size= (docregsys.pagination): say so, as the generated lists do.
        names = {(p["name"], p["in"]) for p in parameters}
        # Views that paginate by hand (no pagination_class) use a ProjectPagination too.
        paginator = self._get_paginator() or api_settings.DEFAULT_PAGINATION_CLASS()
        size = getattr(paginator, "page_size_query_param", None)
        if ("page", "query") in names and size and (size, "query") not in names:
            parameters.append(
                {
                    "name": size,
                    "required": False,
                    "in": "query",
                    "description": str(paginator.page_size_query_description),
                    "schema": {"type": "integer"},
                }
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        # A view with its own error shape (FHIR's OperationOutcome) names it in `error_serializer`.
        serializer = getattr(self.view, "error_serializer", ErrorsSerializer)
        for status in self._error_statuses():
            responses.setdefault(
                str(status),
                self._get_response_for_code(error_response(status, serializer), str(status), direction=direction),
            )
        return dict(sorted(responses.items()))

    def _error_statuses(self) -> set[int]:
        # Every operation: DRF answers a method the view does not implement with 405 (the same path, another
        # verb: what a client that guessed the verb gets) and an Accept header it cannot satisfy with 406.
        statuses = {405, 406}
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            # The body is parsed (docregsys.parsers: size, depth, encoding) and validated.
            statuses |= {400, 413, 415}
        parameters = self._get_parameters()
        query = {parameter["name"] for parameter in parameters if parameter["in"] == "query"}
        if getattr(self.view, "filterset_class", None) or getattr(self.view, "filterset_fields", None):
            statuses.add(400)  # django-filter refuses a malformed filter value
        # An object in the path may not exist (or be out of scope); DRF answers an unknown
        # ?format= and a page past the end with 404 as well.
        if any(parameter["in"] == "path" for parameter in parameters) or query & {
            api_settings.URL_FORMAT_OVERRIDE,
            "page",
        }:
            statuses.add(404)
        authenticators = self.view.get_authenticators()
        if any(isinstance(a, ExpiringTokenAuthentication) for a in authenticators):
            statuses.add(401)  # an expired token, whatever the operation (docregsys.authentication)
        public = all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        if authenticators or not public:
            # DRF answers "not authenticated" with 401 only when the first authenticator names a
            # WWW-Authenticate scheme (token); session authentication first turns it into 403. A bad
            # token or a missing CSRF token is refused even on public operations.
            statuses.add(403)
            if not public and authenticators and authenticators[0].authenticate_header(self.view.request):
                statuses.add(401)
        return statuses
