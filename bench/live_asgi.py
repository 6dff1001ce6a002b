"""What bench/live.py serves: the project's ASGI application (config.asgi, unchanged: its
socket door and routes) plus the baseline, a bare Channels consumer at
/ws/bench/relay/<room>/ behind Channels' own AuthMiddlewareStack that only relays group
messages to its sockets. Used by the benchmark only; the project never routes it.

The baseline does the least that can deliver the same screens: each vote increments a
counter in memory and is acknowledged; at most one tally frame per 100 ms (leading edge and
end of window, like workshops.live.realtime) is serialised once and sent with one group_send
through the same channel layer. No database, no validation, no authentication. Like the
app's consumer it skips Channels' database-connection check before every message."""

import asyncio
import json

# isort: off
from config.asgi import application as project  # first: sets Django up
from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.consumer import get_handler_name
from django.urls import path

# isort: on

WINDOW = 0.1
ROOMS = {}  # room -> {"votes": int, "seq": int, "busy": bool, "dirty": bool}


async def _flush(room):
    state = ROOMS[room]
    state["seq"] += 1
    text = json.dumps(
        {
            "type": "update",
            "from": state["seq"] - 1,
            "seq": state["seq"],
            "events": [],
            "results": {"1": {"tally": {"1": state["votes"]}, "voters": state["votes"]}},
        },
        separators=(",", ":"),
    )
    await get_channel_layer().group_send(f"relay.{room}", {"type": "relay.frame", "text": text})


async def _window(room):
    state = ROOMS[room]
    try:
        while True:
            state["dirty"] = False
            await _flush(room)
            await asyncio.sleep(WINDOW)
            if not state["dirty"]:
                return
    finally:
        state["busy"] = False


class RelayConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        # Like the app's consumer (workshops/live/consumers.py), without Channels' hop to
        # the database thread before every message: the baseline must not pay for what
        # the app has shed.
        await getattr(self, get_handler_name(message))(message)

    async def connect(self):
        self.room = self.scope["url_route"]["kwargs"]["room"]
        ROOMS.setdefault(self.room, {"votes": 0, "seq": 0, "busy": False, "dirty": False})
        await self.channel_layer.group_add(f"relay.{self.room}", self.channel_name)
        self.groups.append(f"relay.{self.room}")
        await self.accept()
        await self.send(text_data=json.dumps({"type": "snapshot", "seq": ROOMS[self.room]["seq"]}))

    async def receive(self, text_data=None, bytes_data=None):
        message = json.loads(text_data)
        state = ROOMS[self.room]
        state["votes"] += 1
        await self.send(text_data=json.dumps({"type": "ack", "ref": message.get("ref")}))
        if state["busy"]:
            state["dirty"] = True
        else:
            state["busy"] = True
            asyncio.get_running_loop().create_task(_window(self.room))

    async def relay_frame(self, event):
        await self.send(text_data=event["text"])


RELAY = "/ws/bench/relay/"
# The baseline behind Channels' standard stack (cookies, session, user), as a bare Channels
# application would have it; everything else goes to the project's application as it is.
relay = AllowedHostsOriginValidator(
    AuthMiddlewareStack(URLRouter([path("ws/bench/relay/<str:room>/", RelayConsumer.as_asgi())]))
)


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith(RELAY):
        return await relay(scope, receive, send)
    return await project(scope, receive, send)
