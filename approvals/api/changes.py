"""/api/v1/approvals/changes/ (API-3): every change to a practice record held by the authorities of the
reviewer's region, in order and resumable with ?since= (a province's system interconnecting with the
national one, seed 000 互联互通); the national level and the superuser read all of them."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes

from docregsys.openapi import refusals
from registrations.api.changes import FEED_PARAMETERS, FeedPageSerializer, change_feed_response
from registrations.selectors import record_change_list_for

from .views import TAGS, IsReviewer


@extend_schema(
    parameters=FEED_PARAMETERS,
    responses={200: FeedPageSerializer, **refusals(400)},
    tags=TAGS,
    operation_id="approvals_changes_list",
)
@api_view(["GET"])
@permission_classes([IsReviewer])
def change_list(request):
    """Changes in the reviewer's region (by the authority that holds the record or filing), oldest first."""
    return change_feed_response(request, record_change_list_for(user=request.user))
