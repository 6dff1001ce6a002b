import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from participation.responses import automatic_reminder_due

from .models import Consultation, ConsultationReminder
from .reminders import remind_missing
from .services import close_consultation

logger = logging.getLogger(__name__)

RETRY_SECONDS = 300


@shared_task(name="consultations.tasks.send_due_reminders", bind=True, max_retries=4)
def send_due_reminders(self):
    """Daily (beat): remind the consulted organisations without a released statement of
    every open consultation whose deadline is CONSULTATION_REMINDER_DAYS_BEFORE days away.
    A second run the same day, a retry or a redelivery sends nothing twice. Returns the
    number of mails queued."""
    try:
        return _send_due_reminders()
    except DatabaseError as error:
        if self.request.is_eager:
            raise
        # Reminders already recorded are skipped on the retry, so retrying is safe.
        raise self.retry(exc=error, countdown=RETRY_SECONDS * 2**self.request.retries) from error


def _send_due_reminders():
    today = timezone.localdate()
    days_before = datetime.timedelta(days=settings.CONSULTATION_REMINDER_DAYS_BEFORE)
    # Every deadline the reminder's day has come for: a day the task did not run is caught
    # up on the next run, once (automatic_reminder_due).
    candidates = Consultation.objects.filter(
        status=Consultation.Status.OPEN, deadline__gte=today, deadline__lte=today + days_before
    ).order_by("pk")
    consultations = [
        consultation
        for consultation in candidates
        if automatic_reminder_due(
            consultation.reminders,
            reminder_day=consultation.deadline - days_before,
            open_since=consultation.opened_at and timezone.localdate(consultation.opened_at),
            today=today,
        )
    ]
    sent = 0
    for consultation in consultations:
        result = remind_missing(consultation, actor=None, kind=ConsultationReminder.Kind.AUTO)
        sent += result.sent
        if result.without_contact:
            logger.warning(
                "consultation %s: no contact person with an e-mail address at %s",
                consultation.pk,
                ", ".join(organisation.name for organisation in result.without_contact),
            )
    return sent


@shared_task(name="consultations.tasks.close_ended", bind=True, max_retries=4)
def close_ended(self):
    """Daily (beat): close every open consultation whose deadline and every extension have
    passed, so no statement changes any more. Closing twice is refused by the service, so
    a second run or a retry changes nothing. Returns the number closed."""
    try:
        return _close_ended()
    except DatabaseError as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=RETRY_SECONDS * 2**self.request.retries) from error


def _close_ended():
    closed = 0
    ended = Consultation.objects.filter(
        status=Consultation.Status.OPEN, deadline__lt=timezone.localdate()
    ).order_by("pk")
    for consultation in ended:
        try:
            close_consultation(consultation, actor=None)
        except ValidationError:
            continue  # an organisation's extension runs on; closed on a later day
        closed += 1
    return closed
