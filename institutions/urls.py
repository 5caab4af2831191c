"""/institution/: the institution console; each menu's module brings its own routes (namespace ``console``)."""

from .views import accounts, business, doctors, entrance, filing, help, review, statistics, system, verify

app_name = "console"

urlpatterns = [
    *entrance.urlpatterns,
    *doctors.urlpatterns,
    *accounts.urlpatterns,
    *review.urlpatterns,
    *business.urlpatterns,
    *filing.urlpatterns,
    *verify.urlpatterns,
    *help.urlpatterns,
    *system.urlpatterns,
    *statistics.urlpatterns,
]
