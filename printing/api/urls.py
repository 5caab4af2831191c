"""/api/v1/public/: the public checks (PUB-1), open to anonymous clients within a stricter rate limit."""

from django.urls import path

from . import views

app_name = "public-api"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("codes/<str:code>/", views.code, name="code"),
]
