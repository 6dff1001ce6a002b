"""One meeting (an occurrence of a series): its page, moving it, cancelling it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participation.events.selectors import update_recipients
from participation.models import Reply
from participation.selectors import is_coordinator
from participation.views.common import add_error_message, add_errors, require_coordinator

from .. import agenda_updates, selectors, services
from ..forms import MoveForm
from ..models import TaskStatus
from .minutes import agenda_context

# The invitation list's filter (?reply=): "none" for no reply yet.
REPLY_FILTERS = {
    "none": Reply.NONE.label,
    Reply.ACCEPTED: Reply.ACCEPTED.label,
    Reply.TENTATIVE: Reply.TENTATIVE.label,
    Reply.DECLINED: Reply.DECLINED.label,
}


@login_required
def meeting_detail(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    coordinator = is_coordinator(request.user)
    reply = request.GET.get("reply")
    reply = reply if reply in REPLY_FILTERS else None
    context = {
        "meeting": meeting,
        "series": meeting.series,
        "decisions": list(meeting.decisions.order_by("number")),
        "tasks": list(
            meeting.tasks.select_related("owner_person", "owner_organisation", "decision")
        ),
        "carried": list(selectors.carried_tasks(meeting)),
        "is_coordinator": coordinator,
        "status_choices": TaskStatus.choices,
        # Coordinators see who is invited, optionally one reply only (the home page's
        # numbers link here).
        "invitations": list(selectors.meeting_invitations(meeting, reply=reply))
        if coordinator
        else [],
        "reply_filter": REPLY_FILTERS.get(reply),
        "agenda_state": agenda_updates.agenda_state(meeting) if coordinator else None,
    }
    context.update(agenda_context(meeting, request.user))
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_move(request, pk):
    """Move only this occurrence; its invitees (who have not declined) get an update."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = MoveForm(request.POST or None, initial={"start": meeting.start, "end": meeting.end})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_meeting(
                meeting,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting is moved. Its invitees are told."))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_move.html",
        {"meeting": meeting, "form": form, **_notified(meeting)},
    )


@login_required
def meeting_cancel(request, pk):
    """GET asks to confirm (saying who will be told); POST cancels only this occurrence."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.cancel_meeting(meeting, actor=request.user)
        except ValidationError as error:
            add_error_message(request, error)
        else:
            messages.success(request, _("The meeting is cancelled. The series goes on."))
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"meeting": meeting, **_notified(meeting)},
    )


def _notified(meeting):
    """How many invitees are told of a change, and how many informed deputies besides."""
    counts = update_recipients(meeting).aggregate(
        informed=Count("pk", filter=Q(informed=True)), total=Count("pk")
    )
    return {"notified": counts["total"] - counts["informed"], "informed": counts["informed"]}
