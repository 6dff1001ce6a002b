"""The pages of a workshop's live session: the moderator's console and the projector view
(coordinators), the participant's page and the join page (anyone with the code). Each
renders a shell; the page's script module fills it over the WebSocket (docs/live-protocol.md)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participation.selectors import get_or_404, is_coordinator
from workshops.access import coordinator_workshop
from workshops.models import Workshop

from . import pages, services
from .errors import NO_ACCESS, REMOVED, AccessDenied, LiveError
from .forms import JoinForm


def _closed_message(close_code):
    if close_code == REMOVED:
        return _("You have been removed from this session.")
    return _("The session has ended.")


def _shell(request, template, workshop, live_session, **context):
    return render(
        request,
        template,
        {
            "workshop": workshop,
            "live_session": live_session,
            "labels": pages.client_labels(),
            **context,
        },
    )


@login_required
def console(request, pk):
    workshop = coordinator_workshop(request, pk)
    live_session = services.ensure_live_session(workshop, actor=request.user)
    return _shell(
        request,
        "workshops/live/console.html",
        workshop,
        live_session,
        socket_path=pages.socket_path(workshop),
        join_url=pages.join_url(live_session),
    )


@login_required
def projector(request, pk):
    workshop = coordinator_workshop(request, pk)
    live_session = services.ensure_live_session(workshop, actor=request.user)
    url = pages.join_url(live_session)
    return _shell(
        request,
        "workshops/live/projector.html",
        workshop,
        live_session,
        socket_path=pages.socket_path(workshop, projector=True),
        join_url=url,
        qr_code=pages.qr_svg(url),
    )


def participant_page(request, pk):
    """For an invitee (signed in or by their link) or whoever joined with the code; the
    others are sent to the join page."""
    workshop = get_or_404(Workshop.objects.all(), pk)
    if is_coordinator(request.user):
        return redirect("workshops:live_console", workshop.pk)
    live_session = pages.get_live_session_or_none(workshop)
    if live_session is None:
        return redirect("live:join")
    participant = None
    if live_session.is_open:
        participant = services.participant_from_session(
            live_session, user=request.user, session_store=request.session
        )
    try:
        services.check_participant_access(live_session, participant)
    except AccessDenied as denied:
        if denied.close_code == NO_ACCESS:
            return redirect("live:join")
        return render(
            request,
            "workshops/live/closed.html",
            {"workshop": workshop, "message": _closed_message(denied.close_code)},
            status=403 if denied.close_code == REMOVED else 410,
        )
    return _shell(
        request,
        "workshops/live/participant.html",
        workshop,
        live_session,
        participant=participant,
        socket_path=pages.socket_path(workshop),
    )


def join(request):
    """Type (or scan) the code, choose a name: then on to the participant page."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.join_with_code(
                request.session,
                form.cleaned_data["code"],
                form.cleaned_data["display_name"],
                user=request.user,
            )
        except LiveError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.detail))
        except AccessDenied as denied:
            form.add_error(None, _closed_message(denied.close_code))
        else:
            return redirect("live:participant", participant.session.workshop_id)
    return render(request, "workshops/live/join.html", {"form": form})
