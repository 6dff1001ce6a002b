"""The nightly purge run by a real Celery worker (prefork, its own processes): the task is
taken from Redis by the name beat uses, the worker reads the committed rows, removes what
has passed its period as its own clock sees it and logs the run. The worker's period for
mail texts comes from the environment (RETENTION_DAYS as JSON), as in production."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.celery import app
from participation import mail
from participation.models import Invitation, OutboundMail, RetentionRun
from tests.factories import WorkshopFactory
from tests.processes import CeleryWorker
from tests.services_support import PATIENCE, own_redis_url, sending_tasks_to, wait_until, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

UNUSED_SMTP_PORT = 9  # the purge sends no mail


@pytest.fixture
def worker(django_db_setup, tmp_path):
    with own_redis_url() as url, sending_tasks_to(url):
        env = worker_env(
            broker_url=app.conf.broker_url,
            smtp_port=UNUSED_SMTP_PORT,
            RETENTION_DAYS=json.dumps({"mail_bodies": 30}),
        )
        worker = CeleryWorker(env, tmp_path)
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


def sent_mail(days_ago):
    sent = mail.store_mail(
        to="olga@kreis.example",
        subject=f"Unterlagen vor {days_ago} Tagen",
        body_text="Guten Tag Frau Amtlich",
        body_html="<p>Guten Tag Frau Amtlich</p>",
        language="de",
    )
    OutboundMail.objects.filter(pk=sent.pk).update(
        status=OutboundMail.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return sent


def test_the_worker_runs_the_nightly_purge_by_its_name_and_logs_it(worker):
    ended = WorkshopFactory(
        start=timezone.now() - datetime.timedelta(days=45, hours=4),
        end=timezone.now() - datetime.timedelta(days=45),
    )
    Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(ended),
        event_id=ended.pk,
        email="gast@example.org",
        accessibility_needs="Rollstuhlplatz",
    )
    old, recent = sent_mail(45), sent_mail(10)

    app.send_task("participation.tasks.purge_expired")
    wait_until(
        lambda: RetentionRun.objects.filter(finished_at__isnull=False).exists(),
        timeout=PATIENCE,
        what="the retention run logged by the worker",
    )

    run = RetentionRun.objects.get()
    assert run.errors == {}
    # 45 days: past the 30 days for needs, and past the 30 days the environment sets for
    # mail texts (declared: 90); the mail of 10 days ago keeps its text.
    assert (run.counts["event_needs"], run.counts["mail_bodies"]) == (1, 1)
    assert Invitation.objects.get().accessibility_needs == ""
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.body_text, recent.body_text) == ("", "Guten Tag Frau Amtlich")
