import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min, Q
from django.utils import timezone

from participation.responses import automatic_reminder_due

from .models import Survey, SurveyReminder
from .reminders import remind_not_submitted

logger = logging.getLogger(__name__)

RETRY_SECONDS = 300


@shared_task(name="surveys.tasks.send_due_reminders", bind=True, max_retries=4)
def send_due_reminders(self):
    """Daily (beat): remind the organisations that have not submitted a published, open
    survey whose deadline is SURVEY_REMINDER_DAYS_BEFORE days away. Running it again the
    same day, a retry or a redelivery after a lost worker sends nothing twice (see
    surveys.reminders). Extensions do not move the day; the mail names each organisation's
    own deadline. Returns the number of mails queued."""
    try:
        return _send_due_reminders()
    except DatabaseError as error:
        if self.request.is_eager:
            raise
        # Reminders already recorded are skipped on the retry, so retrying is safe.
        raise self.retry(exc=error, countdown=RETRY_SECONDS * 2**self.request.retries) from error


def _send_due_reminders():
    today = timezone.localdate()
    days_before = datetime.timedelta(days=settings.SURVEY_REMINDER_DAYS_BEFORE)
    # Every deadline the reminder's day has come for, not only the one exactly N days away:
    # a day the task did not run is caught up on the next run (automatic_reminder_due).
    candidates = (
        Survey.objects.filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=today),
            status=Survey.Status.PUBLISHED,
            deadline__gte=today,
            deadline__lte=today + days_before,
        )
        .annotate(first_published=Min("versions__published_at"))
        .order_by("pk")
    )
    surveys = [
        survey
        for survey in candidates
        if automatic_reminder_due(
            survey.reminders,
            reminder_day=survey.deadline - days_before,
            open_since=_open_since(survey),
            today=today,
        )
    ]
    sent = 0
    for survey in surveys:
        result = remind_not_submitted(survey, actor=None, kind=SurveyReminder.Kind.AUTO)
        sent += result.sent
        if result.without_contact:
            # The coordinators see these on the progress page as well.
            logger.warning(
                "survey %s: no contact person with an e-mail address at %s",
                survey.pk,
                ", ".join(organisation.name for organisation in result.without_contact),
            )
    return sent


def _open_since(survey):
    """The day answers were first possible: its first publication, or its opening day."""
    if survey.first_published is None:
        return None
    published = timezone.localdate(survey.first_published)
    return max(published, survey.opens_on) if survey.opens_on else published
