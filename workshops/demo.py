"""Demo data for workshops, called by `manage.py seed_demo` after the registry is seeded: a
published "Fachworkshop Kinderarmut und Teilhabe" in four weeks, hybrid, with its agenda
and audience (the working group, every welfare association, an external moderator).

No invitation is created: sending them is what a coordinator tries in the demo, and
invitations made up without their messages would look "queued" forever (and a worker's
resume would send them). The German texts are demo data, not interface strings.
Idempotent: when the workshop exists (looked up by title), nothing is changed."""

import datetime

from django.db import transaction
from django.utils import timezone

from participation.events.audiences import add_audience_entry
from participation.models import AudienceEntry, Body, BodyKind, OrganisationKind

from . import services
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
