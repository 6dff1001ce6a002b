"""Real ASGI servers and WebSocket clients for the live-session tests.

`LiveServer` starts `config.asgi:application` (through tests/live_asgi.py) under uvicorn
in a subprocess, on the test database (committed data: the tests use
`django_db(transaction=True)`) and the Redis channel layer. `LiveClient` speaks
docs/live-protocol.md the way a browser should: it keeps the state from the snapshot,
applies updates, and resyncs on a gap."""

import asyncio
import datetime
import itertools
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.utils import timezone

from participation.models import EventStatus, Invitation
from tests.factories import PersonFactory
from tests.processes import ROOT, UvicornServer
from workshops.live import services
from workshops.models import Workshop


def server_env():
    """The environment of a server process: this test run's database and Redis."""
    db = urlsplit(settings.DATABASE_URL)
    database_url = urlunsplit(db._replace(path="/" + connection.settings_dict["NAME"]))
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="tests.live_settings",
        CHANNEL_LAYER_PREFIX=settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class LiveServer(UvicornServer):
    """tests/live_asgi.py under uvicorn with the environment of `server_env()`."""

    def __init__(self, env, port=None):
        super().__init__("tests.live_asgi:application", env=env, port=port)

    def url(self, live_workshop, query=""):
        return f"ws://127.0.0.1:{self.port}/ws/workshops/{live_workshop.pk}/live/{query}"


# --- sessions ----------------------------------------------------------------------------------


def signed_in_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def session_cookie(**data):
    store = SessionStore()
    for key, value in data.items():
        store[key] = value
    store.save()
    return store.session_key


# --- client ----------------------------------------------------------------------------------


class Closed(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class LiveClient:
    """One socket. `state` is what a screen would show: activities by id, updated from
    snapshots and updates; `frames` counts the update frames received."""

    _refs = itertools.count(1)

    def __init__(self, ws, *, drop_updates=0):
        self.ws = ws
        self.seq = None
        self.role = None
        self.me = None
        self.session = None
        self.activities = {}
        self.participants = {}
        self.updates = 0
        self.snapshots = 0
        self.resyncs = 0
        self.drop_updates = drop_updates  # to simulate lost frames
        self.inbox = []
        self.awaiting_snapshot = False

    @classmethod
    async def connect(cls, asgi_server, live_workshop, cookie=None, *, query="", origin=None):
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
        ws = await websockets.connect(
            asgi_server.url(live_workshop, query),
            origin=origin or asgi_server.origin,
            additional_headers=headers,
            compression=None,
            open_timeout=10,
        )
        return cls(ws)

    async def close(self):
        await self.ws.close()

    # frames ---------------------------------------------------------------------------------

    async def _next(self, timeout):
        try:
            text = await asyncio.wait_for(self.ws.recv(), timeout)
        except websockets.ConnectionClosed as closed:
            raise Closed(closed.rcvd.code if closed.rcvd else None) from None
        message = json.loads(text)
        kind = message.get("type")
        if kind == "snapshot":
            self._apply_snapshot(message)
        elif kind == "update":
            await self._apply_update(message)
        return message

    def _apply_snapshot(self, message):
        self.snapshots += 1
        self.awaiting_snapshot = False
        self.seq = message["seq"]
        self.role = message["role"]
        self.me = message["me"]
        self.session = message["session"]
        self.activities = {a["id"]: a for a in message["activities"]}
        self.participants = {p["id"]: p for p in message.get("participants", [])}

    async def _apply_update(self, message):
        self.updates += 1
        if self.drop_updates:
            self.drop_updates -= 1
            return
        if self.awaiting_snapshot or message["seq"] <= self.seq:
            return
        if message["from"] > self.seq:
            self.resyncs += 1
            self.awaiting_snapshot = True
            await self.send({"type": "resync", "seq": self.seq})
            return
        for event in message["events"]:
            self._apply_event(event)
        for pk, results in message["results"].items():
            if int(pk) in self.activities:
                self.activities[int(pk)]["results"] = results
        self.seq = message["seq"]

    def _apply_event(self, event):
        name = event["event"]
        if name == "session":
            self.session = event["session"]
        elif name == "activity":
            activity = event["activity"]
            old = self.activities.get(activity["id"], {})
            if "mine" in old:
                activity["mine"] = old["mine"]
            self.activities[activity["id"]] = activity
        elif name == "activity.removed":
            self.activities.pop(event["activity"], None)
        elif name == "participant":
            self.participants[event["participant"]["id"]] = event["participant"]
        else:
            kind, _, removed = name.partition(".")
            collection = {"card": "cards", "cluster": "clusters", "question": "questions"}[kind]
            entries = self.activities[event["activity"]]["items"][collection]
            value = event[kind]
            pk = value if removed else value["id"]
            entries[:] = [e for e in entries if e["id"] != pk]
            if not removed:
                entries.append(value)

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def request(self, message, timeout=5):
        """Send with a ref; return the ack or error answering it (other frames are applied
        and kept in `inbox`)."""
        ref = next(self._refs)
        await self.send({**message, "ref": ref})
        deadline = time.monotonic() + timeout
        while True:
            reply = await self._next(max(0.01, deadline - time.monotonic()))
            if reply.get("type") in ("ack", "error") and reply.get("ref") == ref:
                return reply
            self.inbox.append(reply)

    async def expect(self, kind, timeout=5):
        deadline = time.monotonic() + timeout
        while True:
            message = await self._next(max(0.01, deadline - time.monotonic()))
            if message.get("type") == kind:
                return message
            self.inbox.append(message)

    async def until(self, predicate, timeout=5):
        """Read frames until predicate(self) holds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("condition not reached in time")
            try:
                self.inbox.append(await self._next(remaining))
            except TimeoutError:
                raise AssertionError("condition not reached in time") from None
        return self

    async def closed(self, timeout=5):
        """Read until the server closes; return the close code."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                await self._next(max(0.01, deadline - time.monotonic()))
        except Closed as closed:
            return closed.code

    def results(self, activity_id):
        return self.activities.get(activity_id, {}).get("results")

    def items(self, activity_id, name):
        return self.activities.get(activity_id, {}).get("items", {}).get(name, [])


# --- fixtures and helpers shared by the live test modules ---------------------------------------


@pytest.fixture(scope="module")
def asgi_servers(django_db_setup, django_db_blocker):
    """Two server processes on the same database and Redis."""
    env = server_env()
    started = [LiveServer(env), LiveServer(env)]
    try:
        yield [asgi_server.wait_ready() for asgi_server in started]
    finally:
        for asgi_server in started:
            asgi_server.stop()


@pytest.fixture
def asgi_server(asgi_servers):
    return asgi_servers[0]


@pytest.fixture
def live_workshop(coordinator):
    now = timezone.now()
    return Workshop.objects.create(
        title="Sozialraumkonferenz",
        status=EventStatus.PUBLISHED,
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=3),
        venue_name="Kreishaus",
        created_by=coordinator,
    )


