"""Demo data for consultations, called by `manage.py seed_demo` after the registry is seeded:
the county consults the municipalities and the welfare associations on the draft indicator
set of the social and health monitoring (open), and on the recommendations against child
poverty (closed, its weighing table published in a first version, a second in progress).
In the open one, Siegburg has released its statement, the Caritas
declared that it gives none, Troisdorf (the demo member's municipality, her named as
responsible) and the Diakonie are drafting theirs; everybody else has not started.

The German texts are demo data, not interface strings. Nobody is mailed: the consultation is
opened without requests. Idempotent: a consultation with the demo's title is left as it is."""

import datetime

from django.db import transaction
from django.utils import timezone

from participation import responses
from participation.management.commands.seed_demo import demo_member_email
from participation.models import Membership, Organisation, OrganisationKind, Person, User

from . import services, weighing
from .models import Consultation, ConsultationSection, Position, Statement

TITLE = "Indikatorenset des Sozial- und Gesundheitsmonitorings (Entwurf)"
PURPOSE = """\
Hauptziel der Sozial- und Gesundheitsplanung ist ein gemeinsames Sozial- und
Gesundheitsmonitoring mit **wirkungsorientierten Indikatoren**. Die Projektgruppe legt hier
den Entwurf des Indikatorensets vor.

Die Städte und Gemeinden und die Verbände der Freien Wohlfahrtspflege werden gebeten,
zu jedem Abschnitt Stellung zu nehmen: Stimmen Sie zu, stimmen Sie mit Änderungen zu oder
lehnen Sie ab? Formulierungsvorschläge werden in die Abwägung einbezogen und dem Ausschuss
für Soziales, Gleichstellung und Integration vorgelegt."""
DEADLINE_AFTER = datetime.timedelta(days=21)

SECTIONS = [
    (
        "Ziel und Raumbezug des Monitorings",
        "Das Monitoring bildet die soziale Lage kleinräumig ab. Grundlage sind die "
        "Sozialräume, die die Städte und Gemeinden selbst festlegen; der Kreis bestimmt sie "
        "nicht. Die Daten werden jährlich zum Stichtag 31.12. fortgeschrieben.",
    ),
    (
        "Demografie",
        "- Einwohnerinnen und Einwohner nach Altersgruppen\n"
        "- Anteil der unter 18-Jährigen und der über 75-Jährigen\n"
        "- Wanderungssaldo je 1.000 Einwohner",
    ),
    (
        "Existenzsicherung und Armut",
        "- SGB-II-Quote insgesamt und der unter 15-Jährigen (Kinderarmut)\n"
        "- Anteil der Empfängerinnen und Empfänger von Grundsicherung im Alter\n"
        "- Wohngeldhaushalte je 1.000 Haushalte",
    ),
    (
        "Bildung und Teilhabe",
        "- Sprachförderbedarf bei der Schuleingangsuntersuchung\n"
        "- Übergänge auf weiterführende Schulen\n"
        "- Inanspruchnahme von Leistungen für Bildung und Teilhabe",
    ),
    (
        "Gesundheit",
        "- Übergewicht und motorische Auffälligkeiten bei der Schuleingangsuntersuchung\n"
        "- Impfquoten (Masern, zweite Impfung)\n"
        "- Pflegebedürftige je 1.000 Einwohner ab 65 Jahren",
    ),
    (
        "Datenschutz und Veröffentlichung",
        "Werte für Räume mit weniger als 5 Fällen werden nicht veröffentlicht. Die "
        "Kommunen erhalten ihre Daten vor der Veröffentlichung zur Prüfung.",
    ),
]

# Per organisation (short name or name start): per section number position, comment, wording.
SIEGBURG = {
    1: (Position.AGREE, "", ""),
    2: (Position.AGREE, "", ""),
    3: (
        Position.AGREE_WITH_CHANGES,
        "Die SGB-II-Quote allein bildet verdeckte Armut nicht ab.",
        "Ergänzend: Anteil der Kinder in Haushalten mit Kinderzuschlag.",
    ),
    4: (Position.AGREE, "", ""),
    5: (Position.AGREE, "", ""),
    6: (
        Position.AGREE_WITH_CHANGES,
        "Eine Prüffrist ist nicht genannt.",
        "Die Kommunen erhalten ihre Daten vier Wochen vor der Veröffentlichung zur Prüfung.",
    ),
}
TROISDORF = {
    1: (Position.AGREE, "Die Sozialräume der Stadt liegen seit 2019 vor.", ""),
    3: (
        Position.DISAGREE,
        "Wohngelddaten liegen uns nicht kleinräumig vor.",
        "",
    ),
}
DIAKONIE = {
    5: (
        Position.AGREE_WITH_CHANGES,
        "Die Pflege zu Hause fehlt.",
        "- Anteil der Pflegebedürftigen, die zu Hause versorgt werden",
    ),
}


