"""The committee report built by a real Celery worker (prefork, its own processes): the
request is taken from Redis, the worker reads the committed rows, moves the progress and
keeps the files, which are byte for byte what this process builds for the same period."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfReader

from config.celery import app
from overview import committee, report_jobs
from overview.models import CommitteeReport
from participation.models import Invitation, Reply
from tests.factories import PersonFactory, WorkshopFactory
from tests.processes import CeleryWorker
from tests.services_support import PATIENCE, own_redis_url, sending_tasks_to, wait_until, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
UNUSED_SMTP_PORT = 9  # the report sends no mail


@pytest.fixture
def worker(django_db_setup, tmp_path):
    with own_redis_url() as url, sending_tasks_to(url):
        worker = CeleryWorker(
            worker_env(broker_url=app.conf.broker_url, smtp_port=UNUSED_SMTP_PORT), tmp_path
        )
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


def finished(report):
    report.refresh_from_db()
    return report.is_finished


def test_worker_builds_the_committee_report_with_the_same_bytes(worker, coordinator):
    workshop = WorkshopFactory(
        title="Fachworkshop Wohnen",
        start=datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC),
        registration_deadline=datetime.datetime(2026, 3, 3, 8, 0, tzinfo=datetime.UTC),
    )
    for number in range(4):
        person = PersonFactory()
        Invitation.objects.create(
            event_type=ContentType.objects.get_for_model(workshop),
            event_id=workshop.pk,
            person=person,
            email=person.email,
            name=person.full_name,
            reply=Reply.ACCEPTED,
            checked_in_at=workshop.start if number else None,
        )

    report = report_jobs.request_report(start=START, end=END, actor=coordinator)
    wait_until(lambda: finished(report), timeout=PATIENCE, what="the report built by the worker")

    assert report.status == CommitteeReport.Status.DONE, report.failure
    assert report.progress == 100
    here = committee.report_content(START, END)
    assert bytes(report.pdf) == committee.build_pdf(here)
    assert bytes(report.docx) == committee.build_docx(here)
    assert bytes(report.xlsx) == committee.build_xlsx(here)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf)).pages).split()
    )
    assert "Durchgeführte Workshops: 1. Eingecheckte Teilnehmende: 3." in text
    assert "Fachworkshop Wohnen" in text
