"""/api/v1/fhir/: FHIR R4 read and search of practitioners, their roles and institutions (API-2)."""

from django.urls import path, re_path

from . import fhir

app_name = "fhir"

urlpatterns = [
    path("metadata", fhir.MetadataView.as_view(), name="metadata"),
    path("Practitioner", fhir.PractitionerSearchView.as_view(), name="practitioner-search"),
    path("Practitioner/<str:resource_id>", fhir.PractitionerReadView.as_view(), name="practitioner"),
    path("PractitionerRole", fhir.PractitionerRoleSearchView.as_view(), name="practitioner-role-search"),
    path(
        "PractitionerRole/<str:resource_id>",
        fhir.PractitionerRoleReadView.as_view(),
        name="practitioner-role",
    ),
    path("Organization/<str:resource_id>", fhir.OrganizationReadView.as_view(), name="organization"),
    # Anything else here answers like FHIR (OperationOutcome), not like the rest of the API.
    re_path(r"^(?P<rest>.*)$", fhir.unknown_path, name="unknown"),
]
