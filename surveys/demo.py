"""Demo data for surveys, called by `manage.py seed_demo` after the registry is seeded: the
county's survey of the municipalities on their starting conditions ("Abfrage zur
Ausgangssituation"), published, with a few responses in different states.

The German texts are demo data, not interface strings, so they are not marked for
translation. Idempotent: when the survey exists (looked up by title), nothing is changed."""

import datetime

from django.db import transaction
from django.utils import timezone

from participation.models import Membership, Organisation, OrganisationKind, User

from . import services
from .models import Question, QuestionKind, Response, Section, Survey

TITLE = "Ausgangssituation der Kommunen"
DESCRIPTION = (
    "Für den Aufbau der strategischen Sozial- und Gesundheitsplanung bittet die "
    "Kreisverwaltung die 19 kreisangehörigen Städte und Gemeinden um Auskunft zur "
    "Ausgangssituation vor Ort: Welche kleinräumigen Daten liegen vor, welche "
    "Fachplanungen gibt es, ist eine Sozialplanung eingerichtet, wie gliedert sich die "
    "Kommune in Sozialräume und welche Erwartungen bestehen an das Projekt?\n\n"
    "Die Abfrage wird je Kommune einmal beantwortet; mehrere Mitarbeitende können "
    "gemeinsam daran arbeiten. Eingaben bleiben gespeichert und können bis zur Abgabe "
    "jederzeit ergänzt werden. Die Angaben einer Kommune sind für andere Kommunen nicht "
    "sichtbar. Die Ergebnisse werden in der Dienstbesprechung der Sozialdezernentinnen und "
    "-dezernenten vorgestellt."
)
DEADLINE_AFTER = datetime.timedelta(weeks=4)


def _options(*pairs):
    return [{"value": value, "label": label} for value, label in pairs]


def _q(key, kind, text, *, help_text="", required=False, condition=None, **config):
    return {
        "key": key,
        "kind": kind,
        "text": text,
        "help_text": help_text,
        "required": required,
        "config": config,
        "condition": condition,
    }


HAS_PLANNER = {"question": "sozialplanung_stelle", "equals": True}
HAS_SOCIAL_SPACES = {"question": "sozialraeume_gliederung", "equals": "ja"}
FORMATS = _options(
    ("workshops", "Workshops mit allen Beteiligten"),
    ("arbeitsgruppe", "Mitarbeit in einer Arbeitsgruppe"),
    ("schriftlich", "Schriftliche Stellungnahmen"),
)

