"""Demo data for meetings, called by `manage.py seed_demo` after the registry is seeded: the
series of the steering group (second Tuesday of January, April, July and October,
10:00–12:00), of the quarterly talk with the ARGE Wohlfahrt and of the Dienstbesprechung,
each from 1 January of this year, so past meetings hold a few decisions and tasks that the
next meeting carries: one owned by the demo member (the planner of Troisdorf), one by her
municipality and overdue, so both home pages have a task to show. The steering group's next
meeting is invited (recorded as delivered, nothing sent) and its agenda changed since, so
its page offers "Send the updated agenda".

Bodies are found in the registry by kind and first word; a body that is missing is skipped.
The German texts are demo data, not interface strings. Idempotent: a series that exists
(looked up by body and title) is left as it is; a demo task is added once (by title) to the
steering group's series, also to a demo seeded before it was written."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from participation.events.audiences import audience_state
from participation.events.invitations import prepare_message
from participation.events.selectors import INVITATION_KEY
from participation.management.commands.seed_demo import demo_member_email
from participation.models import (
    AudienceEntry,
    Body,
    BodyKind,
    BodyRole,
    EventStatus,
    Invitation,
    InvitationMessage,
    OutboundMail,
    Person,
)

from . import minutes, polls, services
from .models import (
    AgendaItem,
    AgendaVersion,
    AttendanceStatus,
    DatePoll,
    Decision,
    MeetingSeries,
    MinutesStatus,
    OutcomeKind,
    PollAnswer,
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
        "agenda_template": "Begrüßung und Tagesordnung\n"
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
        existing = MeetingSeries.objects.filter(body=body, title=spec["title"]).first()
        if existing is not None:
            added = _member_tasks(existing) if spec["kind"] == BodyKind.STEERING_GROUP else 0
            if added:
                stdout.write(f'meetings demo: "{spec["title"]}": {added} demo tasks added.')
            else:
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
                _member_tasks(series)
                _agenda_and_minutes(series)
        stdout.write(
            f'meetings demo: "{series.title}" with {series.meetings.count()} meetings '
            f"up to twelve months ahead."
        )
    _date_poll(stdout)


def _demo_meeting(series):
    """The last meeting so far (or the first to come), where the demo's work was agreed."""
    meetings = series.meetings.exclude(status=EventStatus.CANCELLED).order_by("start")
    return meetings.filter(start__lt=timezone.now()).last() or meetings.first()


def _member_tasks(series) -> int:
    """The demo member's own task (due in ten days) and her municipality's (overdue), each
    added once; how many were added."""
    meeting = _demo_meeting(series)
    person = Person.objects.filter(email__iexact=demo_member_email()).first()
    if meeting is None or person is None:
        return 0
    organisation = (
        series.body.memberships.filter(person=person, represents__isnull=False)
        .values_list("represents", flat=True)
        .first()
    )
    today = timezone.localdate()
    wanted = [
        {
            "title": "Rückmeldung zu den Sozialraumgrenzen geben",
            "owner_person": person,
            "due_date": today + datetime.timedelta(days=10),
        }
    ]
    if organisation is not None:
        wanted.append(
            {
                "title": "Übersicht der Träger offener Ganztagsschulen aktualisieren",
                "owner_organisation_id": organisation,
                "due_date": today - datetime.timedelta(days=12),
            }
        )
    added = 0
    for fields in wanted:
        if Task.objects.filter(meeting__series=series, title=fields["title"]).exists():
            continue
        services.save_task(Task(meeting=meeting, **fields), actor=None, notify_owner=False)
        added += 1
    return added


def _decisions_and_tasks(series):
    """Two decisions and two tasks at the last meeting so far (or the first to come)."""
    meeting = _demo_meeting(series)
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
            notify_owner=False,
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
            notify_owner=False,
        )


POLL_TITLE = "Dienstbesprechung: Sondertermin Sozialbericht"


def _date_poll(stdout):
    """An open date poll for an extra Dienstbesprechung: three dates in four to five weeks
    (one of them a whole day), to be answered within two weeks, the seat holders asked, a
    few of them answered. It is not sent, so the automatic reminder mails nobody."""
    series = (
        MeetingSeries.objects.filter(body__name__startswith="Dienstbesprechung")
        .order_by("pk")
        .first()
    )
    if series is None or DatePoll.objects.filter(series=series, title=POLL_TITLE).exists():
        return
    first = timezone.localdate() + datetime.timedelta(weeks=4)
    first += datetime.timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    slots = [
        polls.timed_slot(first, datetime.time(10), datetime.time(12)),
        polls.timed_slot(first + datetime.timedelta(days=2), datetime.time(14), datetime.time(16)),
        polls.all_day_slot(first + datetime.timedelta(days=7)),
    ]
    with transaction.atomic():
        poll = polls.create_poll(
            DatePoll(
                series=series,
                title=POLL_TITLE,
                description="Einziger Tagesordnungspunkt: Entwurf des Sozialberichts.",
                answer_by=timezone.localdate() + datetime.timedelta(weeks=2),
            ),
            slots=slots,
            actor=None,
        )
        slot_ids = list(poll.slots.order_by("day", "start").values_list("pk", flat=True))
        patterns = [
            (PollAnswer.YES, PollAnswer.MAYBE, PollAnswer.NO),
            (PollAnswer.YES, PollAnswer.NO, PollAnswer.YES),
            (PollAnswer.MAYBE, PollAnswer.YES, PollAnswer.NO),
        ]
        for invitee, answers in zip(poll.invitees.order_by("pk"), patterns, strict=False):
            polls.answer(invitee, dict(zip(slot_ids, answers, strict=True)))
    stdout.write(f'meetings demo: date poll "{poll.title}" with {poll.invitees.count()} invitees.')


MINUTES_TEXTS = {
    "Begrüßung und Tagesordnung": "Die Vorsitzende begrüßt die Anwesenden. "
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
        _invited_with_a_changed_agenda(upcoming)


def _invited_with_a_changed_agenda(meeting):
    """The seats of the next meeting were invited (written by the pipeline, recorded as
    delivered, nothing sent now) with the agenda as it was then; an item was added since,
    so the meeting page offers "Send the updated agenda"."""
    entry = AudienceEntry(
        event_type=ContentType.objects.get_for_model(meeting),
        event_id=meeting.pk,
        kind=AudienceEntry.Kind.BODY,
        body=meeting.series.body,
    )
    recipients = [
        r for r in audience_state(meeting, extra_entries=[entry]).to_invite if not r.informed
    ]
    invitations = Invitation.objects.bulk_create(
        Invitation(
            event_type=entry.event_type,
            event_id=meeting.pk,
            email=recipient.email,
            name=recipient.name,
            language=recipient.language,
            person=recipient.person,
            organisation=recipient.organisation,
        )
        for recipient in recipients
    )
    for invitation in invitations:
        prepare_message(invitation.pk, InvitationMessage.Purpose.INVITATION, INVITATION_KEY)
    OutboundMail.objects.filter(invitation_message__invitation__in=invitations).update(
        status=OutboundMail.Status.SENT,
        sent_at=timezone.now(),
        attempts=1,
        body_text="",
        body_html="",
        attachments=[],
    )
    AgendaVersion.objects.create(meeting=meeting, number=0, items=meeting.agenda_snapshot())
    AgendaItem.objects.create(
        meeting=meeting,
        title="Haushalt 2027: Mittel der Sozialplanung",
        duration_minutes=15,
        position=900,
    )
