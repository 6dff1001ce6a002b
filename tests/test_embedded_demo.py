"""`make run` on a fresh machine: the embedded SQLite database with the demo data. The
suite runs on PostgreSQL, so SQL written by hand for it (JSON operators, arrays) would
break only the demo; this walks the pages built on such SQL there."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def manage(env, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


@pytest.mark.slow
def test_the_demo_on_sqlite_answers_the_pages_built_on_handwritten_sql(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        SQLITE_PATH=str(tmp_path / "demo.sqlite3"),
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(settings.BASE_DIR),
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    manage(env, "ensure_demo_coordinator", "--force")
    manage(env, "ensure_demo_member", "--force")

    walk = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "tests" / "embedded_demo_pages.py")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert walk.returncode == 0, walk.stderr[-3000:]
    answers = [line.split(" ", 2) for line in walk.stdout.splitlines()]
    assert len(answers) > 20
    assert {url for _status, _role, url in answers} >= {
        "/consultations/2/weighing/",
        "/monitoring/rounds/1/export.xlsx",
    }
    failed = [line for line in answers if line[0] != "200"]
    assert failed == [], walk.stderr[-3000:]
