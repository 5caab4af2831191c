"""/api/v1/institution/: the console's actions for REST clients, scoped like the pages (API-1)."""

from . import accounts, business, changes, doctors, help, notices, review, statistics, system, verify

app_name = "institution-api"

urlpatterns = [
    *doctors.urlpatterns,
    *accounts.urlpatterns,
    *review.urlpatterns,
    *business.urlpatterns,
    *verify.urlpatterns,
    *help.urlpatterns,
    *system.urlpatterns,
    *statistics.urlpatterns,
    *changes.urlpatterns,
    *notices.urlpatterns,
]
