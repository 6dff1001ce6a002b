"""What the outage tests share: a browser-like test client, requests on parallel threads, a
database that refuses, a real worker, the default cache on a Redis of the test's own. The
services themselves (Redis servers, the SMTP sink, the worker's environment) are in
tests/services_support.py."""

import re
import resource
import signal
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections
from django.test import Client, override_settings

from config.celery import app
from tests.processes import CeleryWorker
from tests.services_support import free_port, worker_env

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def browser(**headers):
    # The test client re-raises a view's exception by default; a browser sees the response.
    return Client(raise_request_exception=False, **headers)


def in_parallel(function, count):
    """Run `function(n)` on `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = function(n)
        except Exception as error:  # noqa: BLE001 - reported as the thread's result
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def link_token(message):
    """The personal link's token in an invitation mail."""
    return re.search(r"/invitation/([A-Za-z0-9_-]{43})/", message.body).group(1)


@contextmanager
def database_down():
    """The default connection pointed at a database that refuses: PostgreSQL on a port
    nobody listens on, SQLite in a directory that does not exist. A real failed connect."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/mitplanen.sqlite3"
    else:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(free_port())
    try:
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)


@contextmanager
def cache_on(redis_url):
    """The default cache (rate limits, throttles) as configured, on the Redis at
    `redis_url`."""
    configured = {**settings.CACHES["default"], "BACKEND": REDIS_CACHE, "LOCATION": redis_url}
    with override_settings(CACHES={"default": configured}):
        yield


@contextmanager
def running_worker(log_dir, **env):
    worker = CeleryWorker(worker_env(broker_url=app.conf.broker_url, **env), log_dir)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@contextmanager
def storage_that_cannot_write(limit_bytes=64 * 1024):
    """This process may write no file larger than `limit_bytes` (RLIMIT_FSIZE): a bigger
    upload's write fails in the kernel with EFBIG, as a full disk's fails with ENOSPC. With
    SIGXFSZ ignored, the write returns the error instead of ending the process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
