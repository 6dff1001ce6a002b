"""Requesting a committee report and building its files in the worker.

`request_report` checks the period, records the request (with an audit entry naming the
coordinator) and, after commit, hands the build to the worker; `build_report` (the task
`build_committee_report`) reads the apps' parts once and writes PDF, DOCX and XLSX, moving
the progress the page shows as it goes. If the broker is down the request stays waiting
(the page says so) and `build_waiting_reports`, every five minutes, builds it."""

import datetime

from auditlog.context import set_actor
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from participation.documents.pdf import PdfUnavailable
from participation.queueing import enqueue_each

from . import committee
from .models import CommitteeReport

# How far the build has come after each step, in percent.
READ, PDF_WRITTEN, DOCX_WRITTEN = 25, 70, 90


def request_report(*, start, end, actor) -> CommitteeReport:
    """Record a request for the report of `start` to `end` (both included) and queue its
    build after commit. An empty or inverted period raises `committee.PeriodError`."""
    committee.check_period(start, end)
    with transaction.atomic(), set_actor(actor):
        report = CommitteeReport.objects.create(start=start, end=end, requested_by=actor)
        transaction.on_commit(lambda: enqueue_each(build_committee_report, [(report.pk,)]))
    return report


def _advance(report, **fields):
    for name, value in fields.items():
        setattr(report, name, value)
    CommitteeReport.objects.filter(pk=report.pk).update(**fields)


def build_report(report_id):
    """Build the files of a report not finished yet; a finished one (built or failed) is left
    alone. A report left "being built" by a worker that was lost is built again when Redis
    hands its task out again; should two workers build it at once, both write the same
    bytes."""
    with transaction.atomic():
        report = (
            CommitteeReport.objects.select_for_update(skip_locked=True)
            .filter(
                pk=report_id,
                status__in=[CommitteeReport.Status.QUEUED, CommitteeReport.Status.RUNNING],
            )
            .first()
        )
        if report is None:
            return
        _advance(report, status=CommitteeReport.Status.RUNNING, progress=5)
    try:
        content = committee.report_content(report.start, report.end)
        _advance(report, progress=READ)
        pdf = committee.build_pdf(content)
        _advance(report, progress=PDF_WRITTEN)
        docx = committee.build_docx(content)
        _advance(report, progress=DOCX_WRITTEN)
        xlsx = committee.build_xlsx(content)
    except PdfUnavailable as error:
        _advance(report, status=CommitteeReport.Status.FAILED, failure=str(error))
        return
    except Exception as error:
        _advance(report, status=CommitteeReport.Status.FAILED, failure=repr(error))
        raise
    _advance(
        report,
        status=CommitteeReport.Status.DONE,
        progress=100,
        pdf=pdf,
        docx=docx,
        xlsx=xlsx,
        finished_at=timezone.now(),
    )


@shared_task(name="overview.tasks.build_committee_report", acks_late=True)
def build_committee_report(report_id):
    build_report(report_id)


# A queued build normally starts within seconds; one waiting longer was never handed over.
WAITING_SINCE = datetime.timedelta(minutes=2)


def build_waiting_reports(*, now=None) -> int:
    """Build the reports whose task never reached the broker (still waiting after a couple
    of minutes); how many."""
    since = (now or timezone.now()) - WAITING_SINCE
    waiting = list(
        CommitteeReport.objects.filter(
            status=CommitteeReport.Status.QUEUED, requested_at__lt=since
        ).values_list("pk", flat=True)
    )
    for report_id in waiting:
        build_report(report_id)
    return len(waiting)


@shared_task(name="overview.tasks.build_waiting_reports")
def build_waiting_reports_task():
    build_waiting_reports()


def rebuild_finished_reports() -> int:
    """Build every finished report again (after an erasure: its files may name the erased
    person, the new ones name their role); the files go at once, the build is queued after
    commit. Returns how many."""
    reports = CommitteeReport.objects.filter(status=CommitteeReport.Status.DONE)
    ids = list(reports.values_list("pk", flat=True))
    reports.update(
        status=CommitteeReport.Status.QUEUED,
        progress=0,
        pdf=None,
        docx=None,
        xlsx=None,
        finished_at=None,
    )
    if ids:
        transaction.on_commit(lambda: enqueue_each(build_committee_report, [(pk,) for pk in ids]))
    return len(ids)
