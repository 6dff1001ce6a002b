"""The invitations of one workshop: a live progress bar while they are being sent, each
invitation's delivery status (with the mail server's reason when it failed) and reply,
another attempt for those that failed, and a reply recorded for an invitee who phoned."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from participation.events.invitations import resend_failed
from participation.events.selectors import delivery_counts, invitations_of
from participation.events.views import record_reply_page
from participation.mail import CannotResend

from .. import selectors
from ..access import coordinator_workshop
from ..forms import InvitationFilterForm

# What the progress fragment sends when nothing is queued any more: the list reloads.
FINISHED_EVENT = "delivery-finished"


@login_required
@require_GET
def invitation_list(request, pk):
    workshop = coordinator_workshop(request, pk)
    filters = InvitationFilterForm(request.GET)
    rows = selectors.invitation_rows(workshop)
    if filters.is_valid():
        rows = selectors.filter_by_reply(rows, filters.cleaned_data["reply"])
    context = {
        "workshop": workshop,
        "filters": filters,
        "invitations": list(rows),
        "counts": delivery_counts(workshop),
        "replies": selectors.reply_counts(workshop),
        "section": "invitations",
    }
    return render(request, "workshops/invitations.html", context)


@login_required
@require_GET
def invitation_progress(request, pk):
    """The progress bar alone, which the page asks for every two seconds while anything
    is queued."""
    workshop = coordinator_workshop(request, pk)
    counts = delivery_counts(workshop)
    response = render(
        request, "workshops/_delivery_progress.html", {"workshop": workshop, "counts": counts}
    )
    if not counts["queued"]:
        response["HX-Trigger"] = FINISHED_EVENT
    return response


def _resend(request, workshop, *, invitation=None):
    try:
        count = resend_failed(workshop, actor=request.user, invitation=invitation)
    except CannotResend as refused:
        messages.error(request, refused.message)
        return
    messages.success(
        request,
        ngettext(
            "%(count)d failed invitation is being sent again.",
            "%(count)d failed invitations are being sent again.",
            count,
        )
        % {"count": count},
    )


@login_required
@require_POST
def resend_all(request, pk):
    workshop = coordinator_workshop(request, pk)
    _resend(request, workshop)
    return redirect("workshops:invitations", pk=workshop.pk)


@login_required
@require_POST
def resend_one(request, pk, invitation_pk):
    workshop = coordinator_workshop(request, pk)
    invitation = get_object_or_404(invitations_of(workshop), pk=invitation_pk)
    _resend(request, workshop, invitation=invitation)
    return redirect("workshops:invitations", pk=workshop.pk)


@login_required
def record_reply(request, pk, invitation_pk):
    """A coordinator records an invitee's reply for them (they phoned)."""
    workshop = coordinator_workshop(request, pk)
    invitation = get_object_or_404(invitations_of(workshop), pk=invitation_pk)
    back_url = reverse("workshops:invitations", args=[workshop.pk]) + f"#invitation-{invitation.pk}"
    return record_reply_page(request, invitation, back_url=back_url)
