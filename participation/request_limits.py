"""What a request may carry: how large its body may be, decided before any of it is read,
and how many fields and files its form may hold.

Django's ASGI handler reads the whole body into a temporary file before the first middleware
runs, and uvicorn sets no limit: so the limit is an ASGI middleware around the application.
It refuses a body whose Content-Length is over the limit at once (413, unread), and a body
without one (chunked) as soon as the part received passes the limit.

Two kinds of request: forms (REQUEST_BODY_MAX_BYTES, also what an API call may send) and
uploads, for the views marked with `accepts_uploads` (the largest file the project takes,
UPLOAD_MAX_MB, plus the form around it). Views that know a smaller file limit (a survey
question's, a workshop document's) refuse earlier with the same rule, `upload_request_limit`.

Within the body, Django limits the form (DATA_UPLOAD_MAX_NUMBER_FILES, _NUMBER_FIELDS,
_MEMORY_SIZE) when it is first parsed, by raising an exception wherever that happens:
`FormLimitsMiddleware` and the API's exception handler answer it with a message naming the
limit.
"""

import io
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024


def accepts_uploads(view):
    """Mark a view that takes files: its requests may be as large as an upload. A class-based
    view (an API view) says so with the class attribute `accepts_uploads = True`."""
    view.accepts_uploads = True
    return view


def takes_uploads(view) -> bool:
    """Whether a resolved view function is marked as taking files."""
    return bool(
        getattr(view, "accepts_uploads", False)
        or getattr(getattr(view, "view_class", None), "accepts_uploads", False)
    )


def upload_request_limit(file_max_bytes: int) -> int:
    """The largest request body worth reading for an upload of a file up to
    `file_max_bytes`: the file plus the rest of its form."""
    return file_max_bytes + settings.REQUEST_BODY_MAX_BYTES


def limit_for(path: str) -> int:
    """The largest body a request to `path` may carry."""
    try:
        view = resolve(path).func
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    if takes_uploads(view):
        return upload_request_limit(settings.UPLOAD_MAX_MB * MB)
    return settings.REQUEST_BODY_MAX_BYTES


def content_length(request) -> int:
    """The declared body size of a Django request (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_message(limit: int) -> str:
    return _("The request is too large. At most %(size)s can be sent at once.") % {
        "size": filesizeformat(limit)
    }


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """ASGI middleware for HTTP: a body over the limit for its path is answered with 413
    and the connection closed, before the application reads it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"][len(scope.get("root_path", "")) :] or "/"
        limit = limit_for(path)  # no database: URL resolution only
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            return await _refuse(scope, send, limit)

        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message):
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(scope, send, limit)


def _declared_length(scope):
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


def _message(scope, limit):
    """The refusal in the language the person asked for (cookie or Accept-Language)."""
    request = ASGIRequest(scope, io.BytesIO())
    with translation.override(translation.get_language_from_request(request)):
        return too_large_message(limit), translation.get_language()


async def _refuse(scope, send, limit):
    text, language = _message(scope, limit)
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": text}).encode()
        content_type = b"application/json"
    else:
        body = text.encode() + b"\n"
        content_type = b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"content-language", language.encode()),
        # Whatever the client still sends is not read: the connection cannot be reused.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --- the form within the body ------------------------------------------------------------------

FORM_LIMIT_ERRORS = (TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig)


def form_limit_refusal(exception) -> tuple[int, str]:
    """The status and the message for one of FORM_LIMIT_ERRORS."""
    if isinstance(exception, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        message = ngettext(
            "Too many files were sent at once. At most %(count)d file can be sent.",
            "Too many files were sent at once. At most %(count)d files can be sent.",
            count,
        )
        return 400, message % {"count": count}
    if isinstance(exception, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        message = ngettext(
            "Too many fields were sent at once. At most %(count)d field can be sent.",
            "Too many fields were sent at once. At most %(count)d fields can be sent.",
            count,
        )
        return 400, message % {"count": count}
    size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = _(
        "Too much form data was sent at once. At most %(size)s can be sent (files not counted)."
    )
    return 413, message % {"size": size}


class FormLimitsMiddleware:
    """A form over Django's limits gets a page (or, under /api/, JSON) naming the limit,
    instead of Django's bare "Bad Request". Place it right before CsrfViewMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # The CSRF check, next, reads the form of every POST it checks, where an exception
        # would end as a bare 400: read it here first. Views exempt from the check read it
        # themselves (after changing the upload handlers, for example).
        if request.method == "POST" and not getattr(view, "csrf_exempt", False):
            try:
                request.POST  # noqa: B018
            except FORM_LIMIT_ERRORS as exception:
                return self.refuse(request, exception)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, FORM_LIMIT_ERRORS):
            return self.refuse(request, exception)
        return None

    def refuse(self, request, exception):
        # Still reported where Django reports it, for whoever watches for abuse.
        logging.getLogger(f"django.security.{type(exception).__name__}").warning(
            "%s (%s %s)", exception, request.method, request.path
        )
        status, message = form_limit_refusal(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        context = {"message": message}
        return render(request, "participation/request_refused.html", context, status=status)
