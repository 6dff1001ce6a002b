from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from participation.request_limits import FORM_LIMIT_ERRORS, form_limit_refusal


def exception_handler(exc, context):
    """Model validation raised by services answers 400 with the field messages; a form over
    Django's limits (too many files, fields, too much data) 400 or 413 naming the limit."""
    if isinstance(exc, FORM_LIMIT_ERRORS):
        status, message = form_limit_refusal(exc)
        return Response({"detail": message}, status=status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