@pytest.fixture
def live_session(live_workshop, coordinator):
    return services.ensure_live_session(live_workshop, actor=coordinator)


def invite(live_workshop, person=None, **fields):
    person = person or PersonFactory()
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(live_workshop),
        event_id=live_workshop.pk,
        person=person,
        email=person.email,
        name=fields.pop("name", person.full_name),
        **fields,
    )


def joined(live_session, name):
    """A join-code participant's session cookie."""
    store = {}
    participant = services.join_with_code(store, live_session.join_code, name)
    return session_cookie(**store), participant


def run(coroutine):
    return asyncio.run(coroutine)


async def in_thread(function, *args, **kwargs):
    """Call our own (sync) code from inside a test's event loop, on a thread that closes
    its database connection afterwards."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return await sync_to_async(call, thread_sensitive=False)()


@pytest.fixture
def live_people(live_session, live_workshop, coordinator):
    """A moderator, a join-code participant and an invitee by link: their cookies."""
    anna_cookie, anna = joined(live_session, "Anna")
    ben_invitation = invite(live_workshop, name="Ben")
    ben_cookie = session_cookie(invitations=[ben_invitation.pk])
    return signed_in_cookie(coordinator), anna_cookie, ben_cookie


async def connect_all(asgi_server, live_workshop, cookies):
    clients = [await LiveClient.connect(asgi_server, live_workshop, cookie) for cookie in cookies]
    for number, client in enumerate(clients):
        try:
            await client.expect("snapshot")
        except Exception as e:
            raise AssertionError(f"client {number}: {e!r}") from e
    return clients


async def create(moderator, kind, title, config=None, *, open_it=True):
    message = {"type": "activity.create", "kind": kind, "title": title}
    if config is not None:
        message["config"] = config
    reply = await moderator.request(message)
    assert reply["type"] == "ack", reply
    pk = reply["result"]["id"]
    if open_it:
        assert (await moderator.request({"type": "activity.open", "activity": pk}))["type"] == "ack"
    return pk


async def ok(client, message):
    reply = await client.request(message)
    assert reply["type"] == "ack", reply
    return reply["result"]


async def refused(client, message, code):
    reply = await client.request(message)
    assert reply["type"] == "error", reply
    assert reply["code"] == code, reply
    return reply


def off_the_browser_thread(function, *args, **kwargs):
    """Our services announce changes through async code, which cannot run on the thread
    where Playwright's event loop runs."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
