from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from participation.api.schema import SchemaView
from participation.health import healthz

# A database or Redis that cannot be reached answers 503 with a page instead of a bare 500;
# any other error our 500 page, rendered without touching the database. 403 and 404 are
# Django's handlers with templates/403.html and templates/404.html; a failed CSRF check is
# CSRF_FAILURE_VIEW (participation.error_pages.csrf_failure).
handler500 = "participation.outages.handler500"

urlpatterns = [
    path("", include("overview.urls")),
    path("", include("participation.urls")),
    path("surveys/", include("surveys.urls")),
    path("workshops/", include("workshops.urls")),
    path("live/", include("workshops.live.urls")),
    path("meetings/", include("meetings.urls")),
    path("consultations/", include("consultations.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("participation.api.urls")),
    path("api/v1/", include("surveys.api.urls")),
    path("api/v1/", include("workshops.api.urls")),
    path("api/v1/", include("meetings.api.urls")),
    path("api/v1/", include("consultations.api.urls")),
    path("api/v1/", include("monitoring.api.urls")),
    path("api/v1/", include("overview.api_urls")),
    # Public, built once per process, language and format (participation/api/schema.py).
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view loads its script from a URL instead of inline, so a strict CSP holds.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
