from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from participation.middleware import record_denied
from participation.request_limits import FORM_LIMIT_ERRORS, form_limit_refusal
from participation.selectors import NotVisible, exists_elsewhere


def exception_handler(exc, context):
    """Model validation raised by services answers 400 with the field messages; a form over
    Django's limits (too many files, fields, too much data) 400 or 413 naming the limit."""
    if isinstance(exc, Http404):
        _note_denied(exc, context)
    if isinstance(exc, FORM_LIMIT_ERRORS):
        status, message = form_limit_refusal(exc)
        return Response({"detail": message}, status=status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


def _note_denied(exc, context):
    """A record that exists but lies outside the caller's queryset, asked for through an
    access helper or a viewset's own lookup, goes into the security log."""
    request = context.get("request")
    if request is None:
        return
    if isinstance(exc, NotVisible):
        record_denied(request, exc.model_name, exc.pk)
        return
    view = context.get("view")
    if getattr(view, "lookup_field", None) not in ("pk", "id") or not hasattr(view, "get_queryset"):
        return
    pk = view.kwargs.get(view.lookup_url_kwarg or view.lookup_field)
    model = view.get_queryset().model
    if pk is not None and exists_elsewhere(model, pk):
        record_denied(request, model._meta.label_lower, pk)
