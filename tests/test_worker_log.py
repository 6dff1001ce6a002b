"""A Celery worker's log goes through the same redaction as the web's: a personal link's
token in a task's arguments or its error never reaches the log."""

import secrets

import pytest

from config.celery import app
from tests.processes import CeleryWorker
from tests.services_support import own_redis_url, sending_tasks_to, wait_until, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(django_db_setup, tmp_path):
    with own_redis_url() as url, sending_tasks_to(url):
        worker = CeleryWorker(worker_env(broker_url=url, smtp_port=1), tmp_path)
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


def test_the_worker_log_holds_no_personal_link_token(worker):
    failing, unknown = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    # A task given a link instead of an id fails, naming its argument in the error.
    app.send_task("participation.tasks.deliver_mail", args=[f"/invitation/{failing}/"])
    # A task the worker does not know: Celery logs the whole message.
    app.send_task("participation.tasks.no_such_task", args=[f"/invitation/{unknown}/"])

    def logged():
        text = worker.log.read_text(errors="replace")
        return "no_such_task" in text and "deliver_mail" in text and "raised" in text

    wait_until(logged, timeout=60, what="both tasks in the worker's log")
    worker.stop()
    log = worker.log.read_text(errors="replace")

    assert "/invitation/[redacted]/" in log
    assert failing not in log
    assert unknown not in log
