"""/verify/: the public checks (PUB-1) — no login."""

from django.urls import path

from . import public_views

app_name = "verify"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("key.pem", public_views.public_key, name="key"),
    path("offline/", public_views.offline, name="offline"),
    path("q/<str:token>/", public_views.qr, name="qr"),
    path("code/<str:code>/", public_views.code, name="code"),
]
