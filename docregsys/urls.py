"""URL map: pages per app, the admin for reviewers, the API, health and language switching."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.views import doctor as doctor_views

from . import apidocs
from .health import healthz

handler404 = "docregsys.api.not_found"

admin.site.site_header = _("医师电子化注册信息系统 · 审批管理")
admin.site.site_title = _("医师电子化注册审批管理")
admin.site.index_title = _("审批管理")

urlpatterns = [
    path("", doctor_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("qualifications/", include("qualifications.urls")),
    path("institution/", include("institutions.urls")),
    path("verify/", include("printing.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("captcha/", include("captcha.urls")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/accounts/", include("accounts.api.urls")),
    path("api/v1/institution/", include("institutions.api.urls")),
    path("api/v1/approvals/", include("approvals.api.urls")),
    path("api/v1/fhir/", include("registrations.api.urls")),
    path("api/v1/public/", include("printing.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc from the sidecar; templates/drf_spectacular/redoc.html keeps it under the strict CSP.
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", apidocs.redoc_script, name="api-redoc-script"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
