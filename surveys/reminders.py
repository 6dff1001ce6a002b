"""Reminders for organisations that have not submitted a survey yet: every current contact
person with an e-mail address gets one mail, in their own language, at most once a day.

"Once" is held by the database, not by a check before sending: the `SurveyReminder` row
(unique per survey, organisation, person and day) is inserted first, in the same
transaction that queues the mail (`participation.responses.remind_once`). A second run on
the same day, a redelivered task or two coordinators clicking at the same moment find the
row and send nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participation.responses import ReminderResult, remind_unsubmitted

from .models import Response, Survey, SurveyReminder


def remind_not_submitted(survey: Survey, *, actor, kind) -> ReminderResult:
    """Remind every audience organisation whose response is not submitted (including those
    that have not started): each current contact person with an e-mail address gets one
    mail with the survey's title, the organisation's deadline (an extension counts) and a
    link to the survey. `actor` is the coordinator who asked (None for the daily task)."""
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError(_("Reminders can only be sent for a published survey."))
    if kind not in SurveyReminder.Kind.values:
        raise ValueError(f"Unknown reminder kind {kind!r}")
    return remind_unsubmitted(
        responses=Response.objects.filter(survey=survey),
        audience=survey.audience,
        reminders=survey.reminders,
        deadline=survey.deadline,
        kind=kind,
        actor=actor,
        template="surveys/mail/reminder",
        context={
            "survey": survey,
            "survey_url": f"{settings.SITE_URL}{survey.get_absolute_url()}",
        },
    )
