"""/api/v1/institution/: the console's actions for REST clients, scoped like the pages (API-1)."""

from . import accounts, doctors, help, review, statistics, system, verify

app_name = "institution-api"

urlpatterns = [
    *doctors.urlpatterns,
    *accounts.urlpatterns,
    *review.urlpatterns,
    *verify.urlpatterns,
    *help.urlpatterns,
    *system.urlpatterns,
    *statistics.urlpatterns,
]
