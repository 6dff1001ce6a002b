"""Small pieces every registry view shares."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404

from ..selectors import is_coordinator

PAGE_SIZE = 50


def require_coordinator(user):
    if not is_coordinator(user):
        raise Http404


def save_form_with(service, form, *, actor, **fields):
    """Validate-then-save through a service. A validation error raised by the service (for
    example a concurrent change) lands on the form instead of a 500. Returns the record or None."""
    instance = form.save(commit=False)
    for name, value in fields.items():
        setattr(instance, name, value)
    try:
        return service(instance, actor=actor)
    except ValidationError as error:
        add_errors(form, error)
        return None


def add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def list_template(request, full, rows):
    """htmx search requests only need the result rows."""
    return rows if request.htmx and not request.htmx.boosted else full
