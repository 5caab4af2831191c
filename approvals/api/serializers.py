"""What the reviewer API shows of an application: a row of the queue, and the detail with its timeline."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from docregsys.identity.crypto import id_number_digest, normalize_id_number
from registrations.models import Application, ApplicationEvent, Attachment
from registrations.selectors import application_events_of
from registrations.services.applications import REASON_MAX_LENGTH

from ..describe import record_lines, requested_lines


class ApprovalNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ApprovalLineSerializer(serializers.Serializer):
    """One line in words: "执业范围请求变更为" → "外科专业"."""

    label = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class ApprovalApplicationRowSerializer(serializers.ModelSerializer):
    """A row of the queue: 业务类型, 姓名, masked 证件号码, 医师类别, 确认机构, 审批机关, 办理状态, 申请时间, 办理时限."""

    # Codes as plain strings (their labels beside them): the choice sets are the models' (registrations.models).
    kind = serializers.CharField(read_only=True, help_text=_("业务类型代码"))
    state = serializers.CharField(read_only=True, help_text=_("办理状态代码"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category = serializers.SerializerMethodField()
    category_display = serializers.SerializerMethodField()
    institution = ApprovalNamedSerializer(read_only=True)
    authority = ApprovalNamedSerializer(read_only=True, allow_null=True)
    certificate_number = serializers.SerializerMethodField(help_text=_("所涉执业注册的执业证书编码"))
    overdue = serializers.BooleanField(source="is_overdue", read_only=True, help_text=_("已超过办理时限"))
    decidable = serializers.SerializerMethodField(help_text=_("本人可以批准或退回"))

    class Meta:
        model = Application
        fields = (
            "id",
            "kind",
            "kind_display",
            "real_name",
            "id_number_masked",
            "category",
            "category_display",
            "institution",
            "authority",
            "certificate_number",
            "state",
            "state_display",
            "submitted_at",
            "due_date",
            "overdue",
            "decidable",
        )
        read_only_fields = fields

    def get_category(self, obj) -> str:
        return obj.category or (obj.record.category if obj.record_id else "")

    def get_category_display(self, obj) -> str:
        if obj.category:
            return obj.get_category_display()
        return obj.record.get_category_display() if obj.record_id else ""

    def get_certificate_number(self, obj) -> str:
        return obj.record.certificate_number if obj.record_id else ""

    def get_decidable(self, obj) -> bool:
        authority_id = self.context.get("decides_for")
        return bool(authority_id) and obj.state == "agreed" and obj.authority_id == authority_id


class ApprovalEventSerializer(serializers.ModelSerializer):
    action = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    from_state = serializers.CharField(read_only=True, help_text=_("原状态代码；创建时为空"))
    to_state = serializers.CharField(read_only=True, help_text=_("新状态代码"))
    actor_name = serializers.SerializerMethodField(help_text=_("操作人姓名；系统操作时为空"))
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = (
            "action",
            "action_display",
            "role",
            "role_display",
            "actor_name",
            "from_state",
            "to_state",
            "reason",
            "at",
        )
        read_only_fields = fields

    def get_actor_name(self, obj) -> str:
        actor = obj.actor
        return (actor.real_name or actor.username) if actor is not None else ""


class ApprovalAttachmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("材料类型代码"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField(help_text=_("下载该附件的接口地址"))

    class Meta:
        model = Attachment
        fields = ("id", "kind", "kind_display", "original_name", "content_type", "size", "uploaded_at", "url")
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("approvals-api:application_attachment", args=[obj.application_id, obj.pk])


def _lines(pairs) -> list[dict]:
    return [{"label": label, "text": text} for label, text in pairs]


class ApprovalApplicationDetailSerializer(ApprovalApplicationRowSerializer):
    """One application: the record before, the requested change, the record after, attachments and the log."""

    initiator = serializers.CharField(read_only=True)
    record_before = serializers.SerializerMethodField()
    requested = serializers.SerializerMethodField()
    record_after = serializers.SerializerMethodField()
    attachments = ApprovalAttachmentSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()

    class Meta(ApprovalApplicationRowSerializer.Meta):
        fields = (
            *ApprovalApplicationRowSerializer.Meta.fields,
            "initiator",
            "statement",
            "created_at",
            "agreed_at",
            "decided_at",
            "record_before",
            "requested",
            "record_after",
            "attachments",
            "events",
        )
        read_only_fields = fields

    @extend_schema_field(ApprovalLineSerializer(many=True))
    def get_record_before(self, obj):
        return _lines(record_lines(obj.record))

    @extend_schema_field(ApprovalLineSerializer(many=True))
    def get_requested(self, obj):
        return _lines(requested_lines(obj))

    @extend_schema_field(ApprovalLineSerializer(many=True))
    def get_record_after(self, obj):
        return _lines(record_lines(obj.result_record)) if obj.result_record_id else []

    @extend_schema_field(ApprovalEventSerializer(many=True))
    def get_events(self, obj):
        return ApprovalEventSerializer(application_events_of(obj), many=True).data


class ApprovalReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, help_text=_("退回原因（必填），申请人将看到")
    )


class ApprovalSearchInputSerializer(serializers.Serializer):
    """X-3: a search by ID number, sent in the body; only its digest is compared."""

    id_number = serializers.CharField(
        max_length=32, help_text=_("完整的证件号码（仅以摘要比对，不记录原文）")
    )

    def validate_id_number(self, value):
        number = normalize_id_number(value)
        if not number:
            raise serializers.ValidationError(_("请输入完整的证件号码。"), code="id_number_required")
        return number

    @property
    def digest(self) -> str:
        return id_number_digest(self.validated_data["id_number"])
