"""/api/v1/accounts/: sign-up, login, verification, activation, recovery, profile, security (API-1)."""

from . import activation, doctor, maintenance, recovery, security, signup

app_name = "accounts-api"

urlpatterns = [
    *signup.urlpatterns,
    *security.urlpatterns,
    *activation.urlpatterns,
    *recovery.urlpatterns,
    *doctor.urlpatterns,
    *maintenance.urlpatterns,
]
