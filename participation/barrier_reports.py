"""The feedback mechanism of the accessibility statement: anyone reports a barrier, the
county's accessibility contact is told by mail, and coordinators mark a report answered.

Reports are limited per client address, as a public form that sends mail must be. Each
report takes its slot (one atomic increment in the shared cache) before it is stored and
mailed, so a burst of parallel submissions cannot all pass the check; a report refused as
invalid takes none. When the shared cache is unreachable the limit cannot be checked and the
form refuses (503) rather than sending unlimited mail."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import rate_limits
from .audit import record_action
from .mail import send_templated_mail
from .models import BarrierReport

RATE_SCOPE = "barrier-report"
REPORTS_PER_HOUR = 5


class TooManyReports(Exception):
    """This address sent REPORTS_PER_HOUR reports within the hour."""

    @property
    def message(self) -> str:
        return gettext(
            "You have sent several reports within the hour. Please try again "
            "later or write to the e-mail address in the accessibility statement."
        )


def report_barrier(report: BarrierReport, *, request, language: str) -> BarrierReport:
    """Store the report and mail it to the accessibility contact once it is committed.
    Raises ValidationError for an invalid report (no slot taken) and TooManyReports once
    the address has sent REPORTS_PER_HOUR within the hour."""
    report.language = language
    report.full_clean()
    if not rate_limits.take_slot(
        request, scope=RATE_SCOPE, limit=REPORTS_PER_HOUR, window_seconds=3600
    ):
        raise TooManyReports
    with transaction.atomic():
        report.save()
        send_templated_mail(
            "participation/mail/barrier_report",
            to=settings.ACCESSIBILITY_FEEDBACK_EMAIL,
            context={"report": report, "site_url": settings.SITE_URL},
            language="de",
        )
    return report


def mark_answered(report: BarrierReport, *, actor) -> BarrierReport:
    if report.answered_at is not None:
        return report
    with transaction.atomic():
        report.answered_at = timezone.now()
        report.answered_by = actor
        report.save(update_fields=["answered_at", "answered_by"])
        record_action(report, actor=actor, changes={"answered_at": [None, report.answered_at]})
    return report


def reports_for_coordinators():
    return BarrierReport.objects.select_related("answered_by").order_by(
        "answered_at", "-created_at"
    )
