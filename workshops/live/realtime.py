"""The one way workshop changes reach open sockets (docs/live-protocol.md, section 7).

Services call `changed(session_id)` after commit. Nothing is sent per change: a session
is marked dirty, and at most one update frame per window (100 ms: about 10 per second) is
built from the database and sent, however many votes arrive and whichever process receives
them. Large audiences get longer windows (see SENDS_PER_SECOND).

The window is shared by all server processes through Redis: the process that opens it
(`SET NX`) flushes at once; a change inside the window only sets a dirty flag; at the end of
the window its owner flushes again if dirty (and keeps the window) or deletes it. Without
Redis (the embedded mode, or Redis down) each process keeps its own window.

A flush reads the event log since the last broadcast, serialises one text for the
moderators and one for everyone else, and sends each with a single `group_send`: the
channel layer carries it once to every process, and each consumer writes the text as is.

`revoke()` and `close_all()` are not coalesced: they close sockets at once.
"""

import asyncio
import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import redis.asyncio as aioredis
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from redis.exceptions import RedisError

from participation.db_threads import in_db_thread

from .selectors import build_update

logger = logging.getLogger(__name__)

WINDOW = 0.1  # seconds: at most ~10 update frames per second and session
# What one server process can write to its sockets per second with room to spare for the
# votes themselves (measured on 2 cores: writing a frame costs a consumer about 70 µs,
# bench/live.py). A session whose audience would need more at 10 frames/s gets a longer
# window, up to MAX_WINDOW: 1,000 participants → 6 frames/s, 2,000 → 3.
SENDS_PER_SECOND = 6000
MAX_WINDOW = 0.5
SWITCH_INTERVAL = 0.001
# The Redis window outlives WINDOW so that a slow flush keeps it; if its owner dies it
# lapses after this and the next change opens a new one.
WINDOW_TTL_MS = 1000

MODERATORS, PUBLIC = "mod", "pub"

# Flushes get threads of their own: in the shared pool they would queue behind the very
# votes they are to report, and the frames would fall behind.
FLUSH_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="live-flush")


def group_name(session_id, audience) -> str:
    """`live.<session>.mod` for moderators, `live.<session>.pub` for participants and the
    projector."""
    return f"live.{session_id}.{audience}"


# Opens the window if nobody holds it (1); otherwise marks the session dirty (0).
OPEN_SCRIPT = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
redis.call('SET', KEYS[2], '1', 'PX', 60000)
return 0
"""
# At the end of a window: keep it and flush again if dirty (1), else give it up (0).
RENEW_SCRIPT = """
local dirty = redis.call('GETDEL', KEYS[2])
if dirty or ARGV[2] == '1' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return 1
end
redis.call('DEL', KEYS[1])
return 0
"""


class RedisWindow:
    def __init__(self, url):
        pool = aioredis.BlockingConnectionPool.from_url(url, max_connections=20, timeout=2)
        self.redis = aioredis.Redis(connection_pool=pool)
        self.open_script = self.redis.register_script(OPEN_SCRIPT)
        self.renew_script = self.redis.register_script(RENEW_SCRIPT)

    @staticmethod
    def keys(session_id):
        return [f"live:win:{session_id}", f"live:dirty:{session_id}"]

    async def try_open(self, session_id) -> bool:
        keys = self.keys(session_id)
        return bool(await self.open_script(keys=keys, args=["1", WINDOW_TTL_MS]))

    async def renew(self, session_id, dirty_here: bool) -> bool:
        args = ["1", "1" if dirty_here else "0", WINDOW_TTL_MS]
        return bool(await self.renew_script(keys=self.keys(session_id), args=args))


class LocalWindow:
    """One process: the window is this process's own bookkeeping."""

    async def try_open(self, session_id) -> bool:
        return True

    async def renew(self, session_id, dirty_here: bool) -> bool:
        return dirty_here


class Coalescer:
    """Per server process: which sessions this process holds the window for."""

    def __init__(self, loop):
        self.loop = loop
        self.window = RedisWindow(settings.REDIS_URL) if settings.REDIS_URL else LocalWindow()
        self.fallback = LocalWindow()
        self.owned = set()
        self.dirty = set()

    def mark(self, session_id):
        """A change was committed (runs in the loop)."""
        if session_id in self.owned:
            self.dirty.add(session_id)
            return
        self.owned.add(session_id)
        self.loop.create_task(self._run(session_id))

    async def _call(self, method, *args):
        try:
            return await getattr(self.window, method)(*args)
        except Exception:
            # Redis unreachable: changes are safe in the database; coalesce per process
            # until it is back, and let clients heal through resync.
            logger.warning("live: Redis window unavailable, coalescing per process")
            return await getattr(self.fallback, method)(*args)

    async def _run(self, session_id):
        try:
            if not await self._call("try_open", session_id):
                return  # another process holds the window and will flush
            window, flushes = WINDOW, 0
            while True:
                self.dirty.discard(session_id)
                began = self.loop.time()
                # The audience is counted now and then: it changes slowly.
                audience = await flush(
                    session_id, executor=FLUSH_EXECUTOR, count_audience=flushes % 20 == 0
                )
                flushes += 1
                if audience is not None:
                    window = min(MAX_WINDOW, max(WINDOW, audience / SENDS_PER_SECOND))
                # The window counts from the start of the flush: the frame rate holds even
                # when building a frame takes a while.
                await asyncio.sleep(max(0.0, began + window - self.loop.time()))
                dirty_here = session_id in self.dirty
                self.dirty.discard(session_id)
                if await self._call("renew", session_id, dirty_here):
                    continue
                # A change may have come in while the window was being given up.
                if session_id in self.dirty and await self._call("try_open", session_id):
                    continue
                return
        except Exception:
            logger.exception("live: broadcasting session %s failed", session_id)
        finally:
            self.owned.discard(session_id)


