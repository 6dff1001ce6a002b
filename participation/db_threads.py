"""How sockets reach the database (the socket door, live sessions' consumers and
broadcasts): a worker thread, as Channels' `database_sync_to_async`, with its handling of
stale connections, except the health check of a connection that this very thread used
moments ago.

With CONN_HEALTH_CHECKS (config/settings/base.py) Django checks a kept connection with a
`SELECT 1` before each reuse, and Channels asks for that check before every call. A vote is
a handful of statements; under load the same few threads carry one vote after another, and
the check was one round trip in every seven or eight, each waiting for the interpreter lock
on its way back. Here a connection this thread used within the last FRESH_FOR seconds is not
checked again; one idle for longer is, as before. Everything else stays Channels' and
Django's: connections that saw errors are checked (and closed if unusable), connections past
their CONN_MAX_AGE are closed, before and after every call.

What this gives up: if PostgreSQL restarts within FRESH_FOR seconds of a thread's last
statement, that thread's next call fails once (as any call fails while the database is down)
instead of reconnecting first; its connection is closed after the failure and the call after
it connects afresh."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.db import close_old_connections, connections

FRESH_FOR = 1.0  # seconds

_pool = None
_pool_lock = threading.Lock()


def socket_threads() -> ThreadPoolExecutor:
    """The process's threads for sockets' database work (SOCKET_DB_THREADS of them), made
    on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.SOCKET_DB_THREADS, thread_name_prefix="socket-db"
            )
        return _pool


class _InDbThread(DatabaseSyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        now = time.monotonic()
        for connection in connections.all(initialized_only=True):
            used_at = getattr(connection, "live_used_at", None)
            if (
                connection.connection is not None
                and not connection.errors_occurred
                and used_at is not None
                and now - used_at < FRESH_FOR
            ):
                connection.health_check_done = True
        try:
            return super(DatabaseSyncToAsync, self).thread_handler(loop, *args, **kwargs)
        finally:
            close_old_connections()
            now = time.monotonic()
            for connection in connections.all(initialized_only=True):
                if connection.connection is not None and not connection.errors_occurred:
                    connection.live_used_at = now
                else:
                    connection.live_used_at = None


def in_db_thread(function, executor=None):
    """`function` in a worker thread (any of `socket_threads()`, or of `executor`), off
    Channels' single database thread: the votes of many sockets then wait for the database
    side by side (they meet only at the session row, for as long as it takes to raise its
    seq), instead of in one queue. Each worker thread keeps its own connection."""
    return _InDbThread(function, thread_sensitive=False, executor=executor or socket_threads())
