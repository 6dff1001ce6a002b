"""The live consumer's two pumps (workshops/live/consumers.py, `_serve`): the client's
messages and the group's frames are each read by one task for the socket's lifetime, and
handled one at a time, as Channels' own loop does, so a frame never overtakes the snapshot
(or the answer) the consumer is busy with. Runs the consumer class itself on an ASGI
receive/send pair and the in-memory channel layer (which, unlike Redis pub/sub, keeps a
message sent before its receiver listens)."""

import asyncio

from channels.layers import get_channel_layer
from django.test import override_settings

from workshops.live.consumers import LiveConsumer

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


class Recording(LiveConsumer):
    """The live consumer with two made-up kinds of message, each recording its start and end."""

    def __init__(self):
        super().__init__()
        self.log = []

    async def slow_thing(self, message):
        self.log.append(f"start {message['n']}")
        await asyncio.sleep(0.2)
        self.log.append(f"end {message['n']}")

    async def quick_thing(self, message):
        self.log.append(f"start {message['n']}")
        self.log.append(f"end {message['n']}")


async def until(condition, timeout=10):
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


async def a_socket_with_a_frame_arriving_while_busy():
    consumer, client, sent = Recording(), asyncio.Queue(), []

    async def send(message):
        sent.append(message)

    scope = {"type": "websocket", "path": "/", "headers": [], "url_route": {"kwargs": {}}}
    serving = asyncio.ensure_future(consumer(scope, client.get, send))
    await until(lambda: consumer.channel_name is not None)
    layer = get_channel_layer()
    await client.put({"type": "slow.thing", "n": 1})
    await until(lambda: consumer.log == ["start 1"])
    await layer.send(consumer.channel_name, {"type": "quick.thing", "n": 2})
    await client.put({"type": "quick.thing", "n": 3})
    await until(lambda: len(consumer.log) == 6)
    await client.put({"type": "websocket.disconnect", "code": 1000})
    ended, _running = await asyncio.wait({serving}, timeout=5)
    return consumer.log, bool(ended), consumer.channel_name in layer.channels


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_a_frame_waits_for_the_message_being_handled_and_both_pumps_end_with_the_socket():
    log, ended, channel_left_open = asyncio.run(a_socket_with_a_frame_arriving_while_busy())
    # The frame (2) arrived while the client's message (1) was being handled: it waited.
    assert log == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]
    assert ended, "the consumer still runs after the client left"
    assert not channel_left_open
