"""Under ASGI, Django runs each HTTP request's synchronous code in a thread of its own. A
database connection kept for reuse (`CONN_MAX_AGE`) belongs to its thread, so once the
thread ends nobody reuses it, and it stays open until PostgreSQL refuses new connections
(bench/pages.py reached that at 32 concurrent clients). The web server therefore closes an
HTTP request's connections when the request ends (config/asgi.py). Live sockets, whose
database calls run on a few long-lived threads, keep theirs."""

from django.db import connections


def close_request_connections(**kwargs):
    for connection in connections.all(initialized_only=True):
        # A test's transaction around the request (an in-process client) stays open.
        if not connection.in_atomic_block:
            connection.close()
