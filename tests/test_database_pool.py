"""The web server's request threads share a bounded pool of database connections: under ASGI
each request runs in a thread of its own, and a connection kept per thread stayed open after
its thread ended until PostgreSQL refused new ones (bench/pages.py, 32 clients)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.live_support import LiveServer, server_env
from tests.test_outages_database import fetch

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

POOL_SIZE = 3


def server_connections():
    """Connections to this test database other than the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_concurrent_requests_share_the_web_processs_bounded_pool():
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's (psycopg_pool)")
    before = server_connections()
    server = LiveServer({**server_env(), "DATABASE_POOL_MAX_SIZE": str(POOL_SIZE)})
    try:
        server.wait_ready()
        with ThreadPoolExecutor(max_workers=24) as pool:
            statuses = list(pool.map(lambda _n: fetch(server.origin, "/impressum/")[0], range(96)))
        held = server_connections() - before
    finally:
        server.stop()
    assert statuses == [200] * 96
    assert 1 <= held <= POOL_SIZE
