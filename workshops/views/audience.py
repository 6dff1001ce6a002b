"""Whom a workshop is for: the audience as chosen (whole bodies, all organisations of a
kind, single organisations and people, external addresses), the list it resolves to with
duplicates merged, and sending the invitations once the coordinator confirmed that list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participation import queueing
from participation.events import audiences
from participation.events.selectors import entries_of
from participation.models import AudienceEntry
from participation.views.common import add_error_message, add_errors

from .. import services
from ..access import coordinator_workshop
from ..forms import AUDIENCE_FORMS, SendForm
from ..models import Workshop


def _page(request, workshop, *, bound=None, status=200):
    """The audience page; `bound` is a refused entry form (kind, form) to show again."""
    state = audiences.audience_state(workshop)
    forms = {kind: form_class(prefix=kind) for kind, form_class in AUDIENCE_FORMS.items()}
    if bound:
        forms[bound[0]] = bound[1]
    to_invite = len(state.to_invite)
    context = {
        "workshop": workshop,
        "entries": list(entries_of(workshop)),
        "rows": state.rows,
        "problems": state.preview.problems,
        "to_invite": to_invite,
        "invited_count": len(state.invited),
        "forms": forms,
        "send_form": SendForm(initial={"expected": to_invite}),
        "section": "audience",
    }
    return render(request, "workshops/audience.html", context, status=status)


@login_required
def audience(request, pk):
    return _page(request, coordinator_workshop(request, pk))


def _entry_fields(kind, cleaned):
    if kind == AudienceEntry.Kind.ORGANISATION_KIND:
        return {"organisation_kind": cleaned["organisation_kind"]}
    return {kind: cleaned[kind]}


@login_required
@require_POST
def audience_add(request, pk, kind):
    """Add one line of the audience; external addresses all at once or none."""
    workshop = coordinator_workshop(request, pk)
    if kind not in AUDIENCE_FORMS:
        raise Http404
    form = AUDIENCE_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            if kind == AudienceEntry.Kind.EMAIL:
                added = services.add_external_addresses(
                    workshop, actor=request.user, addresses=form.cleaned_data["addresses"]
                )
            else:
                audiences.add_audience_entry(
                    workshop,
                    actor=request.user,
                    kind=kind,
                    **_entry_fields(kind, form.cleaned_data),
                )
                added = 1
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d entry added to the audience.",
                    "%(count)d entries added to the audience.",
                    added,
                )
                % {"count": added},
            )
            return redirect("workshops:audience", pk=workshop.pk)
    return _page(request, workshop, bound=(kind, form), status=400)


@login_required
@require_POST
def audience_remove(request, pk, entry_pk):
    workshop = coordinator_workshop(request, pk)
    entry = get_object_or_404(
        AudienceEntry,
        pk=entry_pk,
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
    )
    audiences.remove_audience_entry(entry, actor=request.user)
    messages.success(request, _("Removed from the audience: %(entry)s") % {"entry": entry})
    return redirect("workshops:audience", pk=workshop.pk)


@login_required
@require_POST
def audience_send(request, pk):
    """Send the invitations, if the list is still the one the coordinator saw."""
    workshop = coordinator_workshop(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        return _page(request, workshop, status=400)
    try:
        sent = services.send_invitations(
            workshop, actor=request.user, expected=form.cleaned_data["expected"]
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect("workshops:audience", pk=workshop.pk)
    if queueing.deferred():
        # DeferredDeliveryMiddleware adds why they have not left yet.
        text = ngettext("%(count)d invitation is saved.", "%(count)d invitations are saved.", sent)
        messages.info(request, text % {"count": sent})
    else:
        text = ngettext(
            "%(count)d invitation is on its way.", "%(count)d invitations are on their way.", sent
        )
        messages.success(request, text % {"count": sent})
    return redirect("workshops:invitations", pk=workshop.pk)
