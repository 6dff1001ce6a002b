"""Reminders for consulted organisations that have not released a statement yet: every
current contact person with an e-mail address gets one mail, in their own language, at most
once a day (held by the database: `participation.responses.remind_once`)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Organisation
from participation.responses import remind_once, reminder_contacts

from .models import Consultation, ConsultationReminder, Statement


@dataclass
class ReminderResult:
    sent: int = 0
    already_reminded: int = 0
    without_contact: list[Organisation] = field(default_factory=list)


def remind_missing(consultation: Consultation, *, actor, kind) -> ReminderResult:
    """Remind every consulted organisation whose statement is not released (nor declared
    as none), naming its own deadline (an extension counts). `actor` is the coordinator who
    asked (None for the daily task)."""
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("Reminders can only be sent while the consultation is open."))
    if kind not in ConsultationReminder.Kind.values:
        raise ValueError(f"Unknown reminder kind {kind!r}")
    today = timezone.localdate()
    released = Statement.objects.filter(
        consultation=consultation, status=Statement.Status.SUBMITTED
    )
    organisations = list(
        consultation.organisations.exclude(pk__in=released.values("organisation_id")).order_by(
            "name"
        )
    )
    extensions = dict(
        Statement.objects.filter(
            consultation=consultation, deadline_extended_to__isnull=False
        ).values_list("organisation_id", "deadline_extended_to")
    )
    url = f"{settings.SITE_URL}{consultation.get_absolute_url()}"
    result = ReminderResult()
    reached = set()
    for membership in reminder_contacts(organisations, on=today):
        reached.add(membership.organisation_id)
        deadline = extensions.get(membership.organisation_id) or consultation.deadline
        sent = remind_once(
            consultation.reminders,
            membership,
            on=today,
            kind=kind,
            actor=actor,
            template="consultations/mail/reminder",
            context={
                "person": membership.person,
                "organisation": membership.organisation,
                "consultation": consultation,
                "deadline": deadline,
                "consultation_url": url,
            },
        )
        if sent:
            result.sent += 1
        else:
            result.already_reminded += 1
    result.without_contact = [org for org in organisations if org.pk not in reached]
    return result
