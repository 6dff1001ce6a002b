"""The authorisation matrix of the WebSocket routes: each route of config/routing.py against
every role, through the real ASGI application (config.asgi) with Channels'
asgiref's ApplicationCommunicator (what Channels' WebsocketCommunicator is built on; its
package needs daphne) and the Redis channel layer. The expected answer is "open" (accepted,
and for a live session its snapshot sent) or the close code the socket is refused with. A
route missing from WS fails the build, naming it.

Adding a route: add its pattern to WS with a row of eight answers in the order of
tests/security/expected.py, and its parameters to PARAMETERS."""

import asyncio
import json

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from config.asgi import application
from config.routing import websocket_urlpatterns
from tests.security.world import ROLES, build_world

# anonymous invitee member_a member_b political welfare coordinator coordinator_no2fa
# One door: a coordinator without the second factor opens no socket at all.
WS = {
    "ws/ping/": "open open open open open open open 4401",
    "ws/workshops/<int:workshop_id>/live/": "4401 open open 4401 4401 4401 open 4401",
}
PARAMETERS = {"workshop_id": lambda w: w.workshop.pk}


def _routes():
    return {str(pattern.pattern): pattern for pattern in websocket_urlpatterns}


def test_every_websocket_route_is_in_the_table():
    missing = sorted(set(_routes()) - set(WS))
    assert not missing, f"WebSocket routes missing from WS in {__name__}: {missing}"


def _path(route, w):
    pattern = _routes()[route]
    names = list(pattern.pattern.regex.groupindex)
    path = route
    for name in names:
        path = path.replace(f"<int:{name}>", str(PARAMETERS[name](w)))
    return "/" + path


def _session_keys(w):
    keys = {"anonymous": None}
    invitee = Client()
    invitee.get(reverse("participation:invitation_link", args=[w.invitation_token]))
    keys["invitee"] = invitee.session.session_key
    for role, user in w.users.items():
        client = Client()
        client.force_login(user)
        keys[role] = client.session.session_key
    return keys


async def _answer(path, session_key):
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    scope = {
        "type": "websocket",
        "path": path,
        "query_string": b"",
        "headers": headers,
        "subprotocols": [],
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "websocket.connect"})
    output = await communicator.receive_output(timeout=10)
    try:
        if output["type"] == "websocket.accept":
            if path.startswith("/ws/ping/"):
                ping = json.dumps({"type": "ping"})
                await communicator.send_input({"type": "websocket.receive", "text": ping})
            output = await communicator.receive_output(timeout=10)
        if output["type"] == "websocket.close":
            return str(output.get("code"))
        message = json.loads(output["text"])
        return "open" if message["type"] in ("snapshot", "pong") else message["type"]
    finally:
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=10)


@pytest.fixture
def short_lived_connections():
    """The consumer reads on worker threads, each with its own connection: with no reuse
    they close after each read instead of outliving the test's database."""
    options = connections.settings["default"]
    kept = options["CONN_MAX_AGE"]
    options["CONN_MAX_AGE"] = 0
    yield
    options["CONN_MAX_AGE"] = kept


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("short_lived_connections")
def test_websocket_routes_answer_each_role_as_the_table_says():
    w = build_world()
    keys = _session_keys(w)
    wrong = {}
    for route, row in WS.items():
        path = _path(route, w)
        expected = dict(zip(ROLES, row.split(), strict=True))
        for role in ROLES:
            got = asyncio.run(_answer(path, keys[role]))
            if got != expected[role]:
                wrong[f"{route} {role}"] = f"{got} (expected {expected[role]})"
    assert not wrong, wrong
