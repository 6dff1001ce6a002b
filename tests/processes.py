"""Starting and stopping the project's server processes for the tests and for bench/: uvicorn
serving an ASGI application, and a Celery worker (`celery -A config worker`). Plain classes
and functions, no pytest: the fixtures live in tests/, and the bench scripts (run with the
repository root on sys.path) import this module too.

Each process runs from the repository root with the environment it is given; the caller
decides settings, database and broker."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import closing, suppress
from pathlib import Path

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout, what, interval=0.05, retrying=()):
    """Until `check()` is true; exceptions of the `retrying` types count as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except retrying:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def cpu_seconds(pid):
    """CPU time (user + system) the process has used so far, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def smtp_env(port):
    """The settings (as environment) that send mail over plain SMTP to 127.0.0.1:`port`."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }


class UvicornServer:
    """uvicorn serving `application` ("module:attribute") on 127.0.0.1, at a free port unless
    `port` is given; started at once, `wait_ready()` waits until it accepts connections, so
    that several can start side by side. `options` are further uvicorn options."""

    def __init__(self, application, *, env, port=None, options=()):
        self.port = port or free_port()
        command = [sys.executable, "-m", "uvicorn", application]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--lifespan", "off"]
        command += ["--ws-max-size", "65536", "--log-level", "warning", *options]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server on port {self.port} exited")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the server on port {self.port} did not start")

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class CeleryWorker:
    """`celery -A config worker` (prefork) in a process group of its own, so that it can be
    killed with its pool processes. Each start gets a fresh hostname (`<label>-…@localhost`)
    and log file (`<label>-<start>.log` in `log_dir`). `launch()` and `wait_ready()` let
    several workers start side by side; `start()` does both."""

    def __init__(self, env, log_dir, *, label="worker", concurrency=2):
        self.env = env
        self.log_dir = Path(log_dir)
        self.label = label
        self.concurrency = concurrency
        self.process = None
        self.starts = 0

    def launch(self):
        self.starts += 1
        self.name = f"{self.label}-{uuid.uuid4().hex[:8]}@localhost"
        self.log = self.log_dir / f"{self.label}-{self.starts}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
        command += [f"--concurrency={self.concurrency}", f"--hostname={self.name}"]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready(self):
        """Whether it answers a ping (through this process's Celery app and broker)."""
        if self.process.poll() is not None:
            raise RuntimeError(f"the worker exited: {self.log.read_text()[-3000:]}")
        return bool(celery_app.control.ping(destination=[self.name], timeout=0.3, limit=1))

    def wait_ready(self, timeout):
        try:
            wait_until(self.ready, timeout=timeout, what=f"worker {self.name} (log: {self.log})")
        except BaseException:
            self.kill()
            raise

    def start(self, timeout=120):
        self.launch()
        self.wait_ready(timeout)

    def kill(self):
        """SIGKILL to the main process and its pool processes at once: nothing is cleaned up,
        nothing acknowledged, no connection closed politely."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout=15):
        self.process.terminate()  # warm shutdown: running tasks finish
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        self.kill()  # whatever is left of it

    def resumed(self):
        """How many items `resume_unsent` queued again when this worker started (its log
        says), or None before it has run."""
        for line in self.log.read_text(errors="replace").splitlines():
            if "resume_unsent" in line and "succeeded" in line:
                return int(line.rsplit(":", 1)[1])
        return None
