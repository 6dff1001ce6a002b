"""The live session's WebSocket (docs/live-protocol.md). An interface like a view: it
authenticates from the scope, validates every message (size, rate, schema, role) and calls
the handlers in worker threads (participation.db_threads). Update frames arrive
pre-serialised through the channel layer (workshops.live.realtime) and are written as they
are."""

import asyncio
import functools
import logging
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real
from redis.exceptions import RedisError

from participation.db_threads import in_db_thread

from . import handlers, realtime
from .errors import ABUSE, TOO_BIG, AccessDenied, LiveError
from .protocol import MAX_DROPPED, MAX_FRAME_BYTES, RATES, TokenBucket, parse
from .roles import MODERATOR
from .selectors import dumps

logger = logging.getLogger(__name__)
# Access is checked again at a ping, at most this often (and with every action).
RECHECK_SECONDS = 30
# WebSocket close code 1013, "try again later": a service the session needs is down.
TRY_AGAIN_LATER = 1013


# workshop id -> id of its live session, as this process last found it: a socket joins its
# group before the one trip to the database that checks its access and reads its snapshot.
# Only a guess, checked in that trip.
_session_of = {}
# workshop id -> the future of that id while the first socket of a room in this process looks
# it up: the sockets opening beside it wait for that one trip instead of each going the long
# way (access first, then join, then a second trip for the snapshot).
_finding = {}


def in_language(language, function):
    """`function` with the connection's language active in the thread it runs on: a
    refusal's detail interpolated there (`_("…%(max)s…") % {...}`) is rendered at once, in
    whatever language that thread has, not when the error is sent."""

    def run(*args, **kwargs):
        with translation.override(language):
            return function(*args, **kwargs)

    return run


