"""The machinery of the authorisation matrix: walking the URL resolver and the OpenAPI
schema, filling path parameters from the world, signing the roles in, and telling an answer
apart (200, a redirect to the sign-in or to the second-factor set-up, 403, 404 …)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# --- the URL patterns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL name with its namespaces, or the route itself for an unnamed pattern
    route: str  # the full pattern, for messages
    pattern: object
    prefix: tuple  # the resolvers above the pattern


def _walk(resolver, prefix=(), namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, (*prefix, entry), inner)
        elif isinstance(entry, URLPattern):
            full = "".join(str(p.pattern) for p in (*prefix, entry))
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            key = name or full
            yield Route(key, full, entry, prefix)


def page_routes():
    """Every URL pattern outside the REST API (its operations come from the schema). The
    format-suffix twins DRF adds (`….(?P<format>…)`) are the same view and left out."""
    routes = {}
    for route in _walk(get_resolver()):
        if route.route.startswith("api/v1/") or "format>" in route.route:
            continue
        routes.setdefault(route.key, route)
    return routes


def api_v1_routes():
    """Every URL pattern under /api/v1/ (without format-suffix twins and the API root)."""
    return {
        route.key: route
        for route in _walk(get_resolver())
        if route.route.startswith("api/v1/")
        and "format>" not in route.route
        and "api-root" not in route.key
    }


def path_for(route, params):
    """The URL of `route` with its parameters filled by `params(name)`."""
    names = _kwarg_names(route)
    kwargs = {name: params(name) for name in names}
    if route.pattern.name is None:
        return "/" + _fill(route.route, kwargs)
    return reverse(route.key, kwargs=kwargs)


def _kwarg_names(route):
    names = []
    for part in (*route.prefix, route.pattern):
        names += list(part.pattern.regex.groupindex)
    return names


def _fill(route, kwargs):
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), text)
    return text.replace("^", "").replace("$", "")


# --- answers -----------------------------------------------------------------------------------


def outcome(response):
    """What a role got: the status code, or for a redirect where it leads: `login` (the
    sign-in), `2fa` (the second factor's set-up) or `302` (anywhere else)."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"].split("?")[0]
        location = re.sub(r"^https?://[^/]+", "", location)
        if location in (reverse("account_login"), reverse("admin:login")):
            return "login"
        if location == reverse("mfa_activate_totp"):
            return "2fa"
        return "302"
    return str(response.status_code)


DENIALS = {"login", "2fa", "400", "401", "403", "404", "405"}

# Tables a refused request may still write: the session (a message for the next page), the
# security log (a denied access is worth noting).
WRITES_ALLOWED = {"django_session", "participation_securityevent"}


def writes_so_far():
    """Rows inserted, updated or deleted in this transaction, per table (PostgreSQL's own
    counters: one cheap query catches a write to any table)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return dict(cursor.fetchall())


def written(before, after):
    return sorted(
        table
        for table, count in after.items()
        if count != before.get(table, 0) and table not in WRITES_ALLOWED
    )


_CLIENTS = {}


def client_with(session_key):
    """A test client holding only `session_key`'s cookie. The clients are kept: a new one
    would load the middleware again, WhiteNoise scanning every static file each time."""
    client = _CLIENTS.setdefault(session_key, Client())
    client.cookies.clear()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client
