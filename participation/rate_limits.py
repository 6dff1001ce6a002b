"""Failed attempts counted per client address in the cache all processes share (Redis; local
memory in the embedded mode), so guessing at URLs meets a limit.

Only failures count: officials behind one county or city gateway share an address, and
their working links must keep working while a neighbour mistypes one."""

import ipaddress

from allauth.account.adapter import get_adapter
from django.core.cache import cache

# An IPv6 client usually holds a whole /64; counting single addresses would let it rotate.
IPV6_PREFIX = 64


def client_ip(request) -> str:
    """The client's address by the platform's one rule, the one allauth's sign-in limits use
    too: the connecting address, which the server takes from X-Forwarded-For only for a
    request from a trusted proxy (setting TRUSTED_PROXIES)."""
    return get_adapter(request).get_client_ip(request)


def client_address(request) -> str:
    """The address failures are counted for."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


def is_limited(request, *, scope, limit) -> bool:
    """True once the client has failed `limit` times within the current window."""
    return (cache.get(_key(request, scope)) or 0) >= limit


def count_failure(request, *, scope, window_seconds) -> None:
    """Count one failure; the count starts over `window_seconds` after the first."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=window_seconds)
    try:
        cache.incr(key)
    except ValueError:
        # The window ended between add and incr.
        cache.set(key, 1, timeout=window_seconds)


def _key(request, scope) -> str:
    return f"rate-limit:{scope}:{client_address(request)}"
