"""Public pages of the qualifications area: the correction guides (QUA-5)."""

from django.urls import path

from . import views

app_name = "qualifications"

urlpatterns = [
    path("guides/", views.guides, name="guides"),
    path("guides/<slug:origin>/", views.guide, name="guide"),
]
