"""The personal links of invitations (the base's `personal_links` applied to
`InvitationMessage`): each message about an invitation carries its own link, which acts on
its one invitation only, and only until the event is over or cancelled. Opening a link
exchanges the token for the invitation's id in the visitor's session, so the token leaves
the address bar at once."""

from django.conf import settings

from .. import personal_links
from ..models import Invitation, InvitationMessage
from ..personal_links import RateLimited, hash_token, new_token

__all__ = [
    "SESSION_KEY",
    "RateLimited",
    "hash_token",
    "invitation_for_request",
    "invitation_for_token",
    "invitation_from_session",
    "new_token",
    "open_invitation_link",
    "remember_in_session",
]

SESSION_KEY = "invitations"
LINK_SCOPE = "invitation-link"


def _messages():
    return InvitationMessage.objects.select_related("invitation")


def invitation_for_token(raw_token, *, now=None) -> Invitation | None:
    """The invitation a link was made for, or None for a malformed, unknown, tampered or
    expired token or a cancelled event: callers show one neutral page for all of these."""
    message = personal_links.resolve(_messages(), raw_token, now=now)
    return None if message is None else message.invitation


def open_invitation_link(request, raw_token) -> Invitation | None:
    """`invitation_for_token` for a browser, within the failure limit per client address
    (raises RateLimited); the invitation is remembered in the visitor's session."""
    message = personal_links.open_link(
        request,
        _messages(),
        raw_token,
        scope=LINK_SCOPE,
        limit=settings.INVITATION_LINK_RATE_LIMIT,
    )
    if message is None:
        return None
    remember_in_session(request, message.invitation)
    return message.invitation


def remember_in_session(request, invitation: Invitation):
    personal_links.remember_in_session(request, SESSION_KEY, invitation.pk)


def invitation_ids_in_session(request) -> list[int]:
    return personal_links.held_in_session(request.session, SESSION_KEY)


def invitation_from_session(request, invitation_id, *, now=None) -> Invitation | None:
    """The invitation only if this visitor opened its personal link and it is still usable."""
    if invitation_id not in invitation_ids_in_session(request):
        return None
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.event is None:
        return None
    if not invitation.event.links_usable(now):
        return None
    return invitation


def invitation_for_request(request, invitation_id, *, now=None) -> Invitation | None:
    """The invitation if this visitor opened its personal link, or if the signed-in user is
    the very person it was sent to (authorised by the invitation's person, never by the id
    alone), and it is still usable; else None, which callers answer with one neutral 404."""
    invitation = invitation_from_session(request, invitation_id, now=now)
    if invitation is not None:
        return invitation
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return None
    invitation = Invitation.objects.filter(pk=invitation_id, person__user=user).first()
    if invitation is None or invitation.event is None:
        return None
    if not invitation.event.links_usable(now):
        return None
    return invitation
