"""The project's URLs plus two views that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config import urls


def forbidden(request):
    raise PermissionDenied("geheimes Detail: Regel 42")


def broken(request):
    raise RuntimeError("Traceback-Geheimnis: /srv/mitplanen/secret.py")


handler500 = urls.handler500
urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    *urls.urlpatterns,
]
