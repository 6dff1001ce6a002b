"""Serve HTTP and WebSocket from one uvicorn process.

The first line printed names the mode, so whoever starts the app sees at once whether it
runs on SQLite and in-memory queues or on PostgreSQL and Redis."""

import ipaddress
import os
from urllib.parse import urlsplit

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _host_port(url, default_port):
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or default_port}"


def describe_mode():
    """One line naming the mode and where each service lives (never credentials)."""
    parts = []
    if connection.vendor == "postgresql":
        db = urlsplit(settings.DATABASE_URL)
        parts.append(f"PostgreSQL at {_host_port(settings.DATABASE_URL, 5432)}{db.path}")
    elif connection.vendor == "sqlite":
        parts.append("SQLite")
    else:
        parts.append(connection.display_name)

    if settings.REDIS_URL:
        parts.append(
            f"Redis at {_host_port(settings.REDIS_URL, 6379)} (channels, Celery broker, cache)"
        )
    else:
        parts.append("in-memory channel layer")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        parts.append("Celery tasks inline")
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        parts.append("e-mail to console")
    elif settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        parts.append(f"e-mail via SMTP at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")
    return f"mitplanen: {settings.RUN_MODE} mode — {', '.join(parts)}"


def trusted_proxies():
    """The setting TRUSTED_PROXIES, checked: a typo must not silently trust nobody, and '*'
    (anybody) would let every client choose its own address."""
    for entry in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise CommandError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from None
    return settings.TRUSTED_PROXIES


class Command(BaseCommand):
    help = "Serve the app (HTTP and WebSocket) with uvicorn."

    # The mode line must come first; the system checks run right after it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default: $PORT, else 8000")
        parser.add_argument(
            "--reload", action="store_true", help="restart when the code changes (development)"
        )

    def handle(self, *args, host, port, reload, **options):
        self.stdout.write(describe_mode())
        self.stdout.flush()
        self.check(display_num_errors=False)
        if port is None:
            try:
                port = int(os.environ.get("PORT") or 8000)
            except ValueError:
                raise CommandError("PORT must be a number.") from None
        proxies = trusted_proxies()
        uvicorn.run(
            "config.asgi:application",
            host=host,
            port=port,
            reload=reload,
            lifespan="off",
            # Live-session messages are at most 4 KB (the consumer closes bigger ones);
            # this keeps a client from making the server buffer megabytes first.
            ws_max_size=64 * 1024,
            # Request bodies are limited by the application (participation/request_limits.py);
            # these bound the connections and the request head.
            limit_concurrency=settings.SERVE_LIMIT_CONCURRENCY,
            h11_max_incomplete_event_size=settings.SERVE_MAX_HEADER_BYTES,
            log_level=os.environ.get("UVICORN_LOG_LEVEL", "info"),
            # Django's LOGGING configures uvicorn's loggers too, with its redaction filter.
            log_config=None,
            # X-Forwarded-For (and -Proto) count only from a configured proxy; uvicorn would
            # otherwise believe them from any client on this host.
            proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies,
        )
