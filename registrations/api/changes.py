"""API-3 change feed, shared by /api/v1/institution/changes/ and /api/v1/approvals/changes/: parameters,
the page's shape and the one answer; each side only picks its caller's scope (``record_change_list_for``).

A client polls with the ``next`` cursor of its last page: ``?since=<next>``. The cursor is opaque (today
the last sequence number); every change that commits later has a larger one, so nothing is missed and
nothing comes twice (registrations/services/changes.py explains the sequencer).
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from docregsys.api import error_response

from ..models import RecordChange
from ..selectors import record_change_page
from ..services.changes import record_changes_sequence

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# A cursor is a sequence number: 18 digits stay inside a signed 64-bit column.
CURSOR_DIGITS = 18

FEED_PARAMETERS = [
    OpenApiParameter(
        "since",
        OpenApiTypes.STR,
        description=_("上次返回的 next 游标；首次调用不填（从头开始）"),
    ),
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        description=format_lazy(
            _("每次最多返回条数，默认 {default}，最大 {highest}"), default=DEFAULT_LIMIT, highest=MAX_LIMIT
        ),
    ),
]


class FeedNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FeedPlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("行政区划代码"))
    name = serializers.CharField()


class FeedScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FeedFilingSerializer(serializers.Serializer):
    """The 多执业机构备案 the change is about, after it."""

    id = serializers.IntegerField()
    institution = FeedNamedSerializer()
    scopes = FeedScopeSerializer(many=True)
    state = serializers.CharField(help_text=_("valid 有效，cancelled 已取消"))
    filed_on = serializers.DateField(allow_null=True)
    cancelled_on = serializers.DateField(allow_null=True)


class FeedExtraLocationSerializer(serializers.Serializer):
    """The 多地点执业 the change is about, after it."""

    id = serializers.IntegerField()
    institution = FeedNamedSerializer()
    location = FeedPlaceSerializer()
    state = serializers.CharField(help_text=_("valid 有效，cancelled 已取消"))
    approved_on = serializers.DateField(allow_null=True)
    cancelled_on = serializers.DateField(allow_null=True)


class FeedRecordSerializer(serializers.Serializer):
    """The practice record after the change (no ID number, phone or birth date)."""

    record_id = serializers.IntegerField()
    certificate_number = serializers.CharField(help_text=_("执业证书编码"))
    real_name = serializers.CharField()
    level = serializers.CharField()
    level_display = serializers.CharField()
    category = serializers.CharField()
    category_display = serializers.CharField()
    scopes = FeedScopeSerializer(many=True)
    main_institution = FeedNamedSerializer()
    department = serializers.CharField(allow_null=True)
    location = FeedPlaceSerializer(help_text=_("执业地点"))
    authority = FeedNamedSerializer(help_text=_("审批机关"))
    state = serializers.CharField(
        help_text=_(
            "valid 有效，filed 备案，deregistered 注销，transferred_out 变更出，military 军队，lapsed 失效"
        )
    )
    state_display = serializers.CharField()
    approval_date = serializers.DateField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    education = serializers.CharField(allow_blank=True)
    school = serializers.CharField(allow_blank=True)
    major = serializers.CharField(allow_blank=True)
    info_reviewed_at = serializers.DateTimeField(allow_null=True)
    filing = FeedFilingSerializer(required=False, help_text=_("多执业机构备案的变更才有"))
    extra_location = FeedExtraLocationSerializer(required=False, help_text=_("多地点执业的变更才有"))


class FeedChangeSerializer(serializers.Serializer):
    """One change to a practice record, in feed order (documents ``_row``)."""

    seq = serializers.IntegerField(help_text=_("序号：在整个变更流中递增"))
    kind = serializers.CharField(
        help_text=_(
            "created 新增执业注册，changed 信息变更，transferred_out 变更出，deregistered 注销，lapsed 失效，"
            "military 变更到军队，archived 注册备案，filing_added 多执业机构备案，filing_cancelled 取消备案，"
            "filing_moved 备案转入新执业注册，location_listed 多地点执业，location_cancelled 取消多地点，"
            "location_moved 多地点转入新执业注册"
        )
    )
    kind_display = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    record_id = serializers.IntegerField()
    institution_id = serializers.IntegerField(help_text=_("主要执业机构（变更出时为原机构）"))
    other_institution_id = serializers.IntegerField(
        allow_null=True, help_text=_("备案或多地点的机构，或机构内变更时医师离开的原机构")
    )
    application_id = serializers.IntegerField(allow_null=True, help_text=_("引起变更的业务申请"))
    record = FeedRecordSerializer(source="snapshot")


class FeedPageSerializer(serializers.Serializer):
    """A page of the feed: poll again with ?since=<next>; has_more says whether to ask at once."""

    results = FeedChangeSerializer(many=True)
    next = serializers.CharField(help_text=_("下次调用的 since 游标"))
    has_more = serializers.BooleanField()


def _number(request, name: str, *, default: int, maximum: int | None = None, minimum: int = 0):
    """A non-negative whole number from the query, or an error answer."""
    raw = request.query_params.get(name)
    if raw is None:
        return default, None
    if not raw.isascii() or not raw.isdigit() or len(raw) > CURSOR_DIGITS:
        return None, error_response(_("参数无效，请使用上次返回的值或正整数。"), code="invalid", field=name)
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        return None, error_response(
            _("取值范围为 %(min)d 到 %(max)d。") % {"min": minimum, "max": maximum},
            code="invalid",
            field=name,
        )
    return value, None


def change_feed_response(request, changes) -> Response:
    """The page after ?since= of `changes` (already scoped to the caller), numbering new rows first."""
    since, refused = _number(request, "since", default=0)
    if refused is not None:
        return refused
    limit, refused = _number(request, "limit", default=DEFAULT_LIMIT, maximum=MAX_LIMIT, minimum=1)
    if refused is not None:
        return refused
    record_changes_sequence()
    rows, has_more = record_change_page(changes, since=since, limit=limit)
    cursor = rows[-1].seq if rows else since
    # The labels once per answer, in the request's language (get_kind_display hashes every choice per call).
    labels = {value: str(label) for value, label in RecordChange.Kind.choices}
    results = [_row(change, labels) for change in rows]
    return Response({"results": results, "next": str(cursor), "has_more": has_more})


_AT = serializers.DateTimeField()


def _row(change, labels: dict) -> dict:
    """FeedChangeSerializer's shape, built directly: the snapshot is stored as the feed shows it, and a
    serializer walking 1,000 nested snapshots costs most of the answer's time."""
    return {
        "seq": change.seq,
        "kind": change.kind,
        "kind_display": labels.get(change.kind, change.kind),
        "at": _AT.to_representation(change.at),
        "record_id": change.record_id,
        "institution_id": change.institution_id,
        "other_institution_id": change.other_institution_id,
        "application_id": change.application_id,
        "record": change.snapshot,
    }
