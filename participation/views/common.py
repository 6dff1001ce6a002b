"""The shapes every registry page shares: a filtered list, a create/edit form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from ..selectors import is_coordinator

PAGE_SIZE = 50


def require_coordinator(user):
    if not is_coordinator(user):
        raise Http404


def render_list(request, queryset, filters, name):
    """A list page, or only its result rows for htmx search requests.
    `name` picks `participation/<name>_list.html` and `participation/_<name>_rows.html`."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.htmx and not request.htmx.boosted:
        template = f"participation/_{name}_rows.html"
    else:
        template = f"participation/{name}_list.html"
    return render(request, template, {"filters": filters, "page": page})


def form_page(request, form, *, service, title, saved_message, fields=None, back=None):
    """Validate, save through the service, tell the user and go to the record; otherwise show
    the form with its errors. A validation error raised by the service itself (for example a
    concurrent change) lands on the form instead of a 500."""
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(service, form, actor=request.user, **(fields or {}))
        if saved:
            messages.success(request, saved_message % {"record": saved})
            return redirect(saved)
    record = form.instance if form.instance.pk else None
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": record, "title": title, "back": back},
    )


def save_form_with(service, form, *, actor, **fields):
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


def act(request, record, service, done_message):
    """A button's POST: `service(record, actor=request.user)`, then back to the record's page
    with `done_message`, or with the service's refusal as an error message."""
    try:
        service(record, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, done_message)
    return redirect(record)


def add_error_message(request, error):
    """A service's refusal (a ValidationError) as one error message on the next page."""
    messages.error(request, " ".join(error.messages))
