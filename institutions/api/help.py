"""Institution API: 客服中心 (INS-12) — the institutions' FAQ and 向客服提问, the officer's own questions only."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view

from accounts.api.help import (
    ID,
    FaqListApi,
    FaqSerializer,
    QuestionAskSerializer,
    QuestionDetailApi,
    QuestionListApi,
    QuestionSerializer,
)
from accounts.faq import OFFICER
from docregsys.openapi import refusals

from .officers import ConsoleOfficer


@extend_schema_view(get=extend_schema(responses=FaqSerializer(many=True), tags=["institution"]))
class OfficerFaqListApi(FaqListApi):
    """常见问题列表: the institutions' FAQ."""

    audience = OFFICER
    permission_classes = [ConsoleOfficer]


@extend_schema_view(
    get=extend_schema(tags=["institution"]),
    post=extend_schema(
        request=QuestionAskSerializer,
        responses={201: QuestionSerializer, **refusals(429)},
        tags=["institution"],
    ),
)
class OfficerQuestionListApi(QuestionListApi):
    """GET: the officer's own questions, newest first; POST: 向客服提问 (at most 10 a day)."""

    permission_classes = [ConsoleOfficer]


@extend_schema_view(get=extend_schema(parameters=[ID], tags=["institution"]))
class OfficerQuestionDetailApi(QuestionDetailApi):
    """查看回复详情: one of the officer's own questions; another's is a 404."""

    permission_classes = [ConsoleOfficer]


urlpatterns = [
    path("help/faq/", OfficerFaqListApi.as_view(), name="help_faq"),
    path("help/questions/", OfficerQuestionListApi.as_view(), name="help_questions"),
    path("help/questions/<str:pk>/", OfficerQuestionDetailApi.as_view(), name="help_question"),
]
