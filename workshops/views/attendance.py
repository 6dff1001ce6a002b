"""The day itself: who is expected, by organisation (and who stands in for whom), check-in
by the coordinator, and a sign-in sheet to print."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from participation.events.selectors import invitations_of
from participation.views.common import add_error_message

from .. import selectors, services
from ..access import coordinator_workshop

EMPTY_SHEET_ROWS = 8  # for those who come unannounced


@login_required
@require_GET
def attendance(request, pk):
    workshop = coordinator_workshop(request, pk)
    context = {
        "workshop": workshop,
        "groups": selectors.attendance(workshop),
        "replies": selectors.reply_counts(workshop),
        "section": "attendance",
    }
    return render(request, "workshops/attendance.html", context)


@login_required
@require_POST
def check_in(request, pk, invitation_pk):
    """Record or undo one person's attendance; htmx gets their row (and the counts) back."""
    workshop = coordinator_workshop(request, pk)
    invitation = get_object_or_404(invitations_of(workshop), pk=invitation_pk)
    try:
        invitation = services.set_checked_in(
            invitation, actor=request.user, present=request.POST.get("present") == "1"
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect("workshops:attendance", pk=workshop.pk)
    if request.htmx and not request.htmx.boosted:
        invitation = (
            invitations_of(workshop)
            .select_related("organisation", "deputy_for")
            .get(pk=invitation.pk)
        )
        context = {
            "workshop": workshop,
            "attendee": selectors.Attendee(invitation, list(invitation.deputies.all())),
            "replies": selectors.reply_counts(workshop),
        }
        return render(request, "workshops/_attendance_row.html", context)
    url = reverse("workshops:attendance", args=[workshop.pk])
    return redirect(f"{url}#invitation-{invitation.pk}")


@login_required
@require_GET
def sign_in_sheet(request, pk):
    workshop = coordinator_workshop(request, pk)
    context = {
        "workshop": workshop,
        "invitations": list(selectors.sign_in_sheet(workshop)),
        "empty_rows": range(EMPTY_SHEET_ROWS),
        "printed_at": timezone.now(),
    }
    return render(request, "workshops/sign_in_sheet.html", context)