# (section title, section description, questions)
SECTIONS = [
    (
        "Sozialplanung in der Kommune",
        "Angaben zur personellen Ausstattung der Sozialplanung in Ihrer Verwaltung.",
        [
            _q(
                "sozialplanung_stelle",
                QuestionKind.YES_NO,
                "Ist in Ihrer Verwaltung eine Sozialplanerin oder ein Sozialplaner beschäftigt?",
                required=True,
            ),
            _q(
                "sozialplanung_vzae",
                QuestionKind.DECIMAL,
                "Mit wie vielen Vollzeitäquivalenten ist die Sozialplanung ausgestattet?",
                help_text="Bitte rechnen Sie Teilzeitstellen anteilig ein (z. B. 0,5 VZÄ).",
                condition=HAS_PLANNER,
                unit="VZÄ",
                min=0,
                max=20,
                decimal_places=2,
            ),
            _q(
                "sozialplanung_amt",
                QuestionKind.SHORT_TEXT,
                "In welchem Amt bzw. Fachbereich ist die Sozialplanung angesiedelt?",
                help_text="z. B. Stabsstelle beim Sozialdezernat, Amt für Soziales",
                condition=HAS_PLANNER,
                max_length=200,
            ),
        ],
    ),
    (
        "Kleinräumige Daten",
        "Grundlage eines Sozialmonitorings sind Daten unterhalb der Gemeindeebene. Bitte "
        "geben Sie an, welche Daten Ihnen bereits vorliegen.",
        [
            _q(
                "daten_ebenen",
                QuestionKind.MATRIX,
                "Auf welcher räumlichen Ebene liegen Ihnen die folgenden Daten vor?",
                help_text="Bitte wählen Sie je Themenfeld die kleinste verfügbare Ebene.",
                rows=_options(
                    ("bevoelkerung", "Bevölkerung (Alter, Geschlecht, Staatsangehörigkeit)"),
                    ("sgb2", "SGB-II-Bezug"),
                    ("kita", "Kinder in Kindertageseinrichtungen"),
                    ("schulabschluesse", "Schulabschlüsse"),
                    ("pflege", "Pflegebedürftigkeit"),
                    ("wohnen", "Wohnen (Wohnfläche, geförderter Wohnraum)"),
                ),
                columns=_options(
                    ("gemeinde", "Gemeinde gesamt"),
                    ("ortsteil", "Ortsteil/Stadtteil"),
                    ("sozialraum", "Sozialraum"),
                    ("baublock", "Baublock"),
                    ("nicht_vorhanden", "liegt nicht vor"),
                ),
            ),
            _q(
                "daten_quellen",
                QuestionKind.MULTIPLE_CHOICE,
                "Aus welchen Quellen beziehen Sie diese Daten?",
                help_text="Mehrfachnennungen sind möglich.",
                choices=_options(
                    ("einwohnermeldeamt", "Einwohnermeldeamt"),
                    ("it_nrw", "IT.NRW (Landesbetrieb Information und Technik)"),
                    ("bundesagentur", "Statistik der Bundesagentur für Arbeit"),
                    ("eigene_erhebungen", "Eigene Erhebungen"),
                ),
                allow_other=True,
            ),
        ],
    ),
    (
        "Fachplanungen",
        "Bitte nennen Sie die in Ihrer Kommune vorliegenden Fachplanungen, z. B. "
        "Jugendhilfeplanung, Kita-Bedarfsplanung, Schulentwicklungsplanung, Altenhilfe- und "
        "Pflegeplanung, Gesundheitsplanung oder ein Wohnraumversorgungskonzept.",
        [
            _q(
                "fachplanungen",
                QuestionKind.TABLE,
                "Welche Fachplanungen liegen in Ihrer Kommune vor?",
                help_text="Je Fachplanung eine Zeile; bitte das Jahr des aktuellen Stands.",
                columns=[
                    {
                        "key": "fachplanung",
                        "label": "Fachplanung",
                        "kind": "short_text",
                        "required": True,
                    },
                    {"key": "jahr", "label": "Jahr", "kind": "integer", "min": 1990, "max": 2100},
                    {"key": "amt", "label": "Zuständiges Amt", "kind": "short_text"},
                ],
                max_rows=30,
            ),
            _q(
                "fachplanung_dokument",
                QuestionKind.FILE,
                "Falls möglich: Laden Sie bitte die aktuellste Fachplanung hoch.",
                help_text="Freiwillig. PDF, XLSX, CSV, DOCX oder ODT bis 10 MB.",
                max_size_mb=10,
                types=["pdf", "xlsx", "csv", "docx", "odt"],
            ),
        ],
    ),
    (
        "Sozialräume",
        "Die Abgrenzung von Sozialräumen liegt in der Zuständigkeit der Städte und "
        "Gemeinden. Für die kreisweite Planung ist wichtig zu wissen, welche Gliederungen "
        "bereits bestehen.",
        [
            _q(
                "sozialraeume_gliederung",
                QuestionKind.SINGLE_CHOICE,
                "Ist Ihr Gemeindegebiet in Sozialräume gegliedert?",
                choices=_options(("ja", "Ja"), ("in_planung", "In Planung"), ("nein", "Nein")),
            ),
            _q(
                "sozialraeume_anzahl",
                QuestionKind.INTEGER,
                "Wie viele Sozialräume umfasst Ihr Gemeindegebiet?",
                condition=HAS_SOCIAL_SPACES,
                min=1,
                max=200,
            ),
            _q(
                "sozialraeume_abgrenzung",
                QuestionKind.DATE,
                "Wann wurden die Sozialräume zuletzt abgegrenzt oder überprüft?",
                help_text="Ein ungefähres Datum genügt (z. B. Datum des Ratsbeschlusses).",
                condition=HAS_SOCIAL_SPACES,
            ),
        ],
    ),
    (
        "Erwartungen an das Projekt",
        "Ihre Einschätzung hilft, die Beteiligung der Kommunen passend zu gestalten.",
        [
            _q(
                "erwartungen_monitoring",
                QuestionKind.SCALE,
                "Wie wichtig ist Ihnen ein kreisweit abgestimmtes, kleinräumiges Sozialmonitoring?",
                min=1,
                max=5,
                min_label="unwichtig",
                max_label="sehr wichtig",
            ),
            _q(
                "erwartungen",
                QuestionKind.LONG_TEXT,
                "Welche Erwartungen hat Ihre Kommune an das Projekt zur Sozial- und "
                "Gesundheitsplanung des Rhein-Sieg-Kreises?",
                required=True,
                max_length=5000,
            ),
            _q(
                "beteiligung_format",
                QuestionKind.SINGLE_CHOICE,
                "In welcher Form möchten Sie sich vorrangig beteiligen?",
                choices=FORMATS,
            ),
            _q(
                "kontakt_telefon",
                QuestionKind.SHORT_TEXT,
                "Unter welcher Telefonnummer ist die Ansprechperson für Rückfragen erreichbar?",
                max_length=40,
            ),
        ],
    ),
]

