"""Settings for the ASGI server processes the live-session tests start: the test settings,
but with real allowed hosts, so the WebSocket origin check has something to refuse."""

from config.settings.test import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
