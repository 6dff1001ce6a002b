"""The live protocol's guarantees against real servers and the Redis layer: roles and
validation, frame size and rate limits, resync after a gap or a reconnect, two server
processes sharing a session, coalesced tallies, and sockets closed when access ends."""

import asyncio
import contextlib
import json
import shutil
import subprocess
import time

import pytest
import redis
import websockets
from django.db.models import Sum
from django.test import Client

from tests.live_support import (
    Closed,
    LiveClient,
    LiveServer,
    connect_all,
    create,
    in_thread,
    joined,
    ok,
    refused,
    run,
    server_env,
)
from tests.processes import free_port
from workshops.live import services
from workshops.live.models import Card, DotVote, LiveParticipant, LiveSession

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_live_participant_cannot_send_moderator_actions(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        dots = await create(moderator, "dots", "Wahl", {"options": ["A", "B"]})
        replies = [
            await refused(anna, message, "forbidden")
            for message in (
                {"type": "activity.reveal", "activity": dots, "revealed": True},
                {"type": "activity.close", "activity": dots},
                {"type": "activity.create", "kind": "poll", "title": "Meine Umfrage"},
                {"type": "session.end"},
            )
        ]
        # And the other way round: a moderator is not a participant.
        await refused(
            moderator, {"type": "dots.set", "activity": dots, "allocation": {}}, "forbidden"
        )
        for client in (moderator, anna, _ben):
            await client.close()
        return dots, replies

    dots, replies = run(scenario())
    assert all(reply["detail"] for reply in replies)
    activity = LiveSession.objects.get().activities.get(pk=dots)
    assert activity.status == "open" and not activity.revealed
    assert activity.session.activities.count() == 1


def test_live_spoofed_ids_in_messages_are_refused(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        dots = await create(moderator, "dots", "Wahl", {"options": ["A", "B"]})
        await anna.until(lambda c: dots in c.activities)
        spoofs = [
            {"participant": ben.me["participant"]},
            {"user": 1},
            {"participant_id": ben.me["participant"]},
        ]
        replies = [
            await anna.request(
                {"type": "dots.set", "activity": dots, "allocation": {"1": 1}, **spoof}
            )
            for spoof in spoofs
        ]
        await ok(anna, {"type": "dots.set", "activity": dots, "allocation": {"2": 1}})
        for client in (moderator, anna, ben):
            await client.close()
        return replies, anna.me["participant"], ben.me["participant"]

    replies, anna_id, ben_id = run(scenario())
    assert [(reply["type"], reply["code"]) for reply in replies] == [("error", "invalid")] * 3
    assert list(DotVote.objects.values_list("participant_id", "option", "count")) == [
        (anna_id, "2", 1)
    ]
    assert not DotVote.objects.filter(participant_id=ben_id).exists()


def test_live_malformed_messages_get_errors(asgi_server, live_workshop, live_people):
    async def scenario():
        _moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        codes = []
        for raw in ("nicht json", "[1, 2]", json.dumps({"type": "teleport"})):
            await anna.ws.send(raw)
            codes.append((await anna.expect("error"))["code"])
        codes.append(
            (await refused(anna, {"type": "dots.set", "activity": "1"}, "invalid"))["field"]
        )
        codes.append(
            (
                await refused(
                    anna, {"type": "dots.set", "activity": 999999, "allocation": {}}, "not_found"
                )
            )["code"]
        )
        await anna.ws.send(b"\x00\x01")
        codes.append((await anna.expect("error"))["code"])
        for client in (_moderator, anna, _ben):
            await client.close()
        return codes

    assert run(scenario()) == [
        "bad_json",
        "bad_json",
        "unknown_type",
        "activity",
        "not_found",
        "bad_json",
    ]


def test_live_oversized_frame_closes_the_socket(asgi_server, live_workshop, live_people):
    async def scenario():
        _moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        await anna.send({"type": "card.add", "activity": 1, "text": "x" * 5000})
        code = await anna.closed()
        # Multi-byte characters count as bytes: 1,500 × 3 bytes is over the limit too.
        again = await LiveClient.connect(asgi_server, live_workshop, live_people[1])
        await again.expect("snapshot")
        await again.send({"type": "card.add", "activity": 1, "text": "€" * 1500})
        second = await again.closed()
        for client in (_moderator, _ben):
            await client.close()
        return code, second

    assert run(scenario()) == (1009, 1009)
    assert not Card.objects.exists()


def test_live_rate_limit_per_connection(asgi_server, live_workshop, live_people):
    async def scenario():
        _moderator, anna, ben = await connect_all(asgi_server, live_workshop, live_people)
        for _ in range(30):
            await anna.send({"type": "ping"})
        replies = [await anna._next(5) for _ in range(30)]
        # Ben's bucket is his own.
        await ben.send({"type": "ping"})
        pong = await ben.expect("pong")
        for client in (_moderator, anna, ben):
            await client.close()
        return [reply["type"] for reply in replies], pong

    kinds, pong = run(scenario())
    assert kinds.count("pong") >= 10
    assert kinds.count("error") >= 15
    assert pong["seq"] >= 1


def test_live_projector_is_read_only_and_sees_join_code(
    asgi_server, live_workshop, live_session, coordinator, live_people
):
    async def scenario():
        moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        projector = await LiveClient.connect(
            asgi_server, live_workshop, live_people[0], query="?view=projector"
        )
        snapshot = await projector.expect("snapshot")
        poll = await create(moderator, "poll", "Frage", {"options": ["Ja", "Nein"]})
        await projector.until(lambda c: poll in c.activities)
        hidden = projector.activities[poll]["results"]
        await ok(moderator, {"type": "activity.reveal", "activity": poll, "revealed": True})
        await projector.until(lambda c: c.results(poll) is not None)
        reply = await refused(projector, {"type": "activity.close", "activity": poll}, "forbidden")
        for client in (moderator, anna, _ben, projector):
            await client.close()
        return snapshot, hidden, reply

    snapshot, hidden, _reply = run(scenario())
    assert snapshot["role"] == "projector"
    assert snapshot["session"]["join_code"] == live_session.join_code
    assert "participants" not in snapshot
    assert hidden is None


# --- gaps, reconnects, several processes ----------------------------------------------------------


def test_live_gap_in_updates_triggers_resync(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        first = await create(moderator, "poll", "Eins", {"options": ["A", "B"]})
        await anna.until(lambda c: first in c.activities)
        # Anna loses the next update frame (as when Redis restarts): the one after it
        # starts beyond her seq, so she resyncs and gets a snapshot with both changes.
        anna.drop_updates = 1
        second = await create(moderator, "poll", "Zwei", {"options": ["A", "B"]})
        await anna.until(lambda c: c.updates >= 1 and c.drop_updates == 0)
        assert second not in anna.activities
        await ok(moderator, {"type": "activity.reveal", "activity": first, "revealed": True})
        await anna.until(lambda c: second in c.activities and c.results(first) is not None)
        for client in (moderator, anna, _ben):
            await client.close()
        return anna.resyncs, anna.snapshots

    resyncs, snapshots = run(scenario())
    assert resyncs == 1
    assert snapshots == 2


def test_live_reconnect_gets_snapshot_with_missed_changes(asgi_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, _ben = await connect_all(asgi_server, live_workshop, live_people)
        seq_before = anna.seq
        await anna.close()
        cards = await create(moderator, "cards", "Während Anna weg war")
        anna = await LiveClient.connect(asgi_server, live_workshop, live_people[1])
        snapshot = await anna.expect("snapshot")
        # A ping tells a client whether it is behind.
        await anna.send({"type": "ping", "seq": anna.seq})
        pong = await anna.expect("pong")
        for client in (moderator, anna, _ben):
            await client.close()
        return seq_before, snapshot, cards, pong

    seq_before, snapshot, cards, pong = run(scenario())
    assert snapshot["seq"] > seq_before
    assert [a["id"] for a in snapshot["activities"]] == [cards]
    assert pong["seq"] == snapshot["seq"]


def test_live_two_server_processes_share_a_session(asgi_servers, live_workshop, live_people):
    process_a, process_b = asgi_servers
    moderator_cookie, anna_cookie, ben_cookie = live_people

    async def scenario():
        moderator = await LiveClient.connect(process_b, live_workshop, moderator_cookie)
        anna = await LiveClient.connect(process_a, live_workshop, anna_cookie)
        ben = await LiveClient.connect(process_b, live_workshop, ben_cookie)
        for client in (moderator, anna, ben):
            await client.expect("snapshot")
        dots = await create(moderator, "dots", "Wahl", {"options": ["A", "B"]})
        await ok(moderator, {"type": "activity.reveal", "activity": dots, "revealed": True})
        await anna.until(lambda c: dots in c.activities and c.activities[dots]["revealed"])
        await ok(anna, {"type": "dots.set", "activity": dots, "allocation": {"1": 3, "2": 2}})
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {"2": 1}})
        expected = {"1": 3, "2": 3}
        for client in (moderator, anna, ben):
            await client.until(lambda c: (c.results(dots) or {}).get("tally") == expected)
        for client in (moderator, anna, ben):
            await client.close()
        return moderator.resyncs + anna.resyncs + ben.resyncs

    assert run(scenario()) == 0


def test_live_burst_of_votes_is_coalesced(asgi_servers, live_workshop, live_session, coordinator):
    """200 changes of allocation from 40 participants, spread over two processes, reach
    each socket as a handful of update frames, and the last one has the final tally."""
    dots = services.create_activity(
        live_session,
        actor=coordinator,
        kind="dots",
        title="Schnell",
        config={"dots": 5, "options": ["A", "B", "C", "D", "E"]},
    )
    services.open_activity(dots, actor=coordinator)
    services.reveal_activity(dots, actor=coordinator, revealed=True)
    cookies = [joined(live_session, f"P{n}")[0] for n in range(40)]

    async def scenario():
        voters = [
            await LiveClient.connect(asgi_servers[n % 2], live_workshop, cookie)
            for n, cookie in enumerate(cookies)
        ]
        for voter in voters:
            await voter.expect("snapshot")
        start = [voter.updates for voter in voters]

        async def vote(voter, number):
            for step in range(5):
                option = str((number + step) % 5 + 1)
                await voter.send(
                    {"type": "dots.set", "activity": dots.pk, "allocation": {option: step + 1}}
                )
            for _ in range(5):
                await voter.expect("ack")

        began = asyncio.get_running_loop().time()
        await asyncio.gather(*(vote(voter, n) for n, voter in enumerate(voters)))
        took = asyncio.get_running_loop().time() - began
        final = await in_thread(
            lambda: dict(
                DotVote.objects.filter(activity=dots)
                .values_list("option")
                .order_by()
                .annotate(Sum("count"))
            )
        )
        for voter in voters:
            await voter.until(lambda c: (c.results(dots.pk) or {}).get("tally") == final, 10)
        frames = [voter.updates - before for voter, before in zip(voters, start, strict=True)]
        for voter in voters:
            await voter.close()
        return took, frames, final

    took, frames, final = run(scenario())
    assert sum(final.values()) == 40 * 5
    # At most ~10 frames a second per session, plus the one after the last vote.
    assert max(frames) <= 10 * took + 3, (took, frames)


# --- access ending -------------------------------------------------------------------------------


def test_live_removed_participant_and_ended_session_close_sockets(
    asgi_servers, live_workshop, live_session, coordinator, live_people
):
    moderator_cookie, anna_cookie, ben_cookie = live_people
    anna = LiveParticipant.objects.get(display_name="Anna")

    async def scenario():
        moderator = await LiveClient.connect(asgi_servers[0], live_workshop, moderator_cookie)
        anna_socket = await LiveClient.connect(asgi_servers[1], live_workshop, anna_cookie)
        ben_socket = await LiveClient.connect(asgi_servers[0], live_workshop, ben_cookie)
        for client in (moderator, anna_socket, ben_socket):
            await client.expect("snapshot")
        await ok(moderator, {"type": "participant.remove", "participant": anna.pk})
        removed = await anna_socket.closed()
        again = await LiveClient.connect(asgi_servers[0], live_workshop, anna_cookie)
        refused_again = await again.closed()
        await ben_socket.send({"type": "ping"})
        await ben_socket.expect("pong")
        # The session ends from outside the sockets (the workshop is marked done).
        await in_thread(services.end_for_workshop, live_workshop, actor=coordinator)
        ended = await ben_socket.closed()
        await moderator.until(lambda c: c.session["status"] == "closed")
        await moderator.close()
        return removed, refused_again, ended

    assert run(scenario()) == (4403, 4403, 4410)


@pytest.mark.parametrize(
    "how",
    [
        ("web", "done/"),
        ("api", "done/"),
        ("web", "cancel/"),
        ("api", "cancel/"),
    ],
)
def test_live_workshop_done_or_cancelled_closes_every_socket_at_once(
    asgi_servers, live_workshop, live_session, coordinator, live_people, how
):
    """Marking the workshop done or cancelling it (in the web UI or over the API) ends the
    session; every socket, the moderator's included, is closed with 4410 at once, without
    waiting for a ping."""
    surface, action = how
    office = Client()
    office.force_login(coordinator)
    prefix = "/workshops/" if surface == "web" else "/api/v1/workshops/"

    async def scenario():
        sockets = await connect_all(asgi_servers[0], live_workshop, live_people[:2])
        sockets.append(await LiveClient.connect(asgi_servers[1], live_workshop, live_people[2]))
        await sockets[-1].expect("snapshot")
        response = await in_thread(office.post, f"{prefix}{live_workshop.pk}/{action}")
        started = time.monotonic()
        codes = [await client.closed(timeout=5) for client in sockets]
        return response.status_code, codes, time.monotonic() - started

    status, codes, took = run(scenario())
    assert status in (200, 302)
    assert codes == [4410, 4410, 4410]  # moderator, join-code participant, invitee
    assert took < 5
    assert LiveSession.objects.get(pk=live_session.pk).status == LiveSession.Status.CLOSED


# --- the embedded mode ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def in_memory_server(django_db_setup, django_db_blocker):
    """One server process without Redis: the in-memory channel layer, as `make run` has."""
    env = server_env()
    env.pop("REDIS_URL")
    server = LiveServer(env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def test_live_in_memory_layer_serves_one_process(in_memory_server, live_workshop, live_people):
    async def scenario():
        moderator, anna, ben = await connect_all(in_memory_server, live_workshop, live_people)
        mood = await create(moderator, "mood", "Stimmung")
        await ok(moderator, {"type": "activity.reveal", "activity": mood, "revealed": True})
        await anna.until(lambda c: mood in c.activities)
        await ok(anna, {"type": "mood.set", "activity": mood, "value": 3})
        await ok(ben, {"type": "mood.set", "activity": mood, "value": 3})
        for client in (moderator, anna, ben):
            await client.until(lambda c: (c.results(mood) or {}).get("count") == 2)
        for client in (moderator, anna, ben):
            await client.close()
        return anna.results(mood)["distribution"]

    assert run(scenario()) == {"1": 0, "2": 0, "3": 2, "4": 0, "5": 0}


# --- Redis restarting mid-session ------------------------------------------------------------


class RestartableRedis:
    """A Redis of this test's own on a free port, stopped and started again on that port."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if redis.Redis.from_url(self.url, socket_timeout=0.5).ping():
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RestartableRedis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture(scope="module")
def server_on_own_redis(django_db_setup, django_db_blocker, own_redis):
    env = server_env()
    env["REDIS_URL"] = own_redis.url
    server = LiveServer(env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


async def catch_up(client, server, live_workshop, cookie):
    """What the browser does after a hiccup: ping; if the server is ahead and no update
    follows within 2 seconds, resync; if the socket is gone, reconnect (a snapshot)."""
    try:
        await client.send({"type": "ping", "seq": client.seq})
        pong = await client.expect("pong")
        if pong["seq"] > client.seq:
            with contextlib.suppress(AssertionError):
                await client.until(lambda c: c.seq >= pong["seq"], timeout=2)
            if client.seq < pong["seq"]:
                await client.send({"type": "resync", "seq": client.seq})
                await client.expect("snapshot")
        return client
    except (Closed, websockets.ConnectionClosed):
        client = await LiveClient.connect(server, live_workshop, cookie)
        await client.expect("snapshot")
        return client


def test_live_redis_restart_loses_nothing_acknowledged(
    server_on_own_redis, own_redis, live_workshop, live_people
):
    async def scenario():
        clients = await connect_all(server_on_own_redis, live_workshop, live_people)
        moderator, anna, ben = clients
        dots = await create(moderator, "dots", "Wahl", {"options": ["A", "B"]})
        await ok(moderator, {"type": "activity.reveal", "activity": dots, "revealed": True})
        await anna.until(lambda c: dots in c.activities)
        await ok(anna, {"type": "dots.set", "activity": dots, "allocation": {"1": 2}})

        await in_thread(own_redis.stop)
        # Acknowledged while Redis is away: in the database, announced once it is back.
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {"2": 1}})
        await in_thread(own_redis.start)

        screens = []
        for client, cookie in zip(clients, live_people, strict=True):
            client = await catch_up(client, server_on_own_redis, live_workshop, cookie)
            screens.append((client.results(dots) or {}).get("tally"))
            await client.close()
        return screens

    assert run(scenario()) == [{"1": 2, "2": 1}] * 3