# Demo answers by municipality (short name). Each entry: (key, value, author index); the
# author index picks one of the municipality's members with an account, if there are any.
SIEGBURG = [
    ("sozialplanung_stelle", True, 1),
    ("sozialplanung_vzae", "1,5", 1),
    ("sozialplanung_amt", "Amt für Familie, Soziales und Integration – Stabsstelle", 1),
    (
        "daten_ebenen",
        {
            "bevoelkerung": "sozialraum",
            "sgb2": "ortsteil",
            "kita": "sozialraum",
            "schulabschluesse": "gemeinde",
            "pflege": "gemeinde",
            "wohnen": "baublock",
        },
        1,
    ),
    (
        "daten_quellen",
        {
            "choices": ["bundesagentur", "einwohnermeldeamt", "it_nrw"],
            "other": "Jobcenter Rhein-Sieg (Sonderauswertung)",
        },
        1,
    ),
    (
        "fachplanungen",
        [
            {"fachplanung": "Jugendhilfeplanung", "jahr": 2018, "amt": "Jugendamt"},
            {"fachplanung": "Kita-Bedarfsplanung", "jahr": 2019, "amt": "Jugendamt"},
            {"fachplanung": "Schulentwicklungsplan", "jahr": 2017, "amt": "Schulverwaltungsamt"},
            {"fachplanung": "Seniorenplan", "jahr": 2015, "amt": "Amt für Soziales"},
        ],
        1,
    ),
    ("sozialraeume_gliederung", "ja", 1),
    ("sozialraeume_anzahl", 8, 1),
    ("sozialraeume_abgrenzung", "12.09.2017", 1),
    ("erwartungen_monitoring", 5, 0),
    (
        "erwartungen",
        "Wir erwarten eine kreisweit einheitliche Datengrundlage, die mit unserer "
        "Sozialraumgliederung kompatibel ist, sowie einen regelmäßigen Austausch der "
        "Sozialplanerinnen und Sozialplaner der Kommunen. Die Ergebnisse sollten in die "
        "Jugendhilfe- und Schulentwicklungsplanung einfließen können.",
        0,
    ),
    ("beteiligung_format", "arbeitsgruppe", 0),
    ("kontakt_telefon", "02241 000-4711", 1),
]
TROISDORF = [
    ("sozialplanung_stelle", True, 0),
    ("sozialplanung_vzae", "0,5", 0),
    ("sozialplanung_amt", "Fachbereich Soziales und Wohnen", 1),
    ("daten_ebenen", {"bevoelkerung": "ortsteil", "sgb2": "gemeinde", "kita": "ortsteil"}, 1),
    ("sozialraeume_gliederung", "in_planung", 1),
]
# Changed later by someone else: the history shows both revisions.
TROISDORF_CHANGES = [("sozialplanung_vzae", "1", 1)]
HENNEF = [("sozialplanung_stelle", False, 0)]


def _build(survey):
    version = survey.draft_version
    for position, (title, description, questions) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(
            version=version, position=position, title=title, description=description
        )
        Question.objects.bulk_create(
            Question(section=section, position=number, **question)
            for number, question in enumerate(questions, start=1)
        )


def _authors(organisation):
    """Users of the organisation's current members, in a stable order (may be empty)."""
    members = Membership.objects.current().filter(organisation=organisation)
    return list(
        User.objects.filter(person__memberships__in=members, is_active=True)
        .distinct()
        .order_by("person__last_name", "pk")
    )


def _answer(response, questions, authors, entries):
    for key, value, author in entries:
        actor = authors[author % len(authors)] if authors else None
        current = response.answers.filter(question=questions[key]).first()
        services.save_answer(
            response,
            questions[key],
            value,
            actor=actor,
            base_revision=current.revision if current else 0,
        )


def seed(*, stdout):
    if Survey.objects.filter(title=TITLE).exists():
        stdout.write(f'surveys demo: "{TITLE}" already exists, nothing changed.')
        return
    with transaction.atomic():
        survey = services.create_survey(
            Survey(
                title=TITLE,
                description=DESCRIPTION,
                deadline=timezone.localdate() + DEADLINE_AFTER,
            ),
            actor=None,
        )
        _build(survey)
        audience = services.add_audience_kind(survey, OrganisationKind.MUNICIPALITY, actor=None)
        version = services.publish(survey, actor=None)
        questions = {q.key: q for q in Question.objects.filter(section__version=version)}

        municipalities = {
            org.short_name: org
            for org in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
        }
        plans = {
            "Siegburg": (SIEGBURG, True),
            "Troisdorf": (TROISDORF + TROISDORF_CHANGES, False),
            "Hennef (Sieg)": (HENNEF, False),
        }
        for name, (entries, submit) in plans.items():
            organisation = municipalities.get(name)
            if organisation is None:
                continue
            authors = _authors(organisation)
            response = services.response_for(survey, organisation)
            _answer(response, questions, authors, entries)
            if submit:
                services.submit_response(response, actor=authors[0] if authors else None)

    states = dict.fromkeys(Response.Status.values, 0)
    for status in survey.responses.values_list("status", flat=True):
        states[status] += 1
    stdout.write(
        f'surveys demo: "{TITLE}" published with {len(questions)} questions for {audience} '
        f"municipalities (deadline {survey.deadline:%d.%m.%Y}); responses: "
        f"{states[Response.Status.SUBMITTED]} submitted, "
        f"{states[Response.Status.IN_PROGRESS]} in progress, "
        f"{audience - sum(states.values())} not started."
    )