async def flush(session_id, *, executor=None, count_audience=False):
    """Build the update frames since the last broadcast and send them to both groups.
    Returns the session's audience (None if there was nothing to send)."""
    if executor is None:
        build = database_sync_to_async(build_update)
    else:
        build = in_db_thread(build_update, executor=executor)
    built = await build(session_id, count_audience=count_audience)
    if built is None:
        return None
    _seq, moderator_text, public_text, audience = built
    await _send_frames(session_id, moderator_text, public_text)
    return audience


async def _send_frames(session_id, moderator_text, public_text):
    layer = get_channel_layer()
    await layer.group_send(
        group_name(session_id, MODERATORS), {"type": "live.frame", "text": moderator_text}
    )
    await layer.group_send(
        group_name(session_id, PUBLIC), {"type": "live.frame", "text": public_text}
    )


def _flush_here(session_id):
    """Outside a server process: build the frames in this thread, on its own database
    connection (going through `database_sync_to_async` would close that connection under
    the caller, a request, task or command, which may still use it), then send them."""
    built = build_update(session_id, count_audience=False)
    if built is None:
        return
    _seq, moderator_text, public_text, _audience = built
    _outside_the_server(_send_frames, session_id, moderator_text, public_text)


_coalescer: Coalescer | None = None


def attach(loop):
    """Called by the consumer in the server's event loop: from now on changes committed in
    this process are coalesced there."""
    global _coalescer
    if _coalescer is None or _coalescer.loop is not loop:
        _coalescer = Coalescer(loop)
        # Votes run in worker threads, each a few database round trips; every return from
        # the database waits for the interpreter lock, which a busy event loop (writing
        # frames) hands over only every 5 ms by default. 1 ms lets votes through several
        # times faster when it matters (bench/live.py: at 1,500 participants the 95th
        # percentile halved) and costs nothing measurable otherwise.
        sys.setswitchinterval(SWITCH_INTERVAL)


def _in_server_loop():
    coalescer = _coalescer
    if coalescer is None or coalescer.loop.is_closed() or not coalescer.loop.is_running():
        return None
    return coalescer


def _outside_the_server(send, *args):
    """Send from a request, a task or a command. What was committed stays committed if the
    channel layer (Redis) is down: the request must not fail for it, and sockets catch up
    from the database when they reconnect or ping."""
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            async_to_sync(send)(*args)
        else:
            # A foreign event loop runs in this thread (a browser driver in a test, say),
            # where async_to_sync refuses to run: send from a thread of its own.
            _in_own_thread(async_to_sync(send), *args)
    except (RedisError, OSError) as error:
        logger.warning("live: the channel layer is unreachable, %s skipped: %s", send, error)


def _in_own_thread(function, *args):
    failures = []

    def run():
        try:
            function(*args)
        except Exception as error:  # raised again in the caller's thread
            failures.append(error)

    thread = threading.Thread(target=run, name="live-send")
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def changed(session_id):
    """A change to the session was committed: schedule a (coalesced) update. Safe to call
    from any thread; outside a server process (a command, a task, a test) it sends at once."""
    coalescer = _in_server_loop()
    if coalescer is None:
        _flush_here(session_id)
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is coalescer.loop:
        coalescer.mark(session_id)
    else:
        coalescer.loop.call_soon_threadsafe(coalescer.mark, session_id)


async def _revoke(session_id, participant_id):
    await get_channel_layer().group_send(
        group_name(session_id, PUBLIC),
        {"type": "access.revoked", "participant": participant_id},
    )


def revoke(session_id, *, participant_id=None):
    """Close the sockets of one participant (removed), or of all participants and
    projectors (the session ended), on every process."""
    _send_now(_revoke, session_id, participant_id)


async def _close_all(session_id):
    layer = get_channel_layer()
    for audience in (MODERATORS, PUBLIC):
        await layer.group_send(group_name(session_id, audience), {"type": "workshop.over"})


def close_all(session_id):
    """Close every socket of the session, moderators' included (the workshop is done or
    cancelled), on every process."""
    _send_now(_close_all, session_id)


def _send_now(send, *args):
    """Run a group send at once: on the server's loop if this is a server process (from
    any thread), else to completion here."""
    coalescer = _in_server_loop()
    if coalescer is None:
        _outside_the_server(send, *args)
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is coalescer.loop:
        coalescer.loop.create_task(send(*args))
    else:
        asyncio.run_coroutine_threadsafe(send(*args), coalescer.loop)
