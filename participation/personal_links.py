"""Personal links for anything (see `models.links.PersonalLink`): issue one, resolve the
token a visitor brings, revoke it, and remember in the visitor's session what it opened.

A token carries 256 random bits; the database is searched by the token's SHA-256, so the
lookup compares hashes, never the secret, and takes no longer for a near miss. A malformed,
unknown, expired or revoked token resolves to None: callers answer all of them with one
neutral page (or 404), which tells nobody whether a link exists. Opening links from a
browser counts failures per client address (`rate_limits`), so guessing meets a limit."""

import hashlib
import re
import secrets

from django.db import transaction
from django.utils import timezone

from . import rate_limits
from .audit import record_action

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Failed openings are counted within this window (the limit is the caller's setting).
WINDOW_SECONDS = 15 * 60
# How many opened links one session remembers per key.
SESSION_KEEPS = 20


class RateLimited(Exception):
    """The client address has failed too often within the window; answer 429."""


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store (for a caller that needs the token before the
    row exists, to render it into the mail the row points at)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(model, **fields):
    """A new link of `model` (a `PersonalLink` subclass) with `fields`; returns the row and
    its raw token, which exists only in this return value."""
    raw, token_hash = new_token()
    link = model.objects.create(token_hash=token_hash, **fields)
    return link, raw


def resolve(queryset, raw_token, *, now=None):
    """The usable link among `queryset` for a raw token, or None (see the module's text)."""
    if not isinstance(raw_token, str) or not TOKEN_PATTERN.match(raw_token):
        return None
    link = queryset.filter(token_hash=hash_token(raw_token)).first()
    if link is None or not link.link_usable(now=now or timezone.now()):
        return None
    return link


def open_link(request, queryset, raw_token, *, scope, limit, now=None):
    """`resolve` for a visitor's browser: raises RateLimited once the client address has
    failed `limit` times in the window under `scope`; every failure counts. The first
    successful opening is noted on the link (`used_at`)."""
    if rate_limits.is_limited(request, scope=scope, limit=limit):
        raise RateLimited
    link = resolve(queryset, raw_token, now=now)
    if link is None:
        rate_limits.count_failure(request, scope=scope, window_seconds=WINDOW_SECONDS)
        return None
    if link.used_at is None:
        link.used_at = now or timezone.now()
        type(link).objects.filter(pk=link.pk, used_at=None).update(used_at=link.used_at)
    return link


def revoke(link, *, actor) -> None:
    """End the link at once (a new one can be issued); the audit trail names who did it."""
    if link.revoked_at is not None:
        return
    with transaction.atomic():
        link.revoked_at = timezone.now()
        type(link).objects.filter(pk=link.pk).update(revoked_at=link.revoked_at)
        record_action(link, actor=actor, changes={"revoked_at": [None, link.revoked_at]})


def remember_in_session(request, key, pk) -> None:
    """Note in the visitor's session that they opened the link to `pk`, so the pages that
    follow act on it without the token in the address; the newest few are kept."""
    held = [held_pk for held_pk in held_in_session(request.session, key) if held_pk != pk]
    request.session[key] = [*held[-(SESSION_KEEPS - 1) :], pk]


def held_in_session(session, key) -> list[int]:
    """The ids a session opened links to under `key` (a Django session or a Channels scope's
    session store)."""
    return [pk for pk in session.get(key, []) if isinstance(pk, int)]
