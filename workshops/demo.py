"""Demo data for workshops, called by `manage.py seed_demo` after the registry is seeded:

- a published "Fachworkshop Kinderarmut und Teilhabe" in four weeks, hybrid, with its agenda
  and audience (the working group, every welfare association, an external moderator). No
  invitation is sent: sending them is what a coordinator tries in the demo;
- the steering group's "Klausur Sozialmonitoring" in two weeks, whose invitations went out a
  week ago: some replies are in, the others are missing, and one mail to a mistyped address
  failed. So the home page has something to show, and the demo member (the planner of
  Troisdorf, a deputy in the steering group) has an invitation waiting for her reply.
  One decline came by telephone: a coordinator recorded it (when a coordinator account
  exists), so the invitations list shows "recorded by".

The invitations of the second are written by the event pipeline (`prepare_message`: each
with its message and personal link) and recorded as delivered a week ago, not sent now: the
demo prints no mail while seeding, and nothing is left queued for a worker to send.

The German texts are demo data, not interface strings. Idempotent: when a workshop exists
(looked up by title), it is not changed."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from participation.events.audiences import add_audience_entry, audience_state
from participation.events.invitations import prepare_message
from participation.events.replies import record_reply, reply_to_invitation
from participation.events.selectors import INVITATION_KEY
from participation.models import (
    AudienceEntry,
    Body,
    BodyKind,
    EventStatus,
    Invitation,
    InvitationMessage,
    OrganisationKind,
    OutboundMail,
    Reply,
    User,
)

from . import services
from .live import services as live
from .live.models import ActivityKind
from .models import AgendaItem, Workshop

TITLE = "Fachworkshop Kinderarmut und Teilhabe"
WEEKS_AHEAD = 4
DESCRIPTION = """\
Jedes fünfte Kind im Rhein-Sieg-Kreis wächst in einer Familie auf, die Leistungen nach dem
SGB II bezieht – in einzelnen Sozialräumen deutlich mehr. Der Fachworkshop bringt Politik,
Wohlfahrtsverbände, Kommunen und Verwaltung zusammen, um aus den Zahlen des
Sozialmonitorings **gemeinsame Handlungsansätze** zu entwickeln.

## Ziele

* ein gemeinsames Bild der Lage in den Sozialräumen gewinnen
* gelingende Angebote aus Kita, Schule und Freizeit sichtbar machen
* Verabredungen für die nächsten Schritte der Sozialplanung treffen