def _authors(organisation):
    members = Membership.objects.current().filter(organisation=organisation)
    return list(
        User.objects.filter(person__memberships__in=members, is_active=True)
        .distinct()
        .order_by("person__last_name", "pk")
    )


def _draft(statement, sections, entries):
    authors = _authors(statement.organisation)
    for number, (position, comment, wording) in entries.items():
        services.save_section_answer(
            statement,
            sections[number],
            {"position": position, "comment": comment, "wording": wording},
            actor=authors[0] if authors else None,
            base_revision=0,
        )


def _find(organisations, name):
    return next((o for o in organisations if o.short_name == name or name in o.name), None)


def seed(*, stdout):
    seed_open(stdout=stdout)
    seed_closed(stdout=stdout)


def seed_open(*, stdout):
    if Consultation.objects.filter(title=TITLE).exists():
        stdout.write(f'consultations demo: "{TITLE}" already exists, nothing changed.')
        return
    with transaction.atomic():
        consultation = services.save_consultation(
            Consultation(
                title=TITLE, purpose=PURPOSE, deadline=timezone.localdate() + DEADLINE_AFTER
            ),
            actor=None,
        )
        sections = {}
        for number, (title, text) in enumerate(SECTIONS, start=1):
            sections[number] = services.save_section(
                ConsultationSection(
                    consultation=consultation, number=number, title=title, text=text
                ),
                actor=None,
            )
        consulted = services.consult(
            consultation,
            actor=None,
            kinds=[OrganisationKind.MUNICIPALITY, OrganisationKind.WELFARE_ASSOCIATION],
        )
        consultation = services.open_consultation(
            consultation, actor=None, request_statements=False
        )
        organisations = list(consultation.organisations.all())

        if siegburg := _find(organisations, "Siegburg"):
            statement = services.statement_for(consultation, siegburg)
            _draft(statement, sections, SIEGBURG)
            # A release recorded for the demo: the responsible member has no account here.
            responses.submit(statement, actor=None, missing=services.sections_without_position)
        if troisdorf := _find(organisations, "Troisdorf"):
            statement = services.statement_for(consultation, troisdorf)
            _draft(statement, sections, TROISDORF)
            planner = Person.objects.filter(email__iexact=demo_member_email()).first()
            if planner is not None:
                Statement.objects.filter(pk=statement.pk).update(responsible=planner)
        for organisation in organisations:
            if organisation.name == "Diakonie":
                _draft(services.statement_for(consultation, organisation), sections, DIAKONIE)
            elif organisation.name == "Caritas":
                statement = services.statement_for(consultation, organisation)
                responses.submit(statement, actor=None, missing=lambda _statement: [])
                Statement.objects.filter(pk=statement.pk).update(no_statement=True)

    states = {
        "released": consultation.statements.filter(
            status=Statement.Status.SUBMITTED, no_statement=False
        ).count(),
        "none": consultation.statements.filter(no_statement=True).count(),
        "drafting": consultation.statements.filter(status=Statement.Status.IN_PROGRESS).count(),
    }
    stdout.write(
        f'consultations demo: "{TITLE}" open for {consulted} organisations '
        f"(deadline {consultation.deadline:%d.%m.%Y}); statements: {states['released']} "
        f"released, {states['none']} no statement, {states['drafting']} in progress."
    )


# --- a closed consultation with its weighing table ------------------------------------------

