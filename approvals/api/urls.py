"""/api/v1/approvals/: what the admin's reviewers do, for REST clients (API-1)."""

from django.urls import path

from . import announcements, changes, imports, institutions, materials, questions, records, views

app_name = "approvals-api"

urlpatterns = [
    path("applications/", views.ApplicationList.as_view(), name="applications"),
    path("applications/search/", views.ApplicationSearch.as_view(), name="application_search"),
    path("applications/<int:pk>/", views.ApplicationDetail.as_view(), name="application"),
    path("applications/<int:pk>/approve/", views.ApplicationApprove.as_view(), name="application_approve"),
    path("applications/<int:pk>/return/", views.ApplicationReturn.as_view(), name="application_return"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        views.AttachmentDownload.as_view(),
        name="application_attachment",
    ),
    path("changes/", changes.change_list, name="changes"),
    *institutions.urlpatterns,
    *imports.urlpatterns,
    *questions.urlpatterns,
    *records.urlpatterns,
    *materials.urlpatterns,
    *announcements.urlpatterns,
]