Die Ergebnisse fließen in den Bericht an den Ausschuss für Soziales, Gleichstellung und
Integration ein. Die Teilnahme ist auch online möglich.
"""
AGENDA = [
    (datetime.time(9, 30), "Ankommen und Begrüßung", "Dr. Werner Thielmann, Sozialdezernent"),
    (
        datetime.time(9, 45),
        "Impuls: Kinderarmut im Rhein-Sieg-Kreis – Zahlen aus dem Sozialmonitoring",
        "Sabine Krämling, Sozialplanung",
    ),
    (
        datetime.time(10, 30),
        "Arbeitsgruppen: Teilhabe in Kita, Schule und Freizeit",
        "Externe Moderation",
    ),
    (datetime.time(12, 0), "Mittagsimbiss", ""),
    (
        datetime.time(12, 30),
        "Ergebnisse und Verabredungen",
        "Andrea Lindemeyer, Projektleitung",
    ),
]
EXTERNAL = ("moderation@beratung-sozialplanung.example", "Externe Moderation")


def _at(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def seed(*, stdout):
    _seed_open_workshop(stdout)
    _seed_retreat(stdout)
    _seed_held_workshop(stdout)


def _seed_open_workshop(stdout):
    if Workshop.objects.filter(title=TITLE).exists():
        stdout.write(f'workshops demo: "{TITLE}" already exists, nothing changed.')
        return
    day = timezone.localdate() + datetime.timedelta(weeks=WEEKS_AHEAD)
    with transaction.atomic():
        workshop = services.save_workshop(
            Workshop(
                title=TITLE,
                topic="Kinderarmut",
                kind=Workshop.Kind.THEMATIC,
                description=DESCRIPTION,
                start=_at(day, 9, 30),
                end=_at(day, 13, 30),
                venue_name="Kreishaus Siegburg, Großer Sitzungssaal",
                venue_address="Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
                online_url="https://konferenz.rhein-sieg-kreis.example/kinderarmut",
                capacity=40,
                registration_deadline=_at(day - datetime.timedelta(days=7), 12),
            ),
            actor=None,
        )
        for starts_at, title, presenter in AGENDA:
            services.save_agenda_item(
                AgendaItem(
                    workshop=workshop, starts_at=starts_at, title=title, presenter=presenter
                ),
                actor=None,
            )
        working_group = Body.objects.filter(kind=BodyKind.WORKING_GROUP).order_by("pk").first()
        if working_group is not None:
            add_audience_entry(
                workshop, actor=None, kind=AudienceEntry.Kind.BODY, body=working_group
            )
        add_audience_entry(
            workshop,
            actor=None,
            kind=AudienceEntry.Kind.ORGANISATION_KIND,
            organisation_kind=OrganisationKind.WELFARE_ASSOCIATION,
        )
        add_audience_entry(
            workshop,
            actor=None,
            kind=AudienceEntry.Kind.EMAIL,
            email=EXTERNAL[0],
            name=EXTERNAL[1],
        )
        services.publish_workshop(workshop, actor=None)
    recipients = len(services.uninvited_recipients(workshop))
    stdout.write(
        f'workshops demo: "{TITLE}" published for {day:%d.%m.%Y} with {len(AGENDA)} agenda '
        f"items; its audience names {recipients} recipients, no invitation sent yet."
    )


RETREAT = "Klausur der Lenkungsgruppe: Indikatoren für das Sozialmonitoring"
RETREAT_WEEKS_AHEAD = 2
RETREAT_DESCRIPTION = """\
Die Lenkungsgruppe wählt die Indikatoren aus, mit denen das gemeinsame Sozial- und
Gesundheitsmonitoring startet. Grundlage sind die Antworten der Kommunen auf die Abfrage zur
Ausgangssituation.
"""
# Who has replied, by last name; everyone else has not (yet).
RETREAT_REPLIES = {
    "Thielmann": Reply.ACCEPTED,
    "Lindemeyer": Reply.ACCEPTED,
    "Vossberg": Reply.ACCEPTED,
    "Steinfeldt": Reply.ACCEPTED,
    "Hollmann": Reply.TENTATIVE,
    "Rautenberg": Reply.DECLINED,
}
# Whose decline a coordinator recorded (she phoned), when a coordinator account exists.
PHONED = "Rautenberg"
# The invitation that bounced: the address in the registry has a typing error.
BOUNCED = "Fassbender"
BOUNCE_ERROR = (
    "(550, b'5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table')"
)


def _seed_retreat(stdout):
    if Workshop.objects.filter(title=RETREAT).exists():
        stdout.write(f'workshops demo: "{RETREAT}" already exists, nothing changed.')
        return
    steering = Body.objects.filter(kind=BodyKind.STEERING_GROUP).order_by("pk").first()
    if steering is None:
        return
    day = timezone.localdate() + datetime.timedelta(weeks=RETREAT_WEEKS_AHEAD)
    with transaction.atomic():
        workshop = services.save_workshop(
            Workshop(
                title=RETREAT,
                topic="Sozialmonitoring",
                kind=Workshop.Kind.THEMATIC,
                description=RETREAT_DESCRIPTION,
                start=_at(day, 10),
                end=_at(day, 15),
                venue_name="Kreishaus Siegburg, Raum 1.04",
                venue_address="Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
                registration_deadline=_at(day - datetime.timedelta(days=3), 12),
            ),
            actor=None,
        )
        add_audience_entry(workshop, actor=None, kind=AudienceEntry.Kind.BODY, body=steering)
        services.publish_workshop(workshop, actor=None)
        invitations = _invited_a_week_ago(workshop)
        coordinator = (
            User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
        )
        for invitation in invitations:
            reply = RETREAT_REPLIES.get(_last_name(invitation))
            if _last_name(invitation) == PHONED and coordinator is not None:
                # She phoned the coordination office; nobody else is told of a decline.
                record_reply(invitation, actor=coordinator, reply=reply)
            elif reply:
                reply_to_invitation(invitation, reply=reply)
    missing = sum(1 for invitation in invitations if _last_name(invitation) not in RETREAT_REPLIES)
    stdout.write(
        f'workshops demo: "{RETREAT}" on {day:%d.%m.%Y}: {len(invitations)} invited a week '
        f"ago, {missing} replies missing, one invitation mail failed."
    )


def _invited_a_week_ago(workshop):
    """Invite the audience as `send_invitations` does, write each invitation's message through
    the pipeline, and record the mails as delivered a week ago (one as failed)."""
    event_type = ContentType.objects.get_for_model(workshop)
    invitations = Invitation.objects.bulk_create(
        Invitation(
            event_type=event_type,
            event_id=workshop.pk,
            email=recipient.email,
            name=recipient.name,
            language=recipient.language,
            person=recipient.person,
            organisation=recipient.organisation,
        )
        for recipient in audience_state(workshop).to_invite
    )
    for invitation in invitations:
        prepare_message(invitation.pk, InvitationMessage.Purpose.INVITATION, INVITATION_KEY)
    week_ago = timezone.now() - datetime.timedelta(days=7)
    mails = OutboundMail.objects.filter(invitation_message__invitation__in=invitations)
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(created_at=week_ago)
    mails.update(created_at=week_ago, attempts=1, body_text="", body_html="", attachments=[])
    for bounced in mails.filter(invitation_message__invitation__person__last_name=BOUNCED):
        bounced.status = OutboundMail.Status.FAILED
        bounced.last_error = BOUNCE_ERROR % bounced.to
        bounced.save(update_fields=["status", "last_error"])
    mails.exclude(status=OutboundMail.Status.FAILED).update(
        status=OutboundMail.Status.SENT, sent_at=week_ago
    )
    ids = [invitation.pk for invitation in invitations]
    return list(Invitation.objects.filter(pk__in=ids).select_related("person"))


def _last_name(invitation):
    return invitation.person.last_name if invitation.person else ""


HELD_TITLE = "Auftaktwerkstatt Sozialbericht 2027"
HELD_WEEKS_AGO = 6
HELD_CARDS = [
    ("Anja", "Verlässliche Ganztagsplätze in allen Ortsteilen"),
    ("Bernd", "Mehr Schulsozialarbeit an Grundschulen"),
    ("Cem", "Busverbindungen am Abend in die Kernstadt"),
    ("Doris", "Beratung für Familien in einfacher Sprache"),
    ("Emil", "Daten zu Kita-Plätzen je Sozialraum zusammenführen"),
]
HELD_QUESTIONS = [
    ("Anja", "Auf welcher Raumebene werden die Kennzahlen ausgewiesen?"),
    ("Doris", "Wann sehen die Kommunen den Entwurf des Berichts?"),
]


def _seed_held_workshop(stdout):
    """A workshop six weeks ago, done, whose live session collected cards and questions:
    the committee report's workshops part has something to show for the year so far.
    Nobody was invited (a workshop in the past cannot be published, so its status is set
    directly, as a held workshop would have it)."""
    if Workshop.objects.filter(title=HELD_TITLE).exists():
        stdout.write(f'workshops demo: "{HELD_TITLE}" already exists, nothing changed.')
        return
    day = timezone.localdate() - datetime.timedelta(weeks=HELD_WEEKS_AGO)
    with transaction.atomic():
        workshop = services.save_workshop(
            Workshop(
                title=HELD_TITLE,
                topic="Sozialbericht",
                kind=Workshop.Kind.THEMATIC,
                description="Auftakt zum Sozialbericht 2027: Was soll der Bericht zeigen?",
                start=_at(day, 14),
                end=_at(day, 17),
                venue_name="Kreishaus Siegburg, Raum 1.04",
                venue_address="Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
                registration_deadline=_at(day - datetime.timedelta(days=7), 12),
            ),
            actor=None,
        )
        Workshop.objects.filter(pk=workshop.pk).update(status=EventStatus.PUBLISHED)
        workshop.refresh_from_db()
        session = live.ensure_live_session(workshop, actor=None)
        people = {
            name: live.join_with_code({}, session.join_code, name) for name, _text in HELD_CARDS
        }
        cards = live.create_activity(
            session, actor=None, kind=ActivityKind.CARDS, title="Was brauchen Familien vor Ort?"
        )
        cards = live.open_activity(cards, actor=None)
        for name, text in HELD_CARDS:
            live.add_card(cards, participant=people[name], text=text)
        live.close_activity(cards, actor=None)
        questions = live.create_activity(
            session, actor=None, kind=ActivityKind.QUESTIONS, title="Fragen an die Sozialplanung"
        )
        questions = live.open_activity(questions, actor=None)
        for name, text in HELD_QUESTIONS:
            live.ask_question(questions, participant=people[name], text=text)
        live.close_activity(questions, actor=None)
        services.mark_done(workshop, actor=None)
    stdout.write(
        f'workshops demo: "{HELD_TITLE}" held on {day:%d.%m.%Y} with {len(HELD_CARDS)} cards '
        f"and {len(HELD_QUESTIONS)} questions in its live session."
    )
