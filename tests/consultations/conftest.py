"""Fixtures of the consultation tests: a consultation on a draft with two sections that
consults own_org (the member's) and other_org (the outsider's), with a contact person each;
an organisation that is not consulted; a second member of own_org."""

import datetime

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, ConsultationSection
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
