"""/api/v1/institution/changes/ (API-3): every change to a record of the institution's doctors, in order and
resumable with ?since=, for hospital HR systems instead of screen-scraping the console."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view

from docregsys.openapi import refusals
from registrations.api.changes import FEED_PARAMETERS, FeedPageSerializer, change_feed_response
from registrations.selectors import record_change_list_for

from .officers import console_officer


@extend_schema(
    parameters=FEED_PARAMETERS,
    responses={200: FeedPageSerializer, **refusals(400)},
    tags=["institution"],
    operation_id="institution_changes_list",
)
@api_view(["GET"])
def change_list(request):
    """Changes to records whose main institution is the officer's, or filed / 多地点 there, oldest first."""
    return change_feed_response(request, record_change_list_for(user=console_officer(request)))


urlpatterns: list = [path("changes/", change_list, name="changes")]
