"""/healthz: the state of each service the app depends on, and the mode it runs in."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

CHECK_TIMEOUT = 2.0


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"backend": connection.vendor}


def check_cache():
    """The shared cache the rate limits count in: a write and a read of one key."""
    token = uuid.uuid4().hex
    key = f"healthz:{token}"  # one key per check: processes checking at once never meet
    cache.set(key, token, timeout=10)
    try:
        if cache.get(key) != token:
            raise RuntimeError("cache returned a different value")
    finally:
        cache.delete(key)
    return {"backend": type(caches["default"]).__name__}


def check_channel_layer():
    layer = get_channel_layer()
    channel = async_to_sync(_round_trip)(layer)
    return {"backend": type(layer).__name__, "channel": channel.split("!")[0]}


async def _round_trip(layer):
    channel = await layer.new_channel()
    token = uuid.uuid4().hex
    async with asyncio.timeout(CHECK_TIMEOUT):
        await layer.send(channel, {"type": "health.check", "token": token})
        message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("channel layer returned a different message")
    return channel


def check_broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"backend": "inline"}
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=CHECK_TIMEOUT,
        transport_options={
            "socket_timeout": CHECK_TIMEOUT,
            "socket_connect_timeout": CHECK_TIMEOUT,
        },
    ) as broker:
        broker.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT
        )
        return {"backend": broker.transport_cls}


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}


@never_cache
def healthz(request):
    result = {"mode": settings.RUN_MODE}
    healthy = True
    for name, check in CHECKS.items():
        try:
            result[name] = {"ok": True, **check()}
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            healthy = False
            result[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(result, status=200 if healthy else 503)
