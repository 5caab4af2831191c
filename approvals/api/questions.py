"""/api/v1/approvals/questions/: 客服回复管理 (INS-12) for REST clients — the region's questions, 回复.

Same scope and service as the admin's QuestionAdmin (``question_list_for``, ``question_answer``: the first
answer stamps answered_at and tells the asker by SMS). The asker's name is masked (X-3).
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from accounts.models import Question
from accounts.selectors import question_list_for
from accounts.services.help import ANSWER_MAX, question_answer
from docregsys.identity.normalize import normalize_text

from .views import IsReviewer

TAGS = ["approvals"]


def _masked(name: str) -> str:
    """王** for 王小明: reviewers answer the question, they need not know who asked (X-3, as the admin)."""
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


class ReviewQuestionSerializer(serializers.ModelSerializer):
    asker_masked = serializers.SerializerMethodField(help_text=_("提问人（姓名已遮盖）"))
    asker_role = serializers.SerializerMethodField(help_text=_("提问人角色及所在机构"))
    region = serializers.SerializerMethodField(help_text=_("所属地区"))
    answered = serializers.BooleanField(read_only=True)
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = (
            "id",
            "title",
            "description",
            "asker_masked",
            "asker_role",
            "region",
            "created_at",
            "answered",
            "answer",
            "answered_by",
            "answered_at",
        )
        read_only_fields = fields

    def get_asker_masked(self, obj) -> str:
        return _masked(obj.asker.display_name)

    def get_asker_role(self, obj) -> str:
        asker = obj.asker
        institution = asker.institution.name if asker.is_officer and asker.institution_id else ""
        return f"{asker.get_role_display()} {institution}".strip()

    def get_region(self, obj) -> str:
        return obj.region.full_name if obj.region_id else ""

    def get_answered_by(self, obj) -> str:
        user = obj.answered_by
        return (user.real_name or user.username) if user is not None else ""


class ReviewAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(
        max_length=ANSWER_MAX, help_text=_("回复（必填）；提问人首次收到回复时有短信提醒")
    )


class ReviewQuestionFilter(django_filters.FilterSet):
    answered = django_filters.BooleanFilter(
        field_name="answered_at", lookup_expr="isnull", exclude=True, label=_("是否已回复")
    )
    q = django_filters.CharFilter(method="by_title", max_length=50, label=_("问题标题（包含）"))

    class Meta:
        model = Question
        fields: list = []

    def by_title(self, queryset, name, value):
        text = normalize_text(value)
        return queryset.filter(title__icontains=text) if text else queryset


class ReviewerQuestionAPI(GenericAPIView):
    permission_classes = [IsReviewer]
    serializer_class = ReviewQuestionSerializer
    refusal_status = {"not_found": status.HTTP_404_NOT_FOUND}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        return question_list_for(user=self.request.user).select_related("answered_by")


class QuestionList(ReviewerQuestionAPI, ListAPIView):
    filterset_class = ReviewQuestionFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """INS-12: the questions of the reviewer's region, newest first (?answered=false: still open)."""
        return self.list(request)


class QuestionDetail(ReviewerQuestionAPI):
    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """INS-12: one question of the region (another region's is a 404)."""
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


class QuestionAnswer(ReviewerQuestionAPI):
    @extend_schema(request=ReviewAnswerSerializer, responses=ReviewQuestionSerializer, tags=TAGS)
    def post(self, request, pk: int):
        """INS-12 回复: write (or correct) the answer; the first one stamps the time and notifies the asker."""
        question = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ReviewAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question_answer(reviewer=request.user, question=question, answer=serializer.validated_data["answer"])
        return Response(self.get_serializer(self.get_queryset().get(pk=question.pk)).data)


urlpatterns = [
    path("questions/", QuestionList.as_view(), name="questions"),
    path("questions/<int:pk>/", QuestionDetail.as_view(), name="question"),
    path("questions/<int:pk>/answer/", QuestionAnswer.as_view(), name="question_answer"),
]
