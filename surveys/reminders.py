"""Reminders for organisations that have not submitted a survey yet: every current contact
person with an e-mail address gets one mail, in their own language, at most once a day.

"Once" is held by the database, not by a check before sending: the `SurveyReminder` row
(unique per survey, organisation, person and day) is inserted first, in the same
transaction that queues the mail (`participation.responses.remind_once`). A second run on
the same day, a redelivered task or two coordinators clicking at the same moment find the
row and send nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Organisation
from participation.responses import remind_once, reminder_contacts

from .models import Response, Survey, SurveyReminder


@dataclass
class ReminderResult:
    """What a reminder run did: mails queued now, contacts already reminded that day, and
    the organisations that could not be reminded because nobody there is a contact
    person with an e-mail address."""

    sent: int = 0
    already_reminded: int = 0
    without_contact: list[Organisation] = field(default_factory=list)


def remind_not_submitted(survey: Survey, *, actor, kind) -> ReminderResult:
    """Remind every audience organisation whose response is not submitted (including those
    that have not started): each current contact person with an e-mail address gets one
    mail with the survey's title, the organisation's deadline (an extension counts) and a
    link to the survey. `actor` is the coordinator who asked (None for the daily task)."""
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError(_("Reminders can only be sent for a published survey."))
    if kind not in SurveyReminder.Kind.values:
        raise ValueError(f"Unknown reminder kind {kind!r}")
    today = timezone.localdate()
    submitted = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
    organisations = list(
        survey.audience.exclude(pk__in=submitted.values("organisation_id")).order_by("name")
    )
    extensions = dict(
        Response.objects.filter(survey=survey, deadline_extended_to__isnull=False).values_list(
            "organisation_id", "deadline_extended_to"
        )
    )
    result = ReminderResult()
    reached = set()
    for membership in reminder_contacts(organisations, on=today):
        reached.add(membership.organisation_id)
        deadline = extensions.get(membership.organisation_id) or survey.deadline
        sent = remind_once(
            survey.reminders,
            membership,
            on=today,
            kind=kind,
            actor=actor,
            template="surveys/mail/reminder",
            context={
                "person": membership.person,
                "organisation": membership.organisation,
                "survey": survey,
                "deadline": deadline,
                "survey_url": f"{settings.SITE_URL}{survey.get_absolute_url()}",
            },
        )
        if sent:
            result.sent += 1
        else:
            result.already_reminded += 1
    result.without_contact = [org for org in organisations if org.pk not in reached]
    return result
