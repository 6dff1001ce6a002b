"""A workshop's status: publish, mark done, cancel (each a POST calling one service; cancelling
asks first, saying who will be told)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participation.events.selectors import invitations_of
from participation.models import Reply
from participation.views.common import act, add_error_message

from .. import services
from ..access import coordinator_workshop


def _transition(request, pk, service, done_message):
    workshop = coordinator_workshop(request, pk)
    return act(request, workshop, service, done_message % {"title": workshop.title})


@login_required
@require_POST
def workshop_publish(request, pk):
    return _transition(
        request,
        pk,
        services.publish_workshop,
        _("“%(title)s” is published. You can now send the invitations."),
    )


@login_required
@require_POST
def workshop_done(request, pk):
    return _transition(
        request,
        pk,
        services.mark_done,
        _("“%(title)s” is marked as done. Replies are closed."),
    )


@login_required
def workshop_cancel(request, pk):
    """GET asks to confirm (saying who will be told); POST cancels."""
    workshop = coordinator_workshop(request, pk)
    if request.method != "POST":
        to_tell = invitations_of(workshop).exclude(reply=Reply.DECLINED).count()
        return render(
            request, "workshops/cancel_confirm.html", {"workshop": workshop, "to_tell": to_tell}
        )
    try:
        told = services.cancel_workshop(workshop, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The workshop is cancelled; %(count)d invitee is told by e-mail.",
                "The workshop is cancelled; %(count)d invitees are told by e-mail.",
                told,
            )
            % {"count": told},
        )
    return redirect(workshop)
