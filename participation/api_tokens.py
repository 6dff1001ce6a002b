"""API tokens: created by their owner after the second factor, shown once, kept only as a
hash, revoked by their owner, ending at their expiry or with the account."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rate_limits, security_log
from .middleware import coordinator_needs_totp
from .models import ApiToken

# The key's visible start: "mp_" and a few characters of the random part.
KEY_PREFIX = "mp_"
PREFIX_LENGTH = 8
# Failed token checks allowed per client address within the window, then 429.
WINDOW_SECONDS = 15 * 60
# `last_used_at` is written at most this often per token, not with every call.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class RateLimited(Exception):
    """Too many failed token checks from this address."""


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def may_create(user) -> bool:
    """Whoever must have a second factor (coordinators, staff; the demo's waived accounts
    excepted) has set it up: a token is a door that asks no second factor later."""
    return user.is_active and not coordinator_needs_totp(user)


def create_token(user, *, name, expires_at=None, request=None) -> tuple[ApiToken, str]:
    """A new token for `user`, who has passed their second factor if they must have one;
    returns it and its raw key, which exists nowhere else."""
    if not may_create(user):
        raise ValidationError(_("Set up two-factor authentication before creating API tokens."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    return issue(user, name=name, expires_at=expires_at, request=request)


def issue(user, *, name, expires_at=None, request=None) -> tuple[ApiToken, str]:
    """`create_token` without the second-factor rule: for the demo's seeded token only
    (an operator's `create_api_token` goes through `create_token`)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                prefix=raw[:PREFIX_LENGTH],
                key_hash=hash_key(raw),
                expires_at=expires_at,
            )
            security_log.record(
                security_log.Kind.TOKEN_CREATED,
                request=request,
                user=user,
                token=token.name,
                expires=token.expires_at.isoformat() if token.expires_at else "",
            )
    except IntegrityError:
        raise ValidationError({"name": _("You already have a token with this name.")}) from None
    return token, raw


def revoke_token(token, *, actor, request=None) -> None:
    """End the token at once; revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
        security_log.record(
            security_log.Kind.TOKEN_REVOKED,
            request=request,
            user=token.user,
            actor=actor,
            token=token.name,
        )


def revoke_all(user, *, actor, request=None) -> int:
    """End every token of `user` (an account that is closed or erased)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at=None))
    for token in tokens:
        revoke_token(token, actor=actor, request=request)
    return len(tokens)


def authenticate(request, raw: str, *, now=None) -> ApiToken | None:
    """The usable token with this key for an active account, or None. Every failure counts
    against the client's address; past the limit RateLimited is raised (also when the
    counter cannot be read: a limit that cannot be checked is no limit)."""
    limit = settings.API_TOKEN_FAILURE_LIMIT
    if rate_limits.is_limited(request, scope="api-token", limit=limit):
        raise RateLimited
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_key(raw)).first()
        if raw.startswith(KEY_PREFIX)
        else None
    )
    if token is None or not token.usable(now=now) or not token.user.is_active:
        rate_limits.count_failure(request, scope="api-token", window_seconds=WINDOW_SECONDS)
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
