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


QUEUE_MAIL_TO = """
import os
from django.db import transaction
from participation import mail
with transaction.atomic():
    mail.queue_mail(to=os.environ["MAIL_TO"], subject="Einladung", body_text="Hallo",
                    body_html="", language="de")
"""


def worker_sessions(database):
    """The start times of the database sessions other than psql's own: the worker's."""
    return set(
        subprocess.run(
            [
                "psql",
                database,
                "-tAc",
                "SELECT backend_start FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    ) - {""}


def test_a_worker_keeps_its_database_session_across_tasks_and_survives_a_restart_between(
    own_postgres, tmp_path
):
    database = own_postgres.copy_of_the_test_database()
    with own_redis_url() as broker, sending_tasks_to(broker), smtp_sink() as (port, sink):
        env = worker_env(broker_url=broker, smtp_port=port, DATABASE_URL=database)

        def queue_mail_to(address):
            subprocess.run(
                [sys.executable, "manage.py", "shell", "-c", QUEUE_MAIL_TO],
                cwd=ROOT,
                env={**env, "MAIL_TO": address},
                check=True,
            )

        # Retried only after a minute: a mail that needs a retry does not arrive in time.
        with running_worker(
            tmp_path, smtp_port=port, DATABASE_URL=database, MAIL_RETRY_SECONDS="60"
        ) as worker:
            queue_mail_to("erste@extern.example")
            wait_until(lambda: len(sink) >= 1, timeout=PATIENCE, what="the first mail")
            time.sleep(1)  # the task's end, with its connection handling
            kept = worker_sessions(database)
            assert kept, "the worker closed its database session after the task"
            queue_mail_to("zweite@extern.example")
            wait_until(lambda: len(sink) >= 2, timeout=PATIENCE, what="the second mail")
            time.sleep(1)
            assert kept <= worker_sessions(database)  # the same session served the task

            # Restarted between two tasks: the kept session is dead, and the next task
            # notices before using it instead of failing and waiting for its retry.
            own_postgres.stop()
            own_postgres.start()
            queue_mail_to("dritte@extern.example")
            wait_until(lambda: len(sink) >= 3, timeout=30, what="the third mail, not retried")
            assert "Retry in" not in worker.log.read_text()

    assert sorted(rcpts for rcpts, _message in sink.messages) == [
        ("dritte@extern.example",),
        ("erste@extern.example",),
        ("zweite@extern.example",),
    ]
