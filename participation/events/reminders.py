"""Reminders about events, for every kind of event: to invitees with a place a few days
before the start, to those who have not replied a few days before the reply deadline.

Run hourly (Celery beat). Each reminder is a message with a fixed key, which exists once per
invitation: a second run, or two runs at once, send nothing twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import EventStatus, InvitationMessage, Reply
from . import invitations
from .selectors import event_models, invitations_of

ACCEPTED_KEY = "reminder-accepted"
UNANSWERED_KEY = "reminder-unanswered"


# The name is the one the stored beat schedule carries.
@shared_task(name="participation.tasks.send_invitation_reminders")
def send_invitation_reminders():
    return send_due_reminders()


def send_due_reminders(now=None) -> int:
    """Queue the reminders that are due and not yet written; returns how many."""
    now = now or timezone.now()
    before_start = datetime.timedelta(days=settings.INVITATION_REMINDER_DAYS_BEFORE_START)
    before_deadline = datetime.timedelta(days=settings.INVITATION_REMINDER_DAYS_BEFORE_DEADLINE)
    queued = 0
    for model in event_models():
        due = (
            model.objects.filter(status=EventStatus.PUBLISHED)
            .annotate(deadline=Coalesce("registration_deadline", "start"))
            .filter(
                Q(start__gt=now, start__lte=now + before_start)
                | Q(deadline__gt=now, deadline__lte=now + before_deadline)
            )
        )
        for event in due:
            if event.start - before_start <= now < event.start:
                # Who accepted after the reminder's day began knows the date well enough.
                coming = invitations_of(event).filter(
                    Q(replied_at__isnull=True) | Q(replied_at__lt=event.start - before_start),
                    reply=Reply.ACCEPTED,
                    waitlisted_at__isnull=True,
                )
                queued += _queue(coming, ACCEPTED_KEY)
            if event.reply_deadline - before_deadline <= now < event.reply_deadline:
                # Who was invited after the reminder's day began has just had the invitation.
                silent = invitations_of(event).filter(
                    reply=Reply.NONE,
                    informed=False,
                    created_at__lt=event.reply_deadline - before_deadline,
                )
                queued += _queue(silent, UNANSWERED_KEY)
    return queued


def _queue(invitations_due, key) -> int:
    pending = list(invitations_due.exclude(messages__key=key))
    for invitation in pending:
        invitations.queue_message(invitation, InvitationMessage.Purpose.REMINDER, key)
    return len(pending)
