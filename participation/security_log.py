"""Writing to the security log: one call wherever a way in, a role, an export or an erasure
is decided."""

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied

from .models import SecurityEvent
from .models.security import SecurityEventKind
from .rate_limits import client_ip

Kind = SecurityEventKind

# The request being answered, for entries written where no request is at hand (a role
# changed in a model's save, wherever that was called from).
_current_request = ContextVar("security_log_request", default=None)


@contextmanager
def answering(request):
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request():
    return _current_request.get()


def record(kind, *, request=None, user=None, actor=None, address=None, **detail) -> SecurityEvent:
    """Logs `kind` for `user` (whom it concerns), done by `actor` (default: the request's
    signed-in user when that is someone else). `detail` must not carry secrets or content.
    `address` is for a caller without the request (the request's address wins)."""
    address, path = _valid_address(address), None
    if request is not None:
        address = _request_address(request) or address
        path = request.path[:300]
        signed_in = getattr(request, "user", None)
        if actor is None and signed_in is not None and signed_in.is_authenticated:
            actor = signed_in
    if user is None and actor is not None:
        user = actor
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        address=address,
        path=path or "",
        detail={key: str(value) for key, value in detail.items()},
    )


def _request_address(request):
    try:
        return _valid_address(client_ip(request))
    except PermissionDenied:  # no address at all (a Unix socket, a test client's login)
        return None


def _valid_address(address):
    try:
        return str(ipaddress.ip_address(address))
    except (TypeError, ValueError):
        return None
