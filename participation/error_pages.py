"""The error pages (403, 404, 500, a failed CSRF check; the 503 of an outage in
`outages.py`) in the site's look and the reader's language, and without technical detail:
no exception text, no echo of the address asked for.

403 and 404 are Django's own handlers with our templates (`templates/403.html`,
`templates/404.html`); they render with the request, as the database answered a moment ago.
A 500 may come from anything, the database included, so it is rendered without the request:
no context processor, session or user, nothing that could query a database that is down."""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def render_without_request(template: str, *, request, status: int) -> HttpResponse:
    """`template` in the reader's language (language cookie or Accept-Language), with only
    what needs no database: the CSRF token (a cookie) for the language switch, and the mode."""
    language = translation.get_language_from_request(request)
    context = {
        "csrf_token": SimpleLazyObject(lambda: get_token(request)),
        "run_mode": settings.RUN_MODE,
    }
    with translation.override(language):
        page = render_to_string(template, context)
    response = HttpResponse(page, status=status)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    return render_without_request("500.html", request=request, status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent with a stale or missing token. `reason` is for
    developers and stays out of the page."""
    return render(request, "403_csrf.html", status=403)
