"""/api/v1/accounts/help/: 帮助中心 for REST clients — the doctors' FAQ (public) and 我要提问 (INS-12, API-1).

The console's 客服中心 (institutions/api/help.py) reuses these views with the officers' permission.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.exceptions import TransitionRefused
from docregsys.openapi import refusals

from ..faq import DOCTOR, faq_list_for
from ..selectors import question_list_for
from ..services.help import DESCRIPTION_MAX, TITLE_MAX, question_ask, question_text_clean


class DoctorAsker(IsAuthenticated):
    """Doctors ask from the 帮助中心; officers from the console's own endpoints."""

    def has_permission(self, request, view):
        user = request.user
        return super().has_permission(request, view) and user.is_doctor and not user.is_superuser


class FaqSerializer(serializers.Serializer):
    """One question of the FAQ and its answer."""

    slug = serializers.CharField()
    category = serializers.CharField()
    title = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())
    steps = serializers.ListField(child=serializers.CharField(), help_text="编号列出的要点")
    notes = serializers.ListField(child=serializers.CharField())


class QuestionSerializer(serializers.Serializer):
    """One of the caller's questions and the reply (empty until answered)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered = serializers.BooleanField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class QuestionAskSerializer(serializers.Serializer):
    """向客服提问 / 我要提问: normalised (NFKC); invisible and bidi-control characters refused."""

    title = serializers.CharField(max_length=TITLE_MAX, help_text="问题标题")
    description = serializers.CharField(max_length=DESCRIPTION_MAX, help_text="问题详细描述")

    def _clean(self, value, label, max_length):
        try:
            return question_text_clean(value, label=label, max_length=max_length)
        except TransitionRefused as exc:
            raise serializers.ValidationError(str(exc.message), code=exc.code) from None

    def validate_title(self, value):
        return self._clean(value, "问题标题", TITLE_MAX)

    def validate_description(self, value):
        return self._clean(value, "问题详细描述", DESCRIPTION_MAX)


@extend_schema_view(get=extend_schema(responses=FaqSerializer(many=True), tags=["accounts"]))
class FaqListApi(APIView):
    """The FAQ of one audience, guides first."""

    audience = DOCTOR
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(FaqSerializer(faq_list_for(self.audience), many=True).data)


@extend_schema_view(get=extend_schema(tags=["accounts"]))
class QuestionListApi(generics.ListAPIView):
    """GET: the caller's own questions, newest first; POST: ask one (at most 10 a day)."""

    permission_classes = [DoctorAsker]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        return question_list_for(user=self.request.user)

    @extend_schema(
        request=QuestionAskSerializer, responses={201: QuestionSerializer, **refusals(429)}, tags=["accounts"]
    )
    def post(self, request):
        serializer = QuestionAskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = question_ask(asker=request.user, **serializer.validated_data)
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="问题的编号")


@extend_schema_view(get=extend_schema(parameters=[ID], tags=["accounts"]))
class QuestionDetailApi(generics.RetrieveAPIView):
    """One of the caller's own questions; another's is a 404."""

    permission_classes = [DoctorAsker]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        return question_list_for(user=self.request.user)

    def get_object(self):
        # The path takes any text so that a malformed id is the API's JSON 404, not Django's HTML page.
        pk = self.kwargs["pk"]
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 9):
            raise NotFound
        return super().get_object()


urlpatterns = [
    path("help/faq/", FaqListApi.as_view(), name="help_faq"),
    path("help/questions/", QuestionListApi.as_view(), name="help_questions"),
    path("help/questions/<str:pk>/", QuestionDetailApi.as_view(), name="help_question"),
]
