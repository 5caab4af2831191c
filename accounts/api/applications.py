"""/api/v1/accounts/applications/: the doctor files and follows applications (REG-2 … REG-9, API-1).

The same services as the pages (``registrations.services.applications`` and ``…attachments``), the same
scope (``application_list_for``): another doctor's application is a 404, an officer or reviewer a 403, an
account not yet activated a 403 unless ACC-5d lets it file 注册 and 变更 (``may_file_before_activation``).
A refused filing answers every failed rule at once, and nothing is stored.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.downloads import private_file_response
from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import has_invisible, normalize_text
from docregsys.openapi import refusals
from docregsys.pagination import ProjectPagination
from docregsys.reference.models import Category, DeregistrationReason, Level, PracticeScope
from institutions.models import Institution
from qualifications.models import ExamResult, QualificationCertificate
from registrations.explanations import EXPLANATIONS
from registrations.guide import IN_PERSON, WANTS, guide_suggest
from registrations.models import (
    DOCTOR_KINDS,
    Application,
    Attachment,
    ExtraLocation,
    Initiator,
    Kind,
    MultiInstitutionFiling,
    State,
)
from registrations.rules import (
    FORM,
    Context,
    Draft,
    Person,
    application_refusals,
    draft_complete,
    institution_required,
)
from registrations.selectors import (
    application_events_of,
    application_list_for,
    attachment_content,
    institution_options_for,
    practice_records_for_digest,
)
from registrations.services.applications import (
    REASON_MAX_LENGTH,
    TEXT_LIMITS,
    ApplicationRefused,
    application_file,
    application_save,
    application_submit,
    application_withdraw,
)
from registrations.services.attachments import (
    EDITABLE,
    application_attachment_add,
    application_attachment_remove,
)

from ..selectors import PATH_D_KINDS, activation_next_step, may_file_before_activation, practice_records_for

MAX_ID = 2**31 - 1  # ids beyond a 32-bit key are refused as input, never sent to the database
MAX_SCOPES = 10
# A refusal's status here (docregsys.api.REFUSAL_STATUS for the rest; 400 for any rule of a type).
REFUSAL_STATUS = {
    "not_activated": status.HTTP_403_FORBIDDEN,
    "open_application_exists": status.HTTP_409_CONFLICT,
    "wrong_state": status.HTTP_409_CONFLICT,
    "not_editable": status.HTTP_409_CONFLICT,
    "not_doctors_application": status.HTTP_409_CONFLICT,
    "not_found": status.HTTP_404_NOT_FOUND,
}
# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]: three choice sets share the field name "kind".
KIND_CHOICES = [(kind.value, kind.label) for kind in DOCTOR_KINDS]
ATTACHMENT_KIND_CHOICES = Attachment.Kind.choices
INVISIBLE = _("含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。")


# ------------------------------------------------------------------------------------------ who asks


def _doctor(request, *, kind: str | None = None):
    """The doctor asking: activated, or (ACC-5d) checked without a valid record here and filing 注册/变更."""
    user = request.user
    if not user.is_doctor or user.is_superuser:
        raise TransitionRefused(_("只有医师账户可以办理业务申请。"), code="not_doctor")
    step = activation_next_step(user)
    if step is None:
        return user
    if not may_file_before_activation(user):
        raise TransitionRefused(f"{step.reason}{_('下一步：')}{step.label}", code="not_activated")
    if kind is not None and kind not in PATH_D_KINDS:
        raise TransitionRefused(
            _("账户激活前只能申请“注册”和“变更”业务，其他业务请在激活账户后申请。"),
            code="not_activated",
            field="kind",
        )
    return user


def _scope(user):
    return application_list_for(user=user).select_related("institution", "authority")


def _application(user, pk: int) -> Application:
    """One application in the doctor's scope (404 outside it), with what the detail shows."""
    application = (
        _scope(user)
        .select_related("record__main_institution", "location", "filing__institution", "result_record")
        .select_related("extra_location__institution", "extra_location__location", "deregistration_reason")
        .prefetch_related(
            Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code")), "attachments"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def _doctors_own(user, pk: int) -> Application:
    """An application the doctor filed (not one their institution filed about them, INS-10): theirs to change."""
    application = _application(user, pk)
    if application.initiator != Initiator.DOCTOR:
        raise TransitionRefused(
            _("这件业务是医疗机构为您申请的，由机构办理，您不能修改、提交或撤回。"),
            code="not_doctors_application",
        )
    return application


def _refused(refusals: list[TransitionRefused]) -> Response:
    """Every failed rule in the error shape: 409 when one is a conflict of state (REG-5), else 400."""
    errors = [{"field": r.field, "code": r.code, "message": str(r.message)} for r in refusals]
    conflict = any(REFUSAL_STATUS.get(r.code) == status.HTTP_409_CONFLICT for r in refusals)
    return Response(
        {"errors": errors}, status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST
    )


class DoctorView(APIView):
    """The doctor's application endpoints: refusals answer by REFUSAL_STATUS above."""

    refusal_status = REFUSAL_STATUS


# ------------------------------------------------------------------------------------------ output


class DoctorCodeNameSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class DoctorRecordSummarySerializer(serializers.Serializer):
    """The practice record an application acts on (or that its approval produced)."""

    id = serializers.IntegerField(read_only=True)
    certificate_number = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    category = serializers.CharField(read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    main_institution = serializers.CharField(source="main_institution.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)


class DoctorFilingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True)
    state = serializers.CharField(read_only=True)


class DoctorExtraLocationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True)
    location = serializers.CharField(source="location.full_name", read_only=True)
    state = serializers.CharField(read_only=True)


class DoctorApplicationItemSerializer(serializers.Serializer):
    """A row of 业务查询: type, state (机构审核中 / 卫健委审批中 / 已办结 / 已退回 …), dates, where it is."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    initiator = serializers.ChoiceField(choices=Initiator.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    due_date = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("卫生健康行政部门的办理时限")
    )
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True, help_text=_("确认机构"))
    authority = serializers.CharField(
        source="authority.name", read_only=True, allow_null=True, help_text=_("审批机关（机构同意后）")
    )


class DoctorAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=ATTACHMENT_KIND_CHOICES, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("下载地址（仅本人）"))

    def get_url(self, attachment) -> str:
        return reverse("accounts-api:application_attachment", args=[attachment.application_id, attachment.pk])


class DoctorEventSerializer(serializers.Serializer):
    """One step of the timeline: what, in which role, from which state to which, why — never who by name."""

    action = serializers.CharField(read_only=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    role = serializers.CharField(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    to_state_display = serializers.CharField(source="get_to_state_display", read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class DoctorApplicationDetailSerializer(DoctorApplicationItemSerializer):
    """One application: the requested change (typed per type), attachments, timeline, what the doctor may do."""

    version = serializers.IntegerField(read_only=True)
    record = DoctorRecordSummarySerializer(read_only=True, allow_null=True)
    level = serializers.CharField(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    category = serializers.CharField(read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    location = serializers.SerializerMethodField()
    scopes = serializers.SerializerMethodField()
    filing = DoctorFilingSummarySerializer(read_only=True, allow_null=True)
    extra_location = DoctorExtraLocationSummarySerializer(read_only=True, allow_null=True)
    deregistration_reason = DoctorCodeNameSerializer(read_only=True, allow_null=True)
    military_unit = serializers.CharField(read_only=True)
    statement = serializers.CharField(read_only=True)
    result_record = DoctorRecordSummarySerializer(
        read_only=True, allow_null=True, help_text=_("办结后的执业注册")
    )
    attachments = DoctorAttachmentSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    may_amend = serializers.SerializerMethodField(help_text=_("可修改（草稿或被退回）"))
    may_submit = serializers.SerializerMethodField(help_text=_("可提交或重新提交"))
    may_withdraw = serializers.SerializerMethodField(help_text=_("可撤回（机构审核前）"))

    @extend_schema_field(DoctorCodeNameSerializer(allow_null=True))
    def get_location(self, application):
        place = application.location
        return None if place is None else {"code": place.code, "name": place.full_name}

    @extend_schema_field(DoctorCodeNameSerializer(many=True))
    def get_scopes(self, application):
        return [{"code": scope.code, "name": scope.name} for scope in application.scopes.all()]

    @extend_schema_field(DoctorEventSerializer(many=True))
    def get_events(self, application):
        return DoctorEventSerializer(application_events_of(application), many=True).data

    def _own(self, application) -> bool:
        return application.initiator == Initiator.DOCTOR

    def get_may_amend(self, application) -> bool:
        return self._own(application) and application.state in EDITABLE

    def get_may_submit(self, application) -> bool:
        return self._own(application) and application.state in (State.DRAFT, State.RETURNED)

    def get_may_withdraw(self, application) -> bool:
        return self._own(application) and application.state in (State.DRAFT, State.SUBMITTED, State.RETURNED)


def _detail(user, pk: int) -> dict:
    return DoctorApplicationDetailSerializer(_application(user, pk)).data


# ------------------------------------------------------------------------------------------ input


class TextField(serializers.CharField):
    """Free text as the services keep it: NFKC, trimmed, no invisible characters (X-4); length after that."""

    def to_internal_value(self, data):
        value = normalize_text(super().to_internal_value(data))
        if has_invisible(value):
            raise serializers.ValidationError(INVISIBLE, code="invisible_characters")
        return value


def _id_field(help_text):
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text=help_text
    )


class DoctorDraftInputSerializer(serializers.Serializer):
    """The requested change (``registrations.rules.Draft``): objects by id or code, each within the doctor's reach.

    Where a type implies a value it is filled in: the location from the institution and the level (a
    执业医师's province, an assistant's county); for 助理医师升执业医师 and 变更 the level, category, scopes
    and institution of the record when not given; for types that act on a record the confirming
    institution (its main institution, the filing's or the 多地点's institution); for the types that rest on a
    qualification, the doctor's certificate (else passing exam result) of the requested level and category.
    """

    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text=_("业务类型"))
    institution = _id_field(_("执业机构 id（变更、备案：拟执业机构）"))
    record = _id_field(_("办理的执业注册 id（本人的）"))
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        max_length=MAX_SCOPES,
        help_text=_("执业范围代码"),
    )
    qualification = _id_field(_("医师资格证书 id（本人的）"))
    exam_result = _id_field(_("考试合格成绩 id（本人的）"))
    filing = _id_field(_("多执业机构备案 id（取消备案时，本人的）"))
    extra_location = _id_field(_("多地点执业 id（取消多地点时，本人的）"))
    deregistration_reason = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text=_("注销情形代码")
    )
    military_unit = TextField(max_length=TEXT_LIMITS["military_unit"], required=False, allow_blank=True)
    statement = TextField(
        max_length=TEXT_LIMITS["statement"],
        required=False,
        allow_blank=True,
        help_text=_("提交本次业务的缘由"),
    )

    NOT_YOURS = {
        "institution": _("该医疗机构不存在或已停用，请重新选择。"),
        "record": _("未找到您的这条执业注册信息，请从您本人的执业注册中选择。"),
        "qualification": _("未找到您的这份医师资格证书，请从您本人的资格证书中选择。"),
        "exam_result": _("未找到您的这条考试合格成绩。"),
        "filing": _("未找到您的这条多执业机构备案，请从您本人的备案中选择。"),
        "extra_location": _("未找到您的这条多地点执业信息，请从您本人的多地点中选择。"),
    }

    def __init__(self, *args, doctor=None, **kwargs):
        self.doctor = doctor
        super().__init__(*args, **kwargs)

    def _reach(self) -> dict:
        """What the doctor may name, per field: active institutions; their own records and what hangs on them."""
        user = self.doctor
        records = practice_records_for_digest(user.id_number_digest).filter(real_name=user.real_name)
        mine = {"id_number_digest": user.id_number_digest or "-", "real_name": user.real_name}
        return {
            "institution": Institution.objects.filter(is_active=True),
            "record": records,
            "qualification": QualificationCertificate.objects.filter(**mine),
            "exam_result": ExamResult.objects.filter(passed=True, **mine).select_related("exam_category"),
            "filing": MultiInstitutionFiling.objects.filter(record__in=records.values("pk")).select_related(
                "institution"
            ),
            "extra_location": ExtraLocation.objects.filter(record__in=records.values("pk")).select_related(
                "institution"
            ),
        }

    def validate(self, attrs):
        reach = self._reach()
        errors = {}
        for name, queryset in reach.items():
            if attrs.get(name) is not None:
                found = queryset.filter(pk=attrs[name]).first()
                if found is None:
                    errors[name] = self.NOT_YOURS[name]
                attrs[name] = found
        if "scopes" in attrs:
            codes = list(dict.fromkeys(attrs["scopes"]))
            found = {scope.code: scope for scope in PracticeScope.objects.filter(code__in=codes)}
            unknown = [code for code in codes if code not in found]
            if unknown:
                errors["scopes"] = _("没有这个执业范围：%(codes)s。") % {"codes": "、".join(unknown)}
            attrs["scopes"] = [found[code] for code in codes if code in found]
        if attrs.get("deregistration_reason"):
            found = DeregistrationReason.objects.filter(code=attrs["deregistration_reason"]).first()
            if found is None:
                errors["deregistration_reason"] = _("请从十种注销情形中选择。")
            attrs["deregistration_reason"] = found
        elif "deregistration_reason" in attrs:
            attrs["deregistration_reason"] = None
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def draft(self, *, base: Draft | None = None) -> Draft:
        """The Draft this body asks for: the given fields over `base` (an application's draft, for PATCH)."""
        data = dict(self.validated_data)
        kind = data.pop("kind", None) or base.kind
        draft = base or Draft(kind=kind)
        given = set(data)
        for name, value in data.items():
            setattr(draft, name, value)
        return draft_complete(draft, person=Person.of_user(self.doctor), given=given)


def _require_institution(draft: Draft) -> None:
    """An application is always routed to an institution: one must be chosen (or implied) before saving."""
    if draft.institution is None:
        raise serializers.ValidationError({"institution": [_("请选择执业机构。")]})


class DoctorCheckInputSerializer(DoctorDraftInputSerializer):
    application = _id_field(_("正在修改的申请 id（可选：按修改后的内容检查）"))


class DoctorWithdrawInputSerializer(serializers.Serializer):
    reason = TextField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, help_text=_("撤回原因（可选）")
    )


class DoctorAttachmentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ATTACHMENT_KIND_CHOICES, help_text=_("材料类型"))
    file = serializers.FileField(help_text=_("JPG、PNG或PDF，不超过5MB"))


class DoctorRefusalSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True, allow_null=True)
    code = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)


