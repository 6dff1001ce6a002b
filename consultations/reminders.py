"""Reminders for consulted organisations that have not released a statement yet: every
current contact person with an e-mail address gets one mail, in their own language, at most
once a day (held by the database: `participation.responses.remind_once`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participation.responses import ReminderResult, remind_unsubmitted

from .models import Consultation, ConsultationReminder, Statement


def remind_missing(consultation: Consultation, *, actor, kind) -> ReminderResult:
    """Remind every consulted organisation whose statement is not released (nor declared
    as none), naming its own deadline (an extension counts). `actor` is the coordinator who
    asked (None for the daily task)."""
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("Reminders can only be sent while the consultation is open."))
    if kind not in ConsultationReminder.Kind.values:
        raise ValueError(f"Unknown reminder kind {kind!r}")
    return remind_unsubmitted(
        responses=Statement.objects.filter(consultation=consultation),
        audience=consultation.organisations,
        reminders=consultation.reminders,
        deadline=consultation.deadline,
        kind=kind,
        actor=actor,
        template="consultations/mail/reminder",
        context={
            "consultation": consultation,
            "consultation_url": f"{settings.SITE_URL}{consultation.get_absolute_url()}",
        },
    )
