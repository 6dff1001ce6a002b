"""Fixtures of the consultation tests: a consultation on a draft with two sections that
consults own_org (the member's) and other_org (the outsider's), with a contact person each;
an organisation that is not consulted; a second member of own_org."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from consultations import reminders, services
from consultations.models import Consultation, ConsultationReminder, ConsultationSection
from tests.factories import MembershipFactory, OrganisationFactory, member_of

DEADLINE_IN = datetime.timedelta(days=14)


def build_consultation(coordinator, organisations, *, open_it=True, deadline=None):
    consultation = services.save_consultation(
        Consultation(
            title="Indikatorenset Sozialmonitoring",
            purpose="Bitte nehmen Sie **Stellung**.",
            deadline=deadline or timezone.localdate() + DEADLINE_IN,
        ),
        actor=coordinator,
    )
    for number, (title, text) in enumerate(
        [("Demografie", "- Altersgruppen"), ("Armut", "- SGB-II-Quote")], start=1
    ):
        services.save_section(
            ConsultationSection(consultation=consultation, number=number, title=title, text=text),
            actor=coordinator,
        )
    services.consult(consultation, actor=coordinator, organisations=organisations)
    if open_it:
        consultation = services.open_consultation(consultation, actor=coordinator)
    return consultation


@pytest.fixture
def contacts(own_org, other_org):
    """One contact person with an e-mail address per consulted organisation."""
    return [
        MembershipFactory(
            organisation=own_org, is_contact=True, person__email="kontakt@siegburg.example"
        ),
        MembershipFactory(
            organisation=other_org, is_contact=True, person__email="kontakt@much.example"
        ),
    ]


@pytest.fixture
def colleague(own_org):
    """A second member of own_org."""
    return member_of(own_org)


@pytest.fixture
def not_consulted():
    return OrganisationFactory(name="Gemeinde Ruppichteroth")


@pytest.fixture
def consultation(coordinator, own_org, other_org, contacts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_consultation(coordinator, [own_org, other_org])


def value(position="agree", comment="", wording=""):
    return {"position": position, "comment": comment, "wording": wording}


START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def answer_and_release(consultation, organisation, user, answers):
    statement = services.statement_for(consultation, organisation)
    for section, entry in zip(consultation.sections.all(), answers, strict=True):
        services.save_section_answer(statement, section, entry, actor=user, base_revision=0)
    services.name_responsible(statement, user.person, actor=user)
    return services.release_statement(statement, actor=user)


@pytest.fixture
def third_org():
    org = OrganisationFactory(name="Caritasverband Rhein-Sieg")
    MembershipFactory(organisation=org, is_contact=True, person__email="kontakt@caritas.example")
    return org


@pytest.fixture
def cycle(
    coordinator,
    own_org,
    other_org,
    third_org,
    contacts,
    member,
    outsider,
    django_capture_on_commit_callbacks,
):
    """A consultation with three organisations: own_org agrees with changes, other_org
    disagrees, third_org never answers although reminded twice; closed after the deadline."""
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            consultation = build_consultation(
                coordinator,
                [own_org, other_org, third_org],
                deadline=datetime.date(2027, 3, 15),
            )
        answer_and_release(
            consultation,
            own_org,
            member,
            [
                value("agree_with_changes", "Altersgruppen feiner.", "0–3, 3–6 Jahre"),
                value("agree", "Gut so."),
            ],
        )
    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders.remind_missing(
                consultation, actor=coordinator, kind=ConsultationReminder.Kind.MANUAL
            )
        answer_and_release(
            consultation,
            other_org,
            outsider,
            [value("disagree", "Zu grob."), value("disagree", "Quote fehlt für Much.")],
        )
    with (
        time_machine.travel(START + datetime.timedelta(days=10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders.remind_missing(
            consultation, actor=coordinator, kind=ConsultationReminder.Kind.MANUAL
        )
    with time_machine.travel(START + datetime.timedelta(days=16), tick=False):
        services.close_consultation(consultation, actor=coordinator)
    consultation.refresh_from_db()
    return consultation


def own_answer(consultation, organisation, number):
    return consultation.statements.get(organisation=organisation).answers.get(
        question__number=number
    )
