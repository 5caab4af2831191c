"""/api/v1/accounts/: sign-up, login, verification, activation, recovery, profile, security (API-1)."""

from . import (
    activation,
    applications,
    certificates,
    department,
    doctor,
    help,
    maintenance,
    recovery,
    security,
    signup,
)

app_name = "accounts-api"

urlpatterns = [
    *signup.urlpatterns,
    *security.urlpatterns,
    *activation.urlpatterns,
    *recovery.urlpatterns,
    *doctor.urlpatterns,
    *department.urlpatterns,
    *help.urlpatterns,
    *maintenance.urlpatterns,
    *applications.urlpatterns,
    *certificates.urlpatterns,
]
