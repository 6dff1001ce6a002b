"""Reminders for suppliers that have not submitted their delivery yet: every current
contact person with an e-mail address gets one mail, in their own language, at most once a
day (held by the `DeliveryReminder` row: `participation.responses.remind_once`), naming the
supplier's own deadline (an extension counts) and linking to its delivery. The daily task
sends the automatic one on the round's day (`closes_on - remind_days_before`), once; a
coordinator may remind by hand."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Organisation
from participation.responses import ReminderResult, automatic_reminder_due, remind_unsubmitted

from .models import Delivery, DeliveryReminder, Round
from .notices import delivery_url


def reminder_day(round_: Round) -> datetime.date:
    return round_.closes_on - datetime.timedelta(days=round_.remind_days_before)


def remind_not_submitted(round_: Round, *, actor, kind, today=None) -> ReminderResult:
    """Remind every supplier of the round whose delivery is not submitted (a sent-back one
    too), while its window or its extension runs. `actor` is the coordinator who asked
    (None for the daily task)."""
    if kind not in DeliveryReminder.Kind.values:
        raise ValueError(f"Unknown reminder kind {kind!r}")
    today = today or timezone.localdate()
    if today < round_.opens_on:
        raise ValidationError(_("The delivery window has not opened yet."))
    deliveries = Delivery.objects.filter(round=round_).select_related("round")
    # A supplier whose window (and extension) has closed can deliver nothing any more.
    still_open = [delivery for delivery in deliveries if not delivery.is_past_deadline(today)]
    if not still_open:
        raise ValidationError(_("No supplier can deliver any more: every window has closed."))
    return remind_unsubmitted(
        responses=deliveries,
        audience=Organisation.objects.filter(pk__in=[d.organisation_id for d in still_open]),
        reminders=round_.reminders,
        deadline=round_.closes_on,
        kind=kind,
        actor=actor,
        template="monitoring/mail/reminder",
        context={
            "round": round_,
            "delivery_urls": {d.organisation_id: delivery_url(d) for d in still_open},
        },
    )


def rounds_due(*, today) -> list[Round]:
    """The rounds whose automatic reminder goes out today: open, the reminder's day come
    (or passed while the task did not run) and no automatic reminder sent since."""
    candidates = Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("pk")
    return [
        round_
        for round_ in candidates
        if automatic_reminder_due(
            round_.reminders,
            reminder_day=reminder_day(round_),
            open_since=round_.opens_on,
            today=today,
        )
    ]
