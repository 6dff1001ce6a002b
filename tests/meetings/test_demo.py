"""The meetings demo seeded by `seed_demo`: the steering group's quarterly series at 10:00,
the quarterly talk with the ARGE Wohlfahrt and the Dienstbesprechung, a couple of decisions
and tasks; idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import agenda_updates, selectors
from meetings.models import Decision, Meeting, MeetingSeries, Task
from participation.management.commands.seed_demo import demo_member_email
from participation.models import OutboundMail, Person

from .conftest import local

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_the_three_series_once(clock):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    series = {s.body.name.split()[0]: s for s in MeetingSeries.objects.select_related("body")}
    assert set(series) == {"Lenkungsgruppe", "Quartalsgespräch", "Dienstbesprechung"}
    steering = series["Lenkungsgruppe"]
    starts = [local(m.start) for m in steering.meetings.order_by("start")]
    assert [s.month for s in starts] == [1, 4, 7, 10, 1, 4, 7, 10]
    assert all(s.weekday() == 1 and 8 <= s.day <= 14 and s.hour == 10 for s in starts)
    assert {d.reference for d in Decision.objects.all()} == {"LG-2026-01", "LG-2026-02"}
    assert Task.objects.count() == 4
    next_meeting = selectors.next_meeting(steering)
    assert selectors.carried_tasks(next_meeting).count() == 4
    # The demo member (Katharina Lübben, Troisdorf) owns one, her municipality an overdue one.
    planner = Person.objects.get(email__iexact=demo_member_email())
    mine = Task.objects.get(owner_person=planner)
    theirs = Task.objects.get(owner_organisation__short_name="Troisdorf")
    assert mine.due_date >= timezone.localdate() and not mine.is_overdue
    assert theirs.is_overdue
    assert "meetings demo:" in output.getvalue()
    # The next meeting is invited and its agenda changed since: the update is offered, and
    # nothing waits in the outbox to be sent.
    state = agenda_updates.agenda_state(next_meeting)
    assert state.may_send
    assert [item["title"] for item in state.changes.added] == [
        "Haushalt 2027: Mittel der Sozialplanung"
    ]
    assert not OutboundMail.objects.exclude(status=OutboundMail.Status.SENT).filter(
        invitation_message__invitation__event_id=next_meeting.pk
    )

    counts = (Meeting.objects.count(), Decision.objects.count(), Task.objects.count())
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert MeetingSeries.objects.count() == 3
    assert (Meeting.objects.count(), Decision.objects.count(), Task.objects.count()) == counts
    assert "already exists, nothing changed" in output.getvalue()


def test_demo_tasks_reach_a_demo_seeded_before_them(clock):
    """A demo seeded before the member's tasks existed gets them on the next run, once."""
    call_command("seed_demo", stdout=io.StringIO())
    Task.objects.filter(due_date__lt=timezone.localdate()).delete()
    Task.objects.filter(owner_person__email__iexact=demo_member_email()).delete()
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert "2 demo tasks added" in output.getvalue()
    assert Task.objects.count() == 4