def _refusal_list(refusals) -> list[dict]:
    return [{"field": r.field, "code": r.code, "message": str(r.message)} for r in refusals]


class DoctorApplicationCheckResultSerializer(serializers.Serializer):
    may_file = serializers.BooleanField(read_only=True)
    refusals = DoctorRefusalSerializer(
        many=True, read_only=True, help_text=_("每条未满足的规则；为空即可提交")
    )


# ------------------------------------------------------------------------------------------ the views


class _Pagination(ProjectPagination):
    page_size = 20


class DoctorApplicationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DoctorApplicationItemSerializer(many=True)


_LIST_FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, enum=State.values, description="办理状态"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values, description="业务类型"),
    OpenApiParameter("page", OpenApiTypes.INT),
]


class ApplicationList(DoctorView):
    """业务查询 (GET) and filing (POST: save and submit in one go)."""

    @extend_schema(
        parameters=_LIST_FILTERS,
        responses={200: DoctorApplicationPageSerializer, **refusals(400)},
        tags=["applications"],
        operation_id="accounts_applications_list",
    )
    def get(self, request):
        """The doctor's applications, newest first; ?state= and ?kind= filter."""
        user = _doctor(request)
        qs = _scope(user)
        for name, values in (("state", State.values), ("kind", Kind.values)):
            value = request.query_params.get(name, "")
            if value:
                if value not in values:
                    raise TransitionRefused(_("筛选条件无效。"), code="invalid", field=name)
                qs = qs.filter(**{name: value})
        paginator = _Pagination()
        page = paginator.paginate_queryset(qs.order_by("-created_at", "-pk"), request, view=self)
        return paginator.get_paginated_response(DoctorApplicationItemSerializer(page, many=True).data)

    @extend_schema(
        request=DoctorDraftInputSerializer,
        responses={201: DoctorApplicationDetailSerializer, **refusals(409)},
        tags=["applications"],
        operation_id="accounts_applications_file",
    )
    def post(self, request):
        """File (提交): the rules are checked and every failed one answered (400, 409 for REG-5); nothing is
        stored on a refusal. 201 with the application (机构审核中)."""
        return _create(request, application_file)


