"""Account pages: each area's view module brings its own routes (names are in the accounts namespace)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .views import (
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

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
