"""The worker's pool: two processes per core unless the installation says otherwise, as read
by the Celery app the worker starts from (delivering mail waits on SMTP replies and commits,
so one process per core leaves the cores idle; bench/invitations.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def worker_concurrency(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MITPLANEN_", "DJANGO_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50, **extra
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from config.celery import app;"
            " print(app.conf.worker_concurrency)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def test_the_worker_runs_two_processes_per_core():
    assert worker_concurrency() == 2 * os.cpu_count()


@pytest.mark.parametrize("processes", ["1", "6"])
def test_the_installation_sets_the_worker_processes(processes):
    assert worker_concurrency(CELERY_WORKER_CONCURRENCY=processes) == int(processes)
