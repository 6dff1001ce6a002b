"""A meeting's invitations: the coordinator sees who will be invited (the body's seats)
and who informed (their registered deputies), then sends them through the base pipeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from participation.views.common import add_error_message, require_coordinator

from .. import selectors
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
