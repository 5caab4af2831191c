"""/api/v1/approvals/applications/: the admin's queue, detail, ID-number search, 批准 and 退回 for REST clients.

Same scope as the admin (``application_list_for``: out of scope is 404), same services; only the routed
authority's reviewers decide (403 for the others, who read). A refusal is the API's error shape: the
rules' refusals at approval all listed (409), a moved state 409, a missing reason 400.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.downloads import private_file_response
from docregsys.openapi import refusals
from docregsys.reference.selectors import is_reviewer
from registrations.models import Application
from registrations.selectors import application_decidable_for, attachment_content
from registrations.services.applications import ApplicationRefused

from ..selectors import application_queue_for
from ..services import application_approve, application_return
from .filters import ApplicationFilter
from .serializers import (
    ApprovalApplicationDetailSerializer,
    ApprovalApplicationRowSerializer,
    ApprovalReturnInputSerializer,
    ApprovalSearchInputSerializer,
)

TAGS = ["approvals"]
SEARCH_LIMIT = 100
# A state that moved meanwhile (another reviewer, a double click) and the rules refusing today: 409.
DECISION_CONFLICT = {"wrong_state": status.HTTP_409_CONFLICT, "not_found": status.HTTP_409_CONFLICT}


class IsReviewer(BasePermission):
    """审批人员 of an active authority, and the superuser (who reads everything and decides nothing)."""

    message = _("只有卫生健康行政部门的审批人员可以使用该接口。")

    def has_permission(self, request, view):
        user = request.user
        return is_reviewer(user) or bool(user and user.is_active and user.is_superuser)


class ReviewerAPI:
    permission_classes = [IsReviewer]

    def scope(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no reviewer
            return Application.objects.none()
        return application_queue_for(user=self.request.user)

    def get_queryset(self):
        return self.scope()

    def get_serializer_context(self):
        user = self.request.user
        decides_for = user.authority_id if is_reviewer(user) else None
        return {"request": self.request, "view": self, "decides_for": decides_for}

    def application(self, pk: int) -> Application:
        return get_object_or_404(self.scope(), pk=pk)

    def decidable(self, pk: int) -> Application:
        """In scope (else 404) and routed to the caller's own authority (else 403: read-only for them)."""
        application = self.application(pk)
        if not application_decidable_for(user=self.request.user).filter(pk=application.pk).exists():
            raise PermissionDenied
        return application

    def detail(self, application: Application) -> Response:
        fresh = self.scope().prefetch_related("attachments", "scopes").get(pk=application.pk)
        return Response(
            ApprovalApplicationDetailSerializer(fresh, context=self.get_serializer_context()).data
        )


class ApplicationList(ReviewerAPI, ListAPIView):
    """APP-1: the applications routed to the reviewer's authority (and read-only their region's), newest first."""

    serializer_class = ApprovalApplicationRowSerializer
    filterset_class = ApplicationFilter

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationSearch(ReviewerAPI, APIView):
    """X-3: find applications by ID number, sent in the body (never in a URL); compared by its keyed digest."""

    @extend_schema(
        request=ApprovalSearchInputSerializer,
        responses=ApprovalApplicationRowSerializer(many=True),
        tags=TAGS,
    )
    def post(self, request):
        """The applications in scope of the person with this ID number, newest first (one person's: a short list)."""
        serializer = ApprovalSearchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = self.scope().filter(id_number_digest=serializer.digest)[:SEARCH_LIMIT]
        return Response(
            ApprovalApplicationRowSerializer(found, many=True, context=self.get_serializer_context()).data
        )


class ApplicationDetail(ReviewerAPI, GenericAPIView):
    serializer_class = ApprovalApplicationDetailSerializer

    @extend_schema(responses=ApprovalApplicationDetailSerializer, tags=TAGS)
    def get(self, request, pk: int):
        """APP-1: the doctor (masked ID), the record before and after, the requested change, attachments, the log."""
        return self.detail(self.application(pk))


class ApplicationApprove(ReviewerAPI, APIView):
    refusal_status = DECISION_CONFLICT

    @extend_schema(
        request=None, responses={200: ApprovalApplicationDetailSerializer, **refusals(409)}, tags=TAGS
    )
    def post(self, request, pk: int):
        """APP-2 批准: every effect in one transaction (REG-7); 409 with every failed rule, or once decided."""
        application = self.decidable(pk)
        try:
            application_approve(reviewer=request.user, application_id=application.pk)
        except ApplicationRefused as refused:
            errors = [{"field": r.field, "code": r.code, "message": str(r.message)} for r in refused.refusals]
            return Response({"errors": errors}, status=status.HTTP_409_CONFLICT)
        return self.detail(application)


class ApplicationReturn(ReviewerAPI, APIView):
    refusal_status = DECISION_CONFLICT

    @extend_schema(
        request=ApprovalReturnInputSerializer,
        responses={200: ApprovalApplicationDetailSerializer, **refusals(409)},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        """APP-2 退回 with {"reason"} (required): the applicant amends and resubmits; 409 once decided."""
        application = self.decidable(pk)
        serializer = ApprovalReturnInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_return(
            reviewer=request.user, application_id=application.pk, reason=serializer.validated_data["reason"]
        )
        return self.detail(application)


_FILE = OpenApiResponse(OpenApiTypes.BINARY, description=_("附件内容（JPG、PNG或PDF）"))


class AttachmentDownload(ReviewerAPI, APIView):
    @extend_schema(
        responses={(200, "image/jpeg"): _FILE, (200, "image/png"): _FILE, (200, "application/pdf"): _FILE},
        tags=TAGS,
    )
    def get(self, request, pk: int, attachment_id: int):
        """ID-7: one attachment of an application in scope (another application's is a 404), never cached."""
        application = self.application(pk)
        found = attachment_content(user=request.user, attachment_id=attachment_id)
        return private_file_response(found, application_id=application.pk, as_attachment=True)
