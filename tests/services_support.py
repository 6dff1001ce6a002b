"""Real services for the tests that need them: throwaway `redis-server`s that a test can stop
and start again, an SMTP server that keeps what it receives, and the environment of a real
Celery worker (tests/processes.py starts it) on the test database. Shared by the worker,
health and outage tests."""

import asyncio
import contextlib
import email
import email.policy
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.processes import free_port, smtp_env, wait_until

# Upper bounds for every wait: generous for a loaded machine (starting a worker there can take
# 20 s); on an idle one each wait ends in a fraction of that.
PATIENCE = 120


# --- the SMTP server --------------------------------------------------------------------------


class Sink:
    """An aiosmtpd handler keeping every message it accepts, parsed. While `holding()`, the
    end of each message waits for `release()`: before the message is accepted (a client that
    dies meanwhile has delivered nothing), or after it is accepted, with the "250" reply held
    back."""

    def __init__(self):
        self._lock = threading.Lock()
        self._messages = []
        self._hold = None
        self._released = threading.Event()
        self.held = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if self._hold == "before accepting":
            await self._wait_for_release()  # cancelled if the client's connection is lost
        with self._lock:
            self._messages.append((tuple(envelope.rcpt_tos), message))
        if self._hold == "after accepting":
            await self._wait_for_release()
        return "250 OK"

    async def _wait_for_release(self):
        with self._lock:
            self.held += 1
        try:
            while not self._released.is_set():
                await asyncio.sleep(0.01)
        finally:
            with self._lock:
                self.held -= 1

    @contextmanager
    def holding(self, *, after_accepting=False):
        self._released.clear()
        self._hold = "after accepting" if after_accepting else "before accepting"
        try:
            yield
        finally:
            self._hold = None
            self.release()

    def release(self):
        self._released.set()

    def clear(self):
        with self._lock:
            self._messages.clear()

    @property
    def messages(self):
        with self._lock:
            return list(self._messages)

    def __len__(self):
        with self._lock:
            return len(self._messages)

    def to(self, address):
        return [message for rcpts, message in self.messages if address in rcpts]

    def per_recipient(self):
        return Counter(rcpt for rcpts, _message in self.messages for rcpt in rcpts)


@contextmanager
def smtp_sink(port=None):
    """An SMTP server on `port` (a free one if not given); yields its port and the `Sink`
    of what it accepted."""
    quiet = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()
        quiet.setLevel(level)


@contextmanager
def silent_server(port=None):
    """A TCP server on `port` (a free one if not given) that accepts every connection and
    never says a word (a hung SMTP server or Redis, a half-open network path); yields its
    port."""
    listener = socket.create_server(("127.0.0.1", port or free_port()))
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A `redis-server` of the test's own on a free port (no other run's worker can take
    these tasks: several checkouts may run the suite on one machine at once). `stop()` is a
    real outage; `start()` brings it back on the same port, empty."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.url), timeout=10, what=f"redis-server on port {self.port}")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def redis_server():
    server = RedisServer()
    try:
        yield server.start()
    finally:
        server.stop()


def answers(url):
    try:
        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def throwaway_redis():
    """A Redis of this test's own (a `RedisServer`); the machine's shared Redis is never
    touched."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with redis_server() as server:
        yield server


@contextmanager
def own_redis_database():
    """Without a `redis-server` to start: the suite's Redis server, a database number of the
    worker tests' own (15, or 14 when the suite uses 15), emptied before and after."""
    parts = urlsplit(settings.REDIS_URL)
    suite_db = int(parts.path.strip("/") or 0)
    url = urlunsplit(parts._replace(path=f"/{14 if suite_db == 15 else 15}"))
    redis.Redis.from_url(url).flushdb()
    try:
        yield url
    finally:
        redis.Redis.from_url(url).flushdb()


@contextmanager
def own_redis_url():
    """A Redis for tasks nobody else takes: a `redis-server` of its own, or else a database
    of its own on the suite's server."""
    if shutil.which("redis-server"):
        with redis_server() as server:
            yield server.url
    else:
        with own_redis_database() as url:
            yield url


def _reset_producer_pool():
    # The next task sent picks its connection pool for the broker URL configured then (kombu
    # keeps one pool per URL, so the old one stays usable for whoever comes next).
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def sending_tasks_to(url):
    """This process sends its tasks to the broker at `url` instead of running them inline:
    the Celery app read the (eager) test settings once, so its own configuration is
    switched, and restored afterwards."""
    saved = app.conf.task_always_eager, app.conf.broker_url
    _reset_producer_pool()
    app.conf.task_always_eager, app.conf.broker_url = False, url
    try:
        yield
    finally:
        _reset_producer_pool()
        app.conf.task_always_eager, app.conf.broker_url = saved


# --- PostgreSQL -------------------------------------------------------------------------------

PG_BIN = "/usr/lib/postgresql/15/bin"


class PostgresServer:
    """A PostgreSQL instance of the test's own (initdb into a temporary directory, a free
    port), which a test may stop and start: the machine's shared server is never touched.
    As root, the server runs as the user `postgres` (PostgreSQL refuses to run as root)."""

    def __init__(self, directory):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def unavailable_reason():
        if not os.path.exists(f"{PG_BIN}/initdb"):
            return f"PostgreSQL's initdb is not installed in {PG_BIN}"
        if os.geteuid() == 0 and not shutil.which("runuser"):
            return "running as root without runuser: initdb refuses to run as root"
        return None

    def _run(self, *command):
        subprocess.run(
            [*self.as_user, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self):
        if self.as_user:
            shutil.chown(self.directory, user="postgres")
        self._run(f"{PG_BIN}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._run(f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")
        return self

    def stop(self):
        """A fast shutdown: every connection is cut, as in a restart."""
        self._run(f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def copy_of_the_test_database(self, name="mitplanen"):
        """A database `name` holding what the test database holds now (its schema from the
        migrations and its rows): the web server and worker on this instance see them."""
        source = worker_database_url()
        subprocess.run(["psql", self.url(), "-qc", f"CREATE DATABASE {name}"], check=True)
        dump = subprocess.run(["pg_dump", "--no-owner", source], check=True, capture_output=True)
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return self.url(name)


@pytest.fixture
def own_postgres():
    """A running `PostgresServer` of this test's own; skipped where none can be started."""
    reason = PostgresServer.unavailable_reason()
    if reason:
        pytest.skip(reason)
    # Not under pytest's temporary directory: as root that is closed to the user postgres.
    directory = Path(tempfile.mkdtemp(prefix="mitplanen-postgres-"))
    server = PostgresServer(directory).init().start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


# --- the worker -------------------------------------------------------------------------------


def worker_database_url():
    """DATABASE_URL with the name of the database pytest-django created."""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def worker_env(*, broker_url, smtp_port, **overrides):
    """A worker's environment: the local settings (eager off, mail over SMTP to
    127.0.0.1:`smtp_port`) on the test database and the broker at `broker_url`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **smtp_env(smtp_port),
        **overrides,
    }
