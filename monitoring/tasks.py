import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from .models import DeliveryReminder
from .reminders import remind_not_submitted, rounds_due

logger = logging.getLogger(__name__)

RETRY_SECONDS = 300


@shared_task(name="monitoring.tasks.send_due_reminders", bind=True, max_retries=4)
def send_due_reminders(self):
    """Daily (beat): remind the suppliers that have not submitted their delivery of every
    open round whose reminder day (`remind_days_before` the window closes) has come; a day
    the task did not run is caught up on the next run, once. A second run the same day, a
    retry or a redelivery sends nothing twice. Returns the number of mails queued."""
    try:
        return _send_due_reminders()
    except DatabaseError as error:
        if self.request.is_eager:
            raise
        # Reminders already recorded are skipped on the retry, so retrying is safe.
        raise self.retry(exc=error, countdown=RETRY_SECONDS * 2**self.request.retries) from error


def _send_due_reminders():
    today = timezone.localdate()
    sent = 0
    for round_ in rounds_due(today=today):
        try:
            result = remind_not_submitted(
                round_, actor=None, kind=DeliveryReminder.Kind.AUTO, today=today
            )
        except ValidationError:
            continue
        sent += result.sent
        if result.without_contact:
            # The coordinators see the suppliers on the round's page as well.
            logger.warning(
                "delivery round %s: no contact person with an e-mail address at %s",
                round_.pk,
                ", ".join(organisation.name for organisation in result.without_contact),
            )
    return sent
