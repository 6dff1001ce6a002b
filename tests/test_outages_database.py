"""PostgreSQL restarted under a running web server and worker: a PostgreSQL instance of the
test's own (tests/services_support.py; the machine's shared server is never touched)
holding a copy of the migrated test database. Requests during the outage answer 503 with
Retry-After; the first request after it succeeds without restarting the web process (its
kept connection is checked before reuse); a mail task running meanwhile is retried and
sends its mail once."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.live_support import LiveServer, server_env
from tests.outage_support import running_worker
from tests.processes import ROOT
from tests.services_support import (
    PATIENCE,
    own_redis_url,
    sending_tasks_to,
    smtp_sink,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def fetch(origin, path):
    """Status, headers and text of a GET, as a browser gets them."""
    request = urllib.request.Request(origin + path, headers={"Accept-Language": "de"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def web_server(own_postgres):
    env = {**server_env(), "DATABASE_URL": own_postgres.copy_of_the_test_database()}
    server = LiveServer(env)
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def test_a_database_restart_answers_503_meanwhile_and_needs_no_web_restart(
    own_postgres, web_server
):
    page = "/impressum/"  # read from the database, for anonymous visitors too
    assert fetch(web_server.origin, page)[0] == 200

    own_postgres.stop()
    status, headers, text = fetch(web_server.origin, page)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in text
    status, _headers, health = fetch(web_server.origin, "/healthz")
    assert status == 503 and '"database": {"ok": false' in health

    own_postgres.start()
    assert fetch(web_server.origin, page)[0] == 200
    # Restarted between two requests: the connection kept from the last one is dead, and
    # the next request notices before using it.
    own_postgres.stop()
    own_postgres.start()
    assert fetch(web_server.origin, page)[0] == 200
    assert fetch(web_server.origin, "/healthz")[0] == 200


QUEUE_ONE_MAIL = """
from django.db import transaction
from participation import mail
with transaction.atomic():
    mail.queue_mail(to="neustart@extern.example", subject="Einladung", body_text="Hallo",
                    body_html="", language="de")
"""


def test_a_mail_task_running_while_the_database_restarts_is_retried_and_sends_once(
    own_postgres, tmp_path
):
    database = own_postgres.copy_of_the_test_database()
    with own_redis_url() as broker, sending_tasks_to(broker), smtp_sink() as (port, sink):
        # The mail is saved and its task handed to the broker; no worker runs yet.
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", QUEUE_ONE_MAIL],
            cwd=ROOT,
            env=worker_env(broker_url=broker, smtp_port=port, DATABASE_URL=database),
            check=True,
        )
        own_postgres.stop()
        with running_worker(
            tmp_path, smtp_port=port, DATABASE_URL=database, MAIL_RETRY_SECONDS="1"
        ) as worker:
            wait_until(
                lambda: (
                    "deliver_mail" in worker.log.read_text()
                    and "Retry in" in worker.log.read_text()
                ),
                timeout=PATIENCE,
                what="the mail task to meet the stopped database and be retried",
            )
            assert len(sink) == 0
            own_postgres.start()
            wait_until(lambda: len(sink) >= 1, timeout=PATIENCE, what="the mail")
            time.sleep(3)  # time for a second delivery, if anything were to send one

    assert [rcpts for rcpts, _message in sink.messages] == [("neustart@extern.example",)]
    recorded = subprocess.run(
        ["psql", database, "-tAc", "SELECT status FROM participation_outboundmail"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert recorded == ["sent"]
