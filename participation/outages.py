"""What a request answers when a service it needs is down: 503 with Retry-After instead of
a bare "Server Error (500)". Django turns every exception raised anywhere in the middleware
chain (the session middleware's database query included) into a call of `handler500`; this
is that handler. The page is rendered without the request: no context processor, session
or user, nothing that would touch the database that is down."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from .health import healthz
from .queueing import BROKER_ERRORS

OUTAGE_ERRORS = (OperationalError, InterfaceError, *BROKER_ERRORS)
RETRY_AFTER_SECONDS = 30


def is_outage(error) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def handler500(request, *args, **kwargs):
    """Django calls this inside its `except` block: the exception is the one in hand."""
    if not is_outage(sys.exc_info()[1]):
        return server_error(request, *args, **kwargs)
    if request.path == reverse("healthz"):
        return healthz(request)  # checks each service itself and answers 503 JSON
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": unavailable_text()}, status=503)
        else:
            page = render_to_string("503.html", {"language": language})
            response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_text() -> str:
    return translation.gettext(
        "mitplanen is unavailable for a moment because a service it needs cannot be "
        "reached. Please try again in a few minutes."
    )
