"""What a request answers when a service it needs is down: 503 with Retry-After instead of
a bare "Server Error (500)"; any other error answers our 500 page. Django turns every
exception raised anywhere in the middleware chain (the session middleware's database query
included) into a call of `handler500`; this is that handler. The page is rendered without
the request: no context processor, session or user, nothing that would touch the database
that is down."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation

from .error_pages import render_without_request, server_error
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
    if request.path.startswith("/api/"):
        with translation.override(translation.get_language_from_request(request)):
            response = JsonResponse({"detail": unavailable_text()}, status=503)
    else:
        response = render_without_request("503.html", request=request, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_text() -> str:
    return translation.gettext(
        "mitplanen is unavailable for a moment because a service it needs cannot be "
        "reached. Please try again in a few minutes."
    )
