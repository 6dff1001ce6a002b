"""Fixtures of the workshop tests: a running workshop with its live session, the ASGI
servers it is used through, and the people in it (tests/live_support.py)."""

from tests.live_support import (  # noqa: F401
    asgi_server,
    asgi_servers,
    live_people,
    live_session,
    live_workshop,
)
