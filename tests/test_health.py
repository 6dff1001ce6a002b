import os
import subprocess
import sys
import threading
import time
import urllib.request
from queue import Empty, Queue

import pytest
from django.conf import settings
from django.test import override_settings

from tests.services_support import free_port, wait_until


@pytest.mark.django_db
def test_healthz_reports_mode_and_every_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["mode"] == settings.RUN_MODE
    assert body["status"] == "ok"
    for service in ("database", "channel_layer", "broker"):
        assert body[service]["ok"] is True, body


@pytest.mark.services
@pytest.mark.django_db
def test_healthz_answers_503_when_redis_goes_away(client, throwaway_redis):
    url = throwaway_redis.url
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "max_connections": 10}]},
        }
    }
    with override_settings(
        CHANNEL_LAYERS=layers, CELERY_BROKER_URL=url, CELERY_TASK_ALWAYS_EAGER=False
    ):
        up = client.get("/healthz")
        assert up.status_code == 200, up.json()
        assert up.json()["broker"]["backend"] == "redis"
        assert up.json()["channel_layer"]["backend"] == "RedisPubSubChannelLayer"

        throwaway_redis.stop()
        started = time.monotonic()
        down = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert down.status_code == 503
    body = down.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["channel_layer"]["ok"] is False
    assert body["broker"]["ok"] is False
    assert elapsed < 10, "a dead Redis must not make /healthz hang"


def test_serve_says_embedded_mode_first_and_answers_healthz(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        SQLITE_PATH=str(tmp_path / "serve.sqlite3"),
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Queue()
    # Drain the output so the server never blocks on a full pipe.
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        try:
            first = lines.get(timeout=30)
        except Empty:
            pytest.fail("serve printed nothing within 30 s")
        assert first.startswith("mitplanen: embedded mode — SQLite")
        assert "in-memory channel layer" in first

        def healthz():
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()

        wait_until(lambda: healthz()[0] == 200, timeout=30, what="/healthz", retrying=(OSError,))
        status, body = healthz()
        assert status == 200
        assert b'"mode": "embedded"' in body
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
