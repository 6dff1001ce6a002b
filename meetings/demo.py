"""Demo data for meetings, called by `manage.py seed_demo` after the registry is seeded: the
series of the steering group (second Tuesday of January, April, July and October,
10:00–12:00), of the quarterly talk with the ARGE Wohlfahrt and of the Dienstbesprechung,
each from 1 January of this year, so past meetings hold a few decisions and tasks that the
next meeting carries.

Bodies are found in the registry by kind and first word; a body that is missing is skipped.
The German texts are demo data, not interface strings. Idempotent: a series that exists
(looked up by body and title) is left as it is."""

import datetime

from django.db import transaction
from django.utils import timezone

from participation.models import Body, BodyKind, BodyRole, EventStatus

from . import minutes, services
from .models import (
    AgendaItem,
    AttendanceStatus,
    Decision,
    MeetingSeries,
    MinutesStatus,
    OutcomeKind,
    Task,
)

SERIES = [
    {
        "kind": BodyKind.STEERING_GROUP,
        "first_word": "Lenkungsgruppe",
        "code": "LG",
        "title": "Lenkungsgruppe Sozial- und Gesundheitsplanung",
        "rule": "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
        "start_time": datetime.time(10, 0),
        "duration": datetime.timedelta(hours=2),
        "venue_name": "Kreishaus Siegburg, Raum 1.04",
        "agenda_template": "Begrüßung und Genehmigung des Protokolls\n"
        "Bericht der Projektgruppe\nOffene Aufgaben\nVerschiedenes",
    },
    {
        "kind": BodyKind.RECURRING_TALK,
        "first_word": "Quartalsgespräch",
        "code": "QG",
        "title": "Quartalsgespräch Dezernat / ARGE Wohlfahrt",
        "rule": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=1TH",
        "start_time": datetime.time(14, 0),
        "duration": datetime.timedelta(minutes=90),
        "venue_name": "Kreishaus Siegburg, Raum 2.11",
        "online_url": "https://konferenz.rhein-sieg-kreis.example/quartalsgespraech",
        "agenda_template": "Aktuelles aus dem Dezernat\nAktuelles aus den Verbänden\n"
        "Offene Aufgaben",
    },
    {
        "kind": BodyKind.RECURRING_TALK,
        "first_word": "Dienstbesprechung",
        "code": "DB",
        "title": "Dienstbesprechung der Sozialdezernentinnen und -dezernenten",
        "rule": "FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE",
        "start_time": datetime.time(9, 30),
        "duration": datetime.timedelta(hours=2),
        "venue_name": "Kreishaus Siegburg, Großer Sitzungssaal",
        "agenda_template": "Berichte aus den Kommunen\nVereinbarungen\nOffene Aufgaben",
    },
]
STEERING_DECISIONS = [
    (
        "Sozialbericht 2027 beauftragen",
        "Die Lenkungsgruppe beauftragt die Projektgruppe, bis zum Herbst einen ersten "
        "Sozialbericht auf Ebene der Sozialräume vorzulegen.",
        (11, 0, 1),
    ),
    (
        "Kennzahlenset Kinderarmut",
        "Die Lenkungsgruppe beschließt das Kennzahlenset Kinderarmut in der vorgelegten "
        "Fassung als Grundlage des Sozialmonitorings.",
        (12, 0, 0),
    ),
]


def seed(*, stdout):
    today = timezone.localdate()
    for spec in SERIES:
        body = (
            Body.objects.filter(kind=spec["kind"], name__startswith=spec["first_word"])
            .order_by("pk")
            .first()
        )
        if body is None:
            stdout.write(f"meetings demo: no body {spec['first_word']}, skipped.")
            continue
        if MeetingSeries.objects.filter(body=body, title=spec["title"]).exists():
            stdout.write(f'meetings demo: "{spec["title"]}" already exists, nothing changed.')
            continue
        values = {k: v for k, v in spec.items() if k not in ("kind", "first_word", "code")}
        with transaction.atomic():
            series = services.save_series(
                MeetingSeries(body=body, first_date=datetime.date(today.year, 1, 1), **values),
                actor=None,
                decision_code=spec["code"],
            )
            if spec["kind"] == BodyKind.STEERING_GROUP:
                _decisions_and_tasks(series)
                _agenda_and_minutes(series)
        stdout.write(
            f'meetings demo: "{series.title}" with {series.meetings.count()} meetings '
            f"up to twelve months ahead."
        )


