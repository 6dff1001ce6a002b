"""Failed attempts counted per client address in the cache all processes share (Redis; local
memory in the embedded mode), so guessing at URLs meets a limit.

Only failures count: officials behind one county or city gateway share an address, and
their working links must keep working while a neighbour mistypes one. The exception is an
action that is itself the cost, such as a public form that sends mail: `take_slot` counts
each one before it is done.

A cache that cannot be reached raises: the request answers 503 (participation/outages.py)
and nothing is done, rather than nothing being limited."""

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
    if _count(key, window_seconds) is None:
        cache.set(key, 1, timeout=window_seconds)


def take_slot(request, *, scope, limit, window_seconds) -> bool:
    """Count one action and say whether it is within `limit` for the window; the count
    starts over `window_seconds` after the first. The count and the answer are one atomic
    increment in the cache, so parallel requests cannot all pass a check made before any of
    them counted."""
    count = _count(_key(request, scope), window_seconds)
    return count is not None and count <= limit


def _count(key, window_seconds) -> int | None:
    """One atomic increment of the window's count, opening the window if it is not open;
    None if the window kept ending between the two steps."""
    for _attempt in range(3):
        cache.add(key, 0, timeout=window_seconds)
        try:
            count = cache.incr(key)
        except ValueError:
            continue  # The window ended between add and incr: open the next one.
        if count == 1:
            # Redis's INCR creates a key without expiry when it vanished just before; the
            # window's first action makes sure the window ends.
            cache.touch(key, timeout=window_seconds)
        return count
    return None


def _key(request, scope) -> str:
    return f"rate-limit:{scope}:{client_address(request)}"