class ApplicationDraftCreate(DoctorView):
    @extend_schema(
        request=DoctorDraftInputSerializer,
        responses={201: DoctorApplicationDetailSerializer, **refusals(409)},
        tags=["applications"],
    )
    def post(self, request):
        """保存草稿: kept without the rules (shown by check/); one open application per type (REG-5, 409)."""
        return _create(request, application_save)


def _create(request, service) -> Response:
    """A new application from the body through `service` (file or save): 201, or every refusal."""
    user = _doctor(request)
    serializer = DoctorDraftInputSerializer(data=request.data, doctor=user)
    serializer.is_valid(raise_exception=True)
    draft = serializer.draft()
    _doctor(request, kind=draft.kind)
    _require_institution(draft)
    try:
        application = service(doctor=user, draft=draft)
    except ApplicationRefused as refused:
        return _refused(refused.refusals)
    return Response(_detail(user, application.pk), status=status.HTTP_201_CREATED)


class ApplicationCheck(DoctorView):
    @extend_schema(
        request=DoctorCheckInputSerializer,
        responses={200: DoctorApplicationCheckResultSerializer},
        tags=["applications"],
    )
    def post(self, request):
        """The rules for this body now (stage FORM), without filing: every failed rule; empty = may file."""
        user = _doctor(request)
        serializer = DoctorCheckInputSerializer(data=request.data, doctor=user)
        serializer.is_valid(raise_exception=True)
        application_id = serializer.validated_data.pop("application", None)
        if application_id is not None:
            application = _scope(user).filter(pk=application_id).first()
            if application is None:
                raise TransitionRefused(_("未找到您的这件申请。"), code="invalid", field="application")
            if application.kind != serializer.validated_data["kind"]:
                raise TransitionRefused(_("业务类型与该申请不一致。"), code="invalid", field="kind")
            draft = serializer.draft(base=Draft.of(application))
        else:
            draft = serializer.draft()
        _doctor(request, kind=draft.kind)
        person = Person.of_user(user)
        found = application_refusals(person=person, draft=draft, stage=FORM, application_id=application_id)
        if draft.institution is None and not any(r.field == "institution" for r in found):
            found.insert(0, institution_required(Context(person=person, draft=draft)))
        return Response({"may_file": not found, "refusals": _refusal_list(found)})


