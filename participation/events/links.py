"""Personal links: each message about an invitation carries its own random token (256 bits);
only its SHA-256 is stored. A token acts on its one invitation only, and only until the
event is over. Opening a link exchanges the token for the invitation's id in the visitor's
session, so the token leaves the address bar at once."""

import hashlib
import re
import secrets

from django.utils import timezone

from ..models import EventStatus, Invitation, InvitationMessage

SESSION_KEY = "invitations"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def invitation_for_token(raw_token, *, now=None) -> Invitation | None:
    """The invitation a link was made for, or None for a malformed, unknown, tampered or
    expired token or a cancelled event: callers show one neutral page for all of these."""
    if not isinstance(raw_token, str) or not TOKEN_PATTERN.match(raw_token):
        return None
    message = (
        InvitationMessage.objects.select_related("invitation")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if message is None:
        return None
    invitation = message.invitation
    event = invitation.event
    if event is None or not link_usable(event, now=now):
        return None
    return invitation


def link_usable(event, *, now=None) -> bool:
    now = now or timezone.now()
    return event.status != EventStatus.CANCELLED and now <= event.links_expire_at()


def remember_in_session(request, invitation: Invitation):
    held = [pk for pk in request.session.get(SESSION_KEY, []) if pk != invitation.pk]
    request.session[SESSION_KEY] = [*held[-19:], invitation.pk]


def invitation_ids_in_session(request) -> list[int]:
    return list(request.session.get(SESSION_KEY, []))


def invitation_from_session(request, invitation_id, *, now=None) -> Invitation | None:
    """The invitation only if this visitor opened its personal link and it is still usable."""
    if invitation_id not in invitation_ids_in_session(request):
        return None
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.event is None:
        return None
    if not link_usable(invitation.event, now=now):
        return None
    return invitation
