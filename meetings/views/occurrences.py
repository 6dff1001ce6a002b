"""One meeting (an occurrence of a series): its page, moving it, cancelling it ("only this
one", "this and following", "all"), each after a preview of what changes and who is told."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.events.selectors import own_invitation
from participation.models import Reply
from participation.selectors import is_coordinator
from participation.views.common import add_errors, require_coordinator

from .. import agenda_updates, rescheduling, selectors
from ..forms import CancelForm, MoveForm
from ..models import TaskStatus
from ..rescheduling import Scope
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
            selectors.with_update_right(
                meeting.tasks.select_related("owner_person", "owner_organisation", "decision"),
                request.user,
            )
        ),
        "is_coordinator": coordinator,
        "status_choices": TaskStatus.choices,
        # Coordinators see who is invited, optionally one reply only (the home page's
        # numbers link here).
        "invitations": list(selectors.meeting_invitations(meeting, reply=reply))
        if coordinator
        else [],
        "reply_filter": REPLY_FILTERS.get(reply),
        "agenda_state": agenda_updates.agenda_state(meeting) if coordinator else None,
        "own_invitation": own_invitation(request.user, meeting),
        "replies_open": meeting.replies_open(timezone.now()),
    }
    context.update(agenda_context(meeting, request.user))
    return render(request, "meetings/meeting_detail.html", context)


def _confirmed(request):
    """The preview's confirm button was pressed (not "change the entries")."""
    return "confirm" in request.POST and "edit" not in request.POST


@login_required
def meeting_move(request, pk):
    """Choose the new date and which meetings move; the next step previews which meetings
    change and who is told, and only its confirmation moves them."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = MoveForm(
        request.POST or None,
        initial={"start": meeting.start, "end": meeting.end, "scope": Scope.THIS},
    )
    plan = None
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        data = form.cleaned_data
        try:
            if _confirmed(request):
                moved = rescheduling.move(
                    meeting,
                    scope=data["scope"],
                    start=data["start"],
                    end=data["end"],
                    actor=request.user,
                )
            else:
                plan = rescheduling.preview(
                    meeting, scope=data["scope"], start=data["start"], end=data["end"]
                )
        except ValidationError as error:
            add_errors(form, error)
            plan = None
        else:
            if plan is None:
                messages.success(
                    request,
                    _("The meeting is moved. Its invitees are told.")
                    if data["scope"] == Scope.THIS
                    else _("The meetings are moved. Their invitees are told."),
                )
                return redirect(moved)
    return render(
        request, "meetings/meeting_move.html", {"meeting": meeting, "form": form, "plan": plan}
    )


@login_required
def meeting_cancel(request, pk):
    """Choose which meetings are cancelled; the next step previews them and who is told,
    and only its confirmation cancels."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = CancelForm(request.POST or None, initial={"scope": Scope.THIS})
    plan = None
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        scope = form.cleaned_data["scope"]
        try:
            if _confirmed(request):
                rescheduling.cancel(meeting, scope=scope, actor=request.user)
            else:
                plan = rescheduling.preview(meeting, scope=scope, cancel=True)
        except ValidationError as error:
            add_errors(form, error)
            plan = None
        else:
            if plan is None:
                meeting.series.refresh_from_db()
                messages.success(
                    request,
                    _("The meeting is cancelled. The series goes on.")
                    if scope == Scope.THIS
                    else _("The meetings are cancelled. The series ends on %(date)s.")
                    % {"date": formats.date_format(meeting.series.last_date, "d.m.Y")},
                )
                return redirect(meeting)
    return render(
        request, "meetings/meeting_cancel.html", {"meeting": meeting, "form": form, "plan": plan}
    )