class ApplicationDetail(DoctorView):
    @extend_schema(responses=DoctorApplicationDetailSerializer, tags=["applications"])
    def get(self, request, pk: int):
        """One application: the requested change, attachments and timeline (who acted by role only)."""
        return Response(_detail(_doctor(request), pk))

    def _amend(self, request, pk: int, *, partial: bool):
        user = _doctor(request)
        application = _doctors_own(user, pk)
        serializer = DoctorDraftInputSerializer(data=request.data, doctor=user, partial=partial)
        if not partial:
            # PUT names the whole change; the type is the application's and may be left out.
            serializer.fields["kind"].required = False
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data.get("kind")
        if kind is not None and kind != application.kind:
            raise TransitionRefused(_("业务类型不能修改；请撤回后重新申请。"), code="invalid", field="kind")
        base = Draft.of(application) if partial else Draft(kind=application.kind)
        draft = serializer.draft(base=base)
        _require_institution(draft)
        try:
            application_save(doctor=user, draft=draft, application_id=application.pk)
        except ApplicationRefused as refused:
            return _refused(refused.refusals)
        return Response(_detail(user, application.pk))

    @extend_schema(
        request=DoctorDraftInputSerializer,
        responses={200: DoctorApplicationDetailSerializer, **refusals(409)},
        tags=["applications"],
    )
    def put(self, request, pk: int):
        """修改 a draft or returned application: the body replaces the requested change (409 in other states)."""
        return self._amend(request, pk, partial=False)

    @extend_schema(
        request=DoctorDraftInputSerializer,
        responses={200: DoctorApplicationDetailSerializer, **refusals(409)},
        tags=["applications"],
    )
    def patch(self, request, pk: int):
        """修改 some fields of a draft or returned application (409 in other states)."""
        return self._amend(request, pk, partial=True)


