"""Under ASGI each HTTP request runs in a thread of its own; the web server closes the
request's database connection when it ends (participation/request_connections.py). Kept
per thread, 71 of 96 connections stayed open after the requests below, and bench/pages.py
ran into PostgreSQL's "too many clients" at 32 concurrent clients."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.live_support import LiveServer, server_env
from tests.processes import wait_until
from tests.test_outages_database import fetch

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def server_connections():
    """Connections to this test database other than the test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_no_request_leaves_its_connection_open():
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL's connections")
    before = server_connections()
    server = LiveServer(server_env())
    try:
        server.wait_ready()
        with ThreadPoolExecutor(max_workers=24) as pool:
            statuses = list(pool.map(lambda _n: fetch(server.origin, "/impressum/")[0], range(96)))
        assert statuses == [200] * 96
        wait_until(
            lambda: server_connections() == before, timeout=10, what="the requests' connections"
        )
    finally:
        server.stop()
