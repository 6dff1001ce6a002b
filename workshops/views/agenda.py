"""The agenda, edited in place: each item's row turns into a small form (htmx) and back;
without JavaScript the same links and forms work as whole pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.views.common import add_error_message, add_errors

from .. import services
from ..access import coordinator_workshop
from ..forms import AgendaItemForm
from ..models import AgendaItem


def _page(request, workshop, *, form=None, status=200):
    context = {
        "workshop": workshop,
        "items": list(workshop.agenda.all()),
        "form": form or AgendaItemForm(workshop=workshop),
        "section": "agenda",
    }
    return render(request, "workshops/agenda.html", context, status=status)


def _save(request, form):
    """The saved item, or None with the service's refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return services.save_agenda_item(form.save(commit=False), actor=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return None


@login_required
def agenda(request, pk):
    """GET: the agenda with a form for a new item. POST: add that item."""
    workshop = coordinator_workshop(request, pk)
    if request.method != "POST":
        return _page(request, workshop)
    form = AgendaItemForm(request.POST, workshop=workshop)
    item = _save(request, form)
    if item is None:
        return _page(request, workshop, form=form, status=400)
    messages.success(request, _("Agenda item “%(item)s” added.") % {"item": item})
    return redirect("workshops:agenda", pk=workshop.pk)


def _prefix(item):
    # Several rows may be open for editing beside the form for a new item: unique ids.
    return f"item-{item.pk}"


def _item(workshop, item_pk):
    return get_object_or_404(AgendaItem, pk=item_pk, workshop=workshop)


@login_required
def agenda_item(request, pk, item_pk):
    """GET: the item's form (a table row for htmx, else a page). POST: save it; htmx gets
    the row back, shown again as text."""
    workshop = coordinator_workshop(request, pk)
    item = _item(workshop, item_pk)
    partial = request.htmx and not request.htmx.boosted
    if request.method == "POST":
        form = AgendaItemForm(request.POST, instance=item, workshop=workshop, prefix=_prefix(item))
        saved = _save(request, form)
        if saved is not None:
            if partial:
                return render(request, "workshops/_agenda_row.html", {"item": saved})
            messages.success(request, _("Agenda item “%(item)s” saved.") % {"item": saved})
            return redirect("workshops:agenda", pk=workshop.pk)
        status = 400
    else:
        if partial and request.GET.get("show") == "row":
            return render(request, "workshops/_agenda_row.html", {"item": item})
        form = AgendaItemForm(instance=item, workshop=workshop, prefix=_prefix(item))
        if partial:
            # The row turns into the form: keyboard focus follows.
            form.fields["starts_at"].widget.attrs["autofocus"] = True
        status = 200
    context = {"workshop": workshop, "item": item, "form": form, "section": "agenda"}
    template = "workshops/_agenda_row_form.html" if partial else "workshops/agenda_item.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def agenda_item_delete(request, pk, item_pk):
    workshop = coordinator_workshop(request, pk)
    item = _item(workshop, item_pk)
    try:
        services.delete_agenda_item(item, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
        return redirect("workshops:agenda", pk=workshop.pk)
    if request.htmx and not request.htmx.boosted:
        # The row disappears; the page's status line says so.
        return render(request, "workshops/_agenda_deleted.html", {"item": item})
    messages.success(request, _("Agenda item “%(item)s” deleted.") % {"item": item})
    return redirect("workshops:agenda", pk=workshop.pk)
