"""A meeting's invitations: the coordinator sees who will be invited (the body's seats)
and who informed (their registered deputies), then sends them through the base pipeline;
sends the updated agenda after it changed; records a reply an invitee gave by telephone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from participation.events.selectors import invitations_of
from participation.events.views import record_reply_page
from participation.views.common import add_error_message, require_coordinator

from .. import agenda_updates, selectors
from ..invitations import invitation_preview, send_meeting_invitations


@login_required
def meeting_invitations(request, pk):
    """GET: the preview; POST: send ("Einladungen versenden")."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            sent = send_meeting_invitations(meeting, actor=request.user)
        except ValidationError as error:
            add_error_message(request, error)
            return redirect("meetings:meeting_invitations", pk=meeting.pk)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is being sent.",
                "%(count)s invitations are being sent.",
                sent,
            )
            % {"count": sent},
        )
        return redirect(meeting)
    context = {"meeting": meeting, "preview": invitation_preview(meeting)}
    return render(request, "meetings/meeting_invitations.html", context)


@login_required
def agenda_update(request, pk):
    """GET: what changed in the agenda since it was sent, and who the update goes to;
    POST: send it ("Send the updated agenda")."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            version, sent = agenda_updates.send_agenda_update(meeting, actor=request.user)
        except ValidationError as error:
            add_error_message(request, error)
            return redirect("meetings:agenda_update", pk=meeting.pk)
        messages.success(
            request,
            ngettext(
                "The updated agenda is being sent to %(count)s person.",
                "The updated agenda is being sent to %(count)s people.",
                sent,
            )
            % {"count": sent},
        )
        return redirect(meeting)
    context = {
        "meeting": meeting,
        "agenda_state": agenda_updates.agenda_state(meeting),
        "recipients": list(agenda_updates.update_recipients_of(meeting)),
        "programme": meeting.invitation_programme(),
    }
    return render(request, "meetings/agenda_update.html", context)


@login_required
def record_reply(request, pk, invitation_pk):
    """A coordinator records an invitee's reply for them (they phoned)."""
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    invitation = get_object_or_404(invitations_of(meeting), pk=invitation_pk)
    return record_reply_page(
        request, invitation, back_url=f"{meeting.get_absolute_url()}#invitations"
    )