class ApplicationSubmit(DoctorView):
    @extend_schema(
        request=None,
        responses={200: DoctorApplicationDetailSerializer, **refusals(400, 409)},
        tags=["applications"],
    )
    def post(self, request, pk: int):
        """提交 a draft or 重新提交 a returned application: the rules again; every failed one answered."""
        user = _doctor(request)
        application = _doctors_own(user, pk)
        if application.state not in (State.DRAFT, State.RETURNED):
            raise TransitionRefused(_("只有草稿或被退回的申请可以提交。"), code="wrong_state")
        _doctor(request, kind=application.kind)
        try:
            application_submit(doctor=user, application_id=application.pk)
        except ApplicationRefused as refused:
            return _refused(refused.refusals)
        return Response(_detail(user, application.pk))


class ApplicationWithdraw(DoctorView):
    @extend_schema(
        request=DoctorWithdrawInputSerializer,
        responses={200: DoctorApplicationDetailSerializer, **refusals(409)},
        tags=["applications"],
    )
    def post(self, request, pk: int):
        """撤回 before the institution acts (or a returned one): {"reason"} optional; 409 once it has acted."""
        user = _doctor(request)
        application = _doctors_own(user, pk)
        serializer = DoctorWithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_withdraw(
            doctor=user, application_id=application.pk, reason=serializer.validated_data.get("reason", "")
        )
        return Response(_detail(user, application.pk))


