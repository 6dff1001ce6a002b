"""Erasure: the person's calendar feeds and task links end, their poll answers stay under
"former member", tasks keep their owner's role; minutes, decisions and agendas name the role
instead of the person (`participation.erasure`)."""

from django.utils import timezone

from participation.erasure import placeholder_email

from .models import (
    AgendaItem,
    AgendaVersion,
    Attendance,
    CalendarSubscription,
    DatePoll,
    Decision,
    MinutesChange,
    PollInvitee,
    Task,
    TaskLink,
)


def erase_person(erasure) -> None:
    now = timezone.now()
    if erasure.user is not None:
        CalendarSubscription.objects.filter(user=erasure.user).delete()
    TaskLink.objects.filter(person=erasure.person, revoked_at=None).update(revoked_at=now)
    for invitee in PollInvitee.objects.filter(person=erasure.person):
        PollInvitee.objects.filter(pk=invitee.pk).update(
            name=erasure.former_member,
            email=placeholder_email(),
            revoked_at=invitee.revoked_at or now,
        )
    erasure.scrub(PollInvitee.objects.all(), "name", "email")
    erasure.scrub(Attendance.objects.all(), "deputy")
    erasure.scrub(AgendaItem.objects.all(), "title", "presenter", "minutes")
    erasure.scrub(MinutesChange.objects.all(), "minutes")
    erasure.scrub(AgendaVersion.objects.all(), "items")
    erasure.scrub(Decision.objects.all(), "title", "text")
    erasure.scrub(Task.objects.all(), "title", "description")
    erasure.scrub(DatePoll.objects.all(), "title", "description")