def language_from_scope(scope) -> str:
    """The language of the handshake: the language cookie, else Accept-Language."""
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    candidates = [cookie] if cookie else []
    for name, value in scope.get("headers", []):
        if name == b"accept-language":
            header = value.decode("latin-1")
            candidates += [lang for lang, _q in trans_real.parse_accept_lang_header(header)]
    for candidate in candidates:
        try:
            return translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class LiveConsumer(AsyncWebsocketConsumer):
    access = None
    ended = False
    channel_name = None

    async def __call__(self, scope, receive, send):
        """As Channels' own, but a channel layer (Redis) that is down before the socket has
        a channel of its own answers the handshake with "try again later" (1013) instead
        of refusing it with a bare 500; the browser reconnects with its backoff."""
        try:
            await self._serve(scope, receive, send)
        except (RedisError, OSError) as error:
            if self.channel_name is not None:
                raise
            logger.warning("live: channel layer unreachable, connection refused: %s", error)
            if (await receive())["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})

    async def _serve(self, scope, receive, send):
        """As Channels' `AsyncConsumer.__call__`, with each of the two sources (the client's
        messages, the group's frames) read by one task for the socket's lifetime. Channels'
        `await_many_dispatch` starts a new task and an `asyncio.wait()` for every message:
        with a thousand sockets and several frames a second, that was much of what writing a
        frame cost (bench/live.py). A lock keeps Channels' order: one message handled at a
        time, so no frame overtakes the snapshot it follows, and no client message overtakes
        another."""
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        sources = [receive]
        if self.channel_layer is not None:
            self.channel_name = await self.channel_layer.new_channel()
            sources.append(functools.partial(self.channel_layer.receive, self.channel_name))
        self.base_send = send
        one_at_a_time = asyncio.Lock()

        async def pump(source):
            while True:
                message = await source()
                async with one_at_a_time:
                    await self.dispatch(message)

        pumps = [asyncio.ensure_future(pump(source)) for source in sources]
        try:
            done, _running = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
        except StopConsumer:
            pass
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def dispatch(self, message):
        """As Channels' own, without its `aclose_old_connections()` before every message:
        that is a hop to the database thread for each update frame written (most of the
        traffic, and none of it touches the database). Whatever here reads the database
        goes through in_db_thread, which handles stale connections itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        realtime.attach(asyncio.get_running_loop())
        self.language = language_from_scope(self.scope)
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        projector = query.get("view") == ["projector"]
        workshop_id = self.scope["url_route"]["kwargs"]["workshop_id"]
        await self.accept()
        # Join the group before the snapshot is read: nothing committed after it can be
        # missed. The session's id is known from earlier sockets (a room connects at once;
        # the first one's lookup is waited for): then access and snapshot take one trip to
        # the database, and the group's frames wait in this consumer's queue until
        # connect() is done (nothing is sent unless access was granted).
        guess = _session_of.get(workshop_id)
        finding = None
        if guess is None and workshop_id in _finding:
            guess = await asyncio.shield(_finding[workshop_id])
        elif guess is None:
            finding = _finding[workshop_id] = asyncio.get_running_loop().create_future()
        try:
            snapshot = await self._access_and_snapshot(workshop_id, guess, projector)
        finally:
            if finding is not None:
                del _finding[workshop_id]
                finding.set_result(_session_of.get(workshop_id))
        if self.access is None:
            return
        burst, rate = RATES[self.access.role]
        self.bucket = TokenBucket(burst, rate)
        self.dropped = 0
        self.checked_at = asyncio.get_running_loop().time()
        if snapshot is None:  # the guess was missing or wrong: join, then read
            group = realtime.group_name(self.access.session_id, self.access.group_audience)
            for wrong in [name for name in self.groups if name != group]:
                await self.channel_layer.group_discard(wrong, self.channel_name)
                self.groups.remove(wrong)
            if group not in self.groups and not await self._join(group):
                return
            snapshot = await in_db_thread(handlers.snapshot)(self.access)
        await self.send(text_data=snapshot)

    async def _access_and_snapshot(self, workshop_id, guess, projector):
        """Who this socket is (self.access; None if refused, and the socket closed) and its
        snapshot if it joined the right group before the trip; None otherwise."""
        joined = None
        if guess is not None:
            joined = (guess, handlers.audience_for(self.scope["user"], projector=projector))
            if not await self._join(realtime.group_name(*joined)):
                return None
        try:
            self.access, snapshot = await in_db_thread(handlers.connect)(
                workshop_id,
                user=self.scope["user"],
                session_store=self.scope["session"],
                projector=projector,
                joined=joined,
            )
        except AccessDenied as denied:
            await self._end(denied.close_code)
            return None
        if len(_session_of) > 10000:
            _session_of.clear()
        _session_of[workshop_id] = self.access.session_id
        return snapshot

    async def _join(self, group) -> bool:
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except (RedisError, OSError) as error:
            # The channel layer (Redis) is down: without the group this socket would never
            # hear of a change. "Try again later": the browser reconnects with its backoff
            # and gets its snapshot once Redis is back (docs/live-protocol.md, section 8).
            logger.warning("live: channel layer unreachable, connection refused: %s", error)
            await self._end(TRY_AGAIN_LATER)
            return False
        self.groups.append(group)
        return True

    async def _end(self, code):
        self.ended = True
        await self.close(code=code)

    async def _error(self, error: LiveError, ref=None):
        with translation.override(self.language):
            await self.send(text_data=dumps(error.as_message(ref)))

    async def receive(self, text_data=None, bytes_data=None):
        if self.access is None or self.ended:
            return
        if text_data is None:
            await self._error(LiveError("bad_json"))
            return
        if len(text_data) > MAX_FRAME_BYTES or (
            len(text_data) * 4 > MAX_FRAME_BYTES and len(text_data.encode()) > MAX_FRAME_BYTES
        ):
            await self._end(TOO_BIG)
            return
        if not self.bucket.take():
            self.dropped += 1
            if self.dropped >= MAX_DROPPED:
                await self._end(ABUSE)
            else:
                await self._error(LiveError("rate_limited"))
            return
        try:
            with translation.override(self.language):
                kind, ref, fields = parse(text_data, role=self.access.role)
        except LiveError as error:
            await self._error(error, getattr(error, "ref", None))
            return
        try:
            if kind == "ping":
                await self._pong()
            elif kind == "resync":
                snapshot = await in_db_thread(handlers.snapshot)(self.access)
                await self.send(text_data=snapshot)
            else:
                act = in_language(self.language, handlers.act)
                result = await in_db_thread(act)(self.access, kind, fields)
                await self.send(text_data=dumps({"type": "ack", "ref": ref, "result": result}))
        except LiveError as error:
            await self._error(error, ref)
        except AccessDenied as denied:
            await self._end(denied.close_code)

    async def _pong(self):
        now = asyncio.get_running_loop().time()
        if now - self.checked_at >= RECHECK_SECONDS:
            self.checked_at = now
            seq = await in_db_thread(handlers.recheck)(self.access)
        else:
            seq = await in_db_thread(handlers.current_seq)(self.access)
        await self.send(text_data=dumps({"type": "pong", "seq": seq}))

    # --- group messages ---------------------------------------------------------------------

    async def live_frame(self, event):
        if self.access is not None and not self.ended:
            await self.send(text_data=event["text"])

    async def workshop_over(self, event):
        if not self.ended:
            await self._end(4410)

    async def access_revoked(self, event):
        if self.ended or self.access is None or self.access.role == MODERATOR:
            return
        if event["participant"] is None:
            await self._end(4410)
        elif event["participant"] == self.access.participant_id:
            await self._end(4403)