class AttachmentCreate(DoctorView):
    # The default parsers, not MultiPartParser alone: session authentication reads request.POST for the CSRF
    # token, so a JSON body would be a 415 before the caller's role is even looked at.

    @extend_schema(
        request={"multipart/form-data": DoctorAttachmentInputSerializer},
        responses={201: DoctorAttachmentSerializer, **refusals(409)},
        tags=["applications"],
    )
    def post(self, request, pk: int):
        """ID-7 上传附件 (multipart: kind, file) to a draft or returned application: checked by its content."""
        user = _doctor(request)
        application = _doctors_own(user, pk)
        serializer = DoctorAttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = application_attachment_add(
            user=user,
            application_id=application.pk,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(DoctorAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


_FILE = OpenApiResponse(OpenApiTypes.BINARY, description=_("附件内容（JPG、PNG或PDF）"))


class AttachmentDetail(DoctorView):
    @extend_schema(
        responses={
            (200, "image/jpeg"): _FILE,
            (200, "image/png"): _FILE,
            (200, "application/pdf"): _FILE,
        },
        tags=["applications"],
    )
    def get(self, request, pk: int, attachment_id: int):
        """Download an attachment of one's own application (never cached, never sniffed)."""
        user = _doctor(request)
        found = attachment_content(user=user, attachment_id=attachment_id)
        return private_file_response(found, application_id=pk, as_attachment=True)

    @extend_schema(responses={204: None, **refusals(409)}, tags=["applications"])
    def delete(self, request, pk: int, attachment_id: int):
        """删除附件 of a draft or returned application (409 in other states)."""
        user = _doctor(request)
        application = _doctors_own(user, pk)
        application_attachment_remove(user=user, application_id=application.pk, attachment_id=attachment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------------------------------ before a form


class DoctorWantSerializer(serializers.Serializer):
    want = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)


class DoctorKindInfoSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True, help_text=_("业务说明"))
    available = serializers.BooleanField(
        read_only=True, help_text=_("本账户现在可以申请（未激活时仅注册、变更）")
    )


class DoctorKindsSerializer(serializers.Serializer):
    kinds = DoctorKindInfoSerializer(many=True, read_only=True)
    deregistration_reasons = DoctorCodeNameSerializer(many=True, read_only=True, help_text=_("注销情形"))
    in_person = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("需到卫生健康行政部门直接办理的业务")
    )
    wants = DoctorWantSerializer(
        many=True, read_only=True, help_text=_("智能引导的第一个问题：您要办理什么？")
    )


class ApplicationKinds(DoctorView):
    @extend_schema(responses=DoctorKindsSerializer, tags=["applications"])
    def get(self, request):
        """业务说明: the types a doctor files, with seed 002's explanation; what must be handled in person."""
        user = _doctor(request)
        activated = activation_next_step(user) is None
        return Response(
            {
                "kinds": [
                    {
                        "kind": kind.value,
                        "label": str(kind.label),
                        "explanation": str(EXPLANATIONS.get(kind, "")),
                        "available": activated or kind in PATH_D_KINDS,
                    }
                    for kind in DOCTOR_KINDS
                ],
                "deregistration_reasons": [
                    {"code": r.code, "name": r.name} for r in DeregistrationReason.objects.all()
                ],
                "in_person": [str(item) for item in IN_PERSON],
                "wants": [
                    {"want": key, "label": str(label), "kind": kind.value} for key, label, kind in WANTS
                ],
            }
        )


class DoctorGuidanceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True)
    why = serializers.CharField(read_only=True, help_text=_("为什么是这类业务"))
    may_file = serializers.BooleanField(read_only=True)
    refusals = DoctorRefusalSerializer(many=True, read_only=True, help_text=_("已知不满足的规则"))
    materials = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=_("申请材料"))


class DoctorInstitutionOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    registration_number = serializers.CharField()
    region = serializers.CharField(source="region.full_name")


class ApplicationInstitutions(DoctorView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, required=True, description="机构名称、登记号或名称拼音首字母"
            ),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=[k.value for k in DOCTOR_KINDS], description="业务类型"
            ),
        ],
        responses={200: DoctorInstitutionOptionSerializer(many=True), **refusals(400)},
        tags=["applications"],
    )
    def get(self, request):
        """The institution picker: name, 登记号 or pinyin initials, in the regions the type allows (20 at most)."""
        user = _doctor(request)
        query = normalize_text(request.query_params.get("q", ""))[:50].strip()
        if not query:
            raise TransitionRefused(_("请输入机构名称、登记号或名称拼音首字母。"), code="required", field="q")
        kind = request.query_params.get("kind") or Kind.REGISTER
        if kind not in DOCTOR_KINDS:
            raise TransitionRefused(_("请选择业务类型。"), code="invalid", field="kind")
        options = institution_options_for(
            kind=kind, person_records=practice_records_for(user), query=query
        ).select_related("region")
        return Response(DoctorInstitutionOptionSerializer(options, many=True).data)


class ApplicationGuide(DoctorView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "want",
                OpenApiTypes.STR,
                enum=[key for key, _label, _kind in WANTS],
                required=True,
                description="您要办理什么（见 kinds/ 的 wants）",
            ),
            OpenApiParameter("institution", OpenApiTypes.INT, description="拟执业机构 id（可选）"),
        ],
        responses={200: DoctorGuidanceSerializer, **refusals(400)},
        tags=["applications"],
    )
    def get(self, request):
        """智能引导: the type for what the doctor wants, the rules that already fail for them, the materials."""
        user = _doctor(request)
        want = request.query_params.get("want", "")
        if want not in {key for key, _label, _kind in WANTS}:
            raise TransitionRefused(_("请选择您要办理的业务。"), code="invalid", field="want")
        institution = None
        raw = request.query_params.get("institution", "")
        if raw:
            if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
                raise TransitionRefused(_("请重新选择医疗机构。"), code="invalid", field="institution")
            institution = (
                Institution.objects.filter(is_active=True, pk=int(raw)).select_related("region").first()
            )
            if institution is None:
                raise TransitionRefused(
                    DoctorDraftInputSerializer.NOT_YOURS["institution"], code="invalid", field="institution"
                )
        guidance = guide_suggest(person=Person.of_user(user), want=want, institution=institution)
        found = list(guidance.refusals)
        if activation_next_step(user) is not None and guidance.kind not in PATH_D_KINDS:
            found.append(
                TransitionRefused(
                    _("账户激活前只能申请“注册”和“变更”业务，其他业务请在激活账户后申请。"),
                    code="not_activated",
                    field="kind",
                )
            )
        return Response(
            {
                "kind": guidance.kind,
                "kind_display": str(Kind(guidance.kind).label),
                "explanation": str(EXPLANATIONS.get(guidance.kind, "")),
                "why": str(guidance.why or ""),
                "may_file": not found,
                "refusals": _refusal_list(found),
                "materials": [str(item) for item in guidance.materials],
            }
        )


urlpatterns = [
    path("applications/", ApplicationList.as_view(), name="applications"),
    path("applications/draft/", ApplicationDraftCreate.as_view(), name="application_draft"),
    path("applications/check/", ApplicationCheck.as_view(), name="application_check"),
    path("applications/kinds/", ApplicationKinds.as_view(), name="application_kinds"),
    path("applications/guide/", ApplicationGuide.as_view(), name="application_guide"),
    path("applications/institutions/", ApplicationInstitutions.as_view(), name="application_institutions"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="application"),
    path("applications/<int:pk>/submit/", ApplicationSubmit.as_view(), name="application_submit"),
    path("applications/<int:pk>/withdraw/", ApplicationWithdraw.as_view(), name="application_withdraw"),
    path("applications/<int:pk>/attachments/", AttachmentCreate.as_view(), name="application_attachments"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        AttachmentDetail.as_view(),
        name="application_attachment",
    ),
]
