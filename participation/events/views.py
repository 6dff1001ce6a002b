"""The invitee's side, without an account: a personal link is exchanged for the invitation
in the session, then the reply page acts on that one invitation only. Nothing posted names
an invitation; the id in the address must be one this visitor opened a link for, or one sent
to the signed-in user's own registry person (their home page links here)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import erasure_requests
from ..downloads import private_download
from ..forms import DeputyForm, InvitationReplyForm, RecordReplyForm
from ..models import Reply
from ..views.common import add_errors
from . import calendar, links, replies


@never_cache
def open_link(request, token):
    try:
        invitation = links.open_invitation_link(request, token)
    except links.RateLimited:
        return render(request, "participation/invitation/rate_limited.html", status=429)
    if invitation is None:
        return unavailable(request)
    # The token leaves the address bar (and with it history and Referer) at once.
    return redirect("participation:invitation_reply", pk=invitation.pk)


@never_cache
def reply_page(request, pk):
    invitation = links.invitation_for_request(request, pk)
    if invitation is None:
        return unavailable(request)
    with translation.override(_page_language(request, invitation)):
        form = _reply_form(invitation, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = replies.reply_to_invitation(invitation, **form.cleaned_data)
            except ValidationError as error:
                if _closed(invitation):
                    return _refused(request, invitation, error)
                add_errors(form, error)
            else:
                messages.success(request, _reply_saved_message(invitation))
                return redirect("participation:invitation_reply", pk=invitation.pk)
        return _render_page(request, invitation, reply_form=form)


@never_cache
@require_POST
def deputy(request, pk):
    invitation = links.invitation_for_request(request, pk)
    if invitation is None:
        return unavailable(request)
    with translation.override(_page_language(request, invitation)):
        form = DeputyForm(request.POST, candidates=replies.deputy_candidates(invitation))
        if form.is_valid():
            try:
                named = replies.name_deputy(invitation, person=form.cleaned_data["person"])
            except ValidationError as error:
                if _closed(invitation):
                    return _refused(request, invitation, error)
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is invited in your place and will receive an e-mail with a "
                        "personal link. Your own reply is now: declined."
                    )
                    % {"name": named},
                )
                return redirect("participation:invitation_reply", pk=invitation.pk)
        return _render_page(request, invitation, deputy_form=form)


@never_cache
def calendar_file(request, pk):
    """The event as a calendar entry to add, for the visitor the reply page acts for."""
    invitation = links.invitation_for_request(request, pk)
    if invitation is None:
        return unavailable(request)
    with translation.override(_page_language(request, invitation)):
        page_url = settings.SITE_URL + reverse("participation:invitation_reply", args=[pk])
        ics = calendar.ics_for(invitation, page_url=page_url, publish=True)
    response = HttpResponse(ics, content_type=f"{calendar.ICS_MIMETYPE}; charset=utf-8")
    return private_download(response, calendar.ics_filename(invitation.event))


@never_cache
def erasure_request(request, pk):
    """The same for an invitee without an account, through their personal link's page."""
    invitation = links.invitation_for_request(request, pk)
    if invitation is None:
        return unavailable(request)
    open_request = erasure_requests.open_request_of_invitee(invitation)
    if request.method == "POST" and open_request is None:
        try:
            open_request, _created = erasure_requests.request_erasure(invitation=invitation)
        except erasure_requests.AlreadyErased as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request for erasure has been received."))
        return redirect("participation:invitation_erasure", pk=invitation.pk)
    context = {"invitation": invitation, "open_request": open_request}
    return render(request, "participation/erasure/invitee_request.html", context)


def unavailable(request):
    """One page for every link or page that does not (or no longer) lead to an invitation,
    so it tells nobody whether an invitation exists."""
    context = {"contact_email": settings.MITPLANEN_CALENDAR_ORGANIZER}
    return render(request, "participation/invitation/unavailable.html", context, status=404)


def _page_language(request, invitation):
    """The invitation's language, unless the visitor chose one with the language switch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return invitation.language


def _closed(invitation):
    return replies.closed_reason(invitation.event) is not None


def _refused(request, invitation, error):
    for message in error.messages:
        messages.error(request, message)
    return redirect("participation:invitation_reply", pk=invitation.pk)


def _reply_saved_message(invitation):
    deadline = replies.format_deadline(invitation.event.reply_deadline)
    if invitation.is_waitlisted:
        return _(
            "The event is fully booked, so you are on the waitlist, at position %(position)s. "
            "We will tell you by e-mail as soon as a place becomes free for you."
        ) % {"position": replies.waitlist_position(invitation)}
    if invitation.reply == Reply.ACCEPTED:
        return _("Thank you: you have accepted and your place is confirmed.")
    if invitation.reply == Reply.TENTATIVE:
        return _(
            "Thank you: your tentative reply is saved. Please accept or decline by %(deadline)s."
        ) % {"deadline": deadline}
    return _("Thank you: your decline is saved. You can change your reply until %(deadline)s.") % {
        "deadline": deadline
    }


def _reply_form(invitation, data=None):
    initial = {
        "reply": invitation.reply or None,
        "accessibility_needs": invitation.accessibility_needs,
        "dietary_wishes": invitation.dietary_wishes,
    }
    return InvitationReplyForm(data, initial=initial)


def _render_page(request, invitation, *, reply_form=None, deputy_form=None):
    event = invitation.event
    closed_reason = replies.closed_reason(event)
    candidates = replies.deputy_candidates(invitation)
    has_candidates = candidates.exists()
    if deputy_form is None and (invitation.organisation_id or has_candidates):
        deputy_form = DeputyForm(candidates=candidates)
    context = {
        "invitation": invitation,
        "event": event,
        "details": event.invitation_details(),
        "programme": event.invitation_programme(),
        "closed_reason": closed_reason,
        "deadline": replies.format_deadline(event.reply_deadline),
        "waitlist_position": replies.waitlist_position(invitation),
        "deputies": invitation.deputies.order_by("created_at"),
        "reply_form": None
        if closed_reason or invitation.informed
        else reply_form or _reply_form(invitation),
        "deputy_form": None if closed_reason or invitation.informed else deputy_form,
        "has_candidates": has_candidates,
        "has_registered_deputy": any(getattr(p, "is_registered", False) for p in candidates),
        "contact_email": settings.MITPLANEN_CALENDAR_ORGANIZER,
    }
    response = render(request, "participation/invitation/reply.html", context)
    response.headers["Content-Language"] = translation.get_language()
    return response


def record_reply_page(request, invitation, *, back_url):
    """The coordinators' page to record an invitee's reply for them, for any kind of event;
    the feature app's view checks access and finds the invitation first."""
    form = RecordReplyForm(request.POST or None, candidates=replies.deputy_candidates(invitation))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                replies.record_reply(
                    invitation,
                    actor=request.user,
                    reply=form.cleaned_data["reply"],
                    deputy=form.cleaned_data["deputy"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                invitation.refresh_from_db()
                messages.success(
                    request,
                    _("The reply of %(name)s is recorded: %(reply)s.")
                    % {"name": invitation, "reply": invitation.get_reply_display()},
                )
                return redirect(back_url)
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "form": form,
        "back_url": back_url,
    }
    return render(request, "participation/invitation/record_reply.html", context, status=status)
