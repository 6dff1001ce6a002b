"""The live session while its Redis (channel layer, coalescing window, cache) is down and
back, with a server process of its own on a Redis of the test's own: sockets stay open,
votes are committed and acknowledged, a client asking (ping, resync) gets the state from
the database; a socket opening meanwhile is told to try again later (1013); once Redis is
back, update frames reach the open sockets again without a reconnect or a server restart,
and no acknowledged vote is lost."""

import time

import pytest

from tests.live_support import (
    Closed,
    LiveClient,
    LiveServer,
    connect_all,
    create,
    joined,
    ok,
    run,
    server_env,
    signed_in_cookie,
)
from workshops.live.models import DotVote

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CONFIG = {"dots": 3, "max_per_option": 3, "options": ["Spielplätze", "Busse", "Kitas"]}


@pytest.fixture
def own_server(throwaway_redis):
    env = {
        **server_env(),
        "REDIS_URL": throwaway_redis.url,
        "CHANNEL_LAYER_PREFIX": "outage",
    }
    server = LiveServer(env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def tally(client, activity):
    return (client.results(activity) or {}).get("tally")


def test_with_redis_down_votes_are_kept_and_live_updates_resume_when_it_is_back(
    own_server, throwaway_redis, live_workshop, live_session, coordinator
):
    anna_cookie, _anna = joined(live_session, "Anna")
    ben_cookie, _ben = joined(live_session, "Ben")

    async def scenario():
        moderator, anna = await connect_all(
            own_server, live_workshop, [signed_in_cookie(coordinator), anna_cookie]
        )
        dots = await create(moderator, "dots", "Was zuerst?", CONFIG)
        await anna.until(lambda c: dots in c.activities)

        throwaway_redis.stop()
        acked = await ok(anna, {"type": "dots.set", "activity": dots, "allocation": {"1": 2}})
        assert acked["mine"] == {"allocation": {"1": 2}}
        # The socket is open; asked, the server answers from the database.
        await moderator.send({"type": "ping", "seq": moderator.seq})
        pong = await moderator.expect("pong")
        assert pong["seq"] > moderator.seq
        await moderator.send({"type": "resync", "seq": moderator.seq})
        await moderator.expect("snapshot")
        assert tally(moderator, dots) == {"1": 2}
        # A socket opening now is told to come back later, and its browser reconnects.
        ben = await LiveClient.connect(own_server, live_workshop, ben_cookie)
        with pytest.raises(Closed) as refused:
            await ben.expect("snapshot")
        assert refused.value.code == 1013

        throwaway_redis.start()
        # The open sockets hear of changes again: no reconnect, no server restart. The
        # server's subscription comes back within a second or two of Redis.
        deadline, allocation = time.monotonic() + 30, {"1": 2}
        while tally(moderator, dots) != allocation:
            assert time.monotonic() < deadline, "no update frame after Redis came back"
            allocation = {"2": 1} if allocation == {"1": 2} else {"1": 2}
            await ok(anna, {"type": "dots.set", "activity": dots, "allocation": allocation})
            try:
                await moderator.until(lambda c: tally(c, dots) == allocation, timeout=2)
            except AssertionError:
                continue
        ben = await LiveClient.connect(own_server, live_workshop, ben_cookie)
        await ben.expect("snapshot")
        await ok(ben, {"type": "dots.set", "activity": dots, "allocation": {"3": 3}})
        final = {**allocation, "3": 3}
        await moderator.until(lambda c: tally(c, dots) == final, timeout=10)
        assert moderator.snapshots == 2  # the first and the one asked for: no reconnect
        for client in (moderator, anna, ben):
            await client.close()
        return final

    final = run(scenario())
    assert sum(DotVote.objects.values_list("count", flat=True)) == sum(final.values())