CLOSED_TITLE = "Handlungsempfehlungen Kinderarmut (Entwurf)"
CLOSED_PURPOSE = (
    "Die Projektgruppe legt die Handlungsempfehlungen gegen Kinderarmut vor. Die "
    "Stellungnahmen werden abgewogen; das Ergebnis geht an alle Beteiligten."
)
CLOSED_SECTIONS = [
    (
        "Frühe Hilfen",
        "Der Kreis baut die Frühen Hilfen in allen Sozialräumen mit hoher Kinderarmut aus.",
    ),
    (
        "Kita-Plätze",
        "Die Kommunen schaffen bis 2028 Kita-Plätze für alle Kinder unter drei Jahren, "
        "deren Eltern einen Platz wünschen.",
    ),
]
CLOSED_ANSWERS = {
    "Siegburg": {
        1: (Position.AGREE, "", ""),
        2: (
            Position.AGREE_WITH_CHANGES,
            "Bis 2028 ist nicht zu schaffen.",
            "Die Kommunen schaffen bis 2030 Kita-Plätze für alle Kinder unter drei Jahren.",
        ),
    },
    "Troisdorf": {
        1: (
            Position.AGREE_WITH_CHANGES,
            "Die Familienhebammen fehlen. Auch die Finanzierung ist offen.",
            "",
        ),
        2: (Position.DISAGREE, "Der Kreis legt den Kommunen Kosten auf.", ""),
    },
}
# (organisation, section number, point, response, reasons)
CLOSED_POINTS = [
    ("Siegburg", 2, "Frist 2028 zu knapp", "partly_adopted", "Die Frist wird auf 2029 gelegt."),
    ("Troisdorf", 1, "Familienhebammen ergänzen", "adopted", "Wird in Abschnitt 1 ergänzt."),
    ("Troisdorf", 1, "Finanzierung ungeklärt", "noted", ""),
    ("Troisdorf", 2, "Kosten für die Kommunen", "not_adopted", ""),
]


def _release(statement, sections, entries):
    _draft(statement, sections, entries)
    responses.submit(statement, actor=None, missing=services.sections_without_position)


def seed_closed(*, stdout):
    """A closed consultation: Siegburg and Troisdorf answered, the Caritas never did; the
    weighing table's first version is published (with a public table numbered 1, 2, …),
    and a response changed since then waits for the next version. Mails nobody."""
    if Consultation.objects.filter(title=CLOSED_TITLE).exists():
        stdout.write(f'consultations demo: "{CLOSED_TITLE}" already exists, nothing changed.')
        return
    with transaction.atomic():
        consultation = services.save_consultation(
            Consultation(
                title=CLOSED_TITLE,
                purpose=CLOSED_PURPOSE,
                deadline=timezone.localdate() + datetime.timedelta(days=1),
            ),
            actor=None,
        )
        sections = {
            number: services.save_section(
                ConsultationSection(
                    consultation=consultation, number=number, title=title, text=text
                ),
                actor=None,
            )
            for number, (title, text) in enumerate(CLOSED_SECTIONS, start=1)
        }
        candidates = Organisation.objects.filter(
            kind__in=[OrganisationKind.MUNICIPALITY, OrganisationKind.WELFARE_ASSOCIATION]
        )
        chosen = {name: _find(candidates, name) for name in ("Siegburg", "Troisdorf", "Caritas")}
        services.consult(consultation, actor=None, organisations=[o for o in chosen.values() if o])
        consultation = services.open_consultation(
            consultation, actor=None, request_statements=False
        )
        for name, entries in CLOSED_ANSWERS.items():
            if chosen[name] is not None:
                statement = services.statement_for(consultation, chosen[name])
                _release(statement, sections, entries)
        # The demo's deadline lies behind it: the consultation ended yesterday.
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Consultation.objects.filter(pk=consultation.pk).update(deadline=yesterday)
        consultation.refresh_from_db()
        consultation = services.close_consultation(consultation, actor=None)
        points = []
        for name, number, text, reply, reasons in CLOSED_POINTS:
            if chosen[name] is None:
                continue
            answer = consultation.statements.get(organisation=chosen[name]).answers.get(
                question__number=number
            )
            point = weighing.add_point(answer, actor=None, text=text)
            points.append(
                weighing.save_point(
                    point, actor=None, base_revision=1, text=text, reply=reply, reasons=reasons
                )
            )
        revised = weighing.start_revised_draft(consultation, actor=None)
        revised[0].text += " Familienhebammen ergänzen das Angebot."
        weighing.save_revised_section(revised[0], actor=None)
        revised[1].text = revised[1].text.replace("2028", "2029")
        weighing.save_revised_section(revised[1], actor=None)
        weighing.publish(consultation, actor=None, public_table="numbered", notify=False)
        if points:
            last = points[-1]
            weighing.save_point(
                last,
                actor=None,
                base_revision=last.revision,
                text=last.text,
                reply="partly_adopted",
                reasons="Der Kreis beteiligt sich an den Kosten der ersten zwei Jahre.",
            )
    stdout.write(
        f'consultations demo: "{CLOSED_TITLE}" closed, weighing table version 1 published, '
        "version 2 in progress."
    )