def _decisions_and_tasks(series):
    """Two decisions and two tasks at the last meeting so far (or the first to come)."""
    now = timezone.now()
    meetings = series.meetings.exclude(status=EventStatus.CANCELLED).order_by("start")
    meeting = meetings.filter(start__lt=now).last() or meetings.first()
    if meeting is None:
        return
    decisions = []
    for title, text, (votes_for, against, abstentions) in STEERING_DECISIONS:
        decisions.append(
            services.record_decision(
                Decision(
                    body=series.body,
                    meeting=meeting,
                    title=title,
                    text=text,
                    decided_on=timezone.localtime(meeting.start).date(),
                    votes_for=votes_for,
                    votes_against=against,
                    abstentions=abstentions,
                ),
                actor=None,
            )
        )
    seats = series.body.memberships.select_related("represents", "person")
    chair = seats.filter(role=BodyRole.CHAIR).first()
    municipal = seats.filter(role=BodyRole.MEMBER, represents__kind="municipality").first()
    due = timezone.localdate() + datetime.timedelta(weeks=6)
    if chair is not None:
        services.save_task(
            Task(
                meeting=meeting,
                decision=decisions[0],
                title="Gliederung des Sozialberichts vorlegen",
                owner_person=chair.person,
                due_date=due,
                status=Task.Status.IN_PROGRESS,
            ),
            actor=None,
        )
    if municipal is not None:
        services.save_task(
            Task(
                meeting=meeting,
                decision=decisions[1],
                title="Daten zu Kita-Plätzen je Sozialraum liefern",
                owner_organisation=municipal.represents,
                due_date=due,
            ),
            actor=None,
        )


MINUTES_TEXTS = {
    "Begrüßung und Genehmigung des Protokolls": "Die Vorsitzende begrüßt die Anwesenden. "
    "Die Tagesordnung wird ohne Änderungen angenommen.",
    "Bericht der Projektgruppe": "Die Projektgruppe berichtet über den Stand des "
    "Sozialmonitorings:\n\n- Datenlieferungen von 17 der 19 Kommunen liegen vor\n"
    "- das Kennzahlenset Kinderarmut ist abgestimmt",
    "Offene Aufgaben": "Keine Aufgaben aus früheren Sitzungen offen.",
    "Verschiedenes": "Keine Wortmeldungen.",
}


def _agenda_and_minutes(series):
    """The last past meeting: its agenda and approved minutes with attendance; the next
    meeting: its agenda with "Offene Aufgaben", the approval item and one proposal."""
    now = timezone.now()
    meetings = series.meetings.exclude(status=EventStatus.CANCELLED).order_by("start")
    past = meetings.filter(start__lt=now).last()
    upcoming = meetings.filter(start__gte=now).first()
    if past is not None:
        record = minutes.ensure_agenda(past)
        for item in minutes.agenda(past):
            text = MINUTES_TEXTS.get(item.title, "Zur Kenntnis genommen.")
            outcome = OutcomeKind.DECISION if "Bericht" in item.title else OutcomeKind.INFORMATION
            minutes.save_minutes(
                item, minutes=text, outcome=outcome, base_revision=item.revision, actor=None
            )
        entries = {}
        for number, (seat, _row) in enumerate(minutes.attendance_rows(past)):
            status = AttendanceStatus.EXCUSED if number % 5 == 4 else AttendanceStatus.PRESENT
            entries[seat.person_id] = (status, "")
        minutes.save_attendance(past, entries, actor=None)
        record.status = MinutesStatus.APPROVED
        record.circulated_at = past.end
        record.approved_at = now
        record.approved_in = upcoming
        record.save()
    if upcoming is not None:
        minutes.ensure_agenda(upcoming)
        seat = series.body.memberships.exclude(person__user=None).select_related("person").first()
        AgendaItem.objects.create(
            meeting=upcoming,
            title="Fachtag Wohnungslosigkeit 2027 vorbereiten",
            presenter=str(seat.person) if seat else "",
            duration_minutes=20,
            status=AgendaItem.Status.PROPOSED,
            proposed_by=seat.person.user if seat else None,
            position=1000,
        )
