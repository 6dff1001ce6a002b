"""The consultations demo seeded by `seed_demo`: the county consults the municipalities and
the welfare associations on the draft indicator set; a couple of statements are released,
declared as none or in progress; nobody is mailed; idempotent."""

import io

import pytest
from django.core.management import call_command

from consultations import demo, record, selectors, weighing
from consultations.models import Consultation, ResultNotice, Statement, WeighingPoint
from participation.management.commands.seed_demo import demo_member_email
from participation.models import OrganisationKind, OutboundMail

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_the_indicator_consultation_once_and_mails_nobody(
    mailoutbox, django_capture_on_commit_callbacks
):
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=output)
    consultation = Consultation.objects.get(title=demo.TITLE)
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.sections.count() == len(demo.SECTIONS)
    kinds = set(consultation.organisations.values_list("kind", flat=True))
    assert kinds == {OrganisationKind.MUNICIPALITY, OrganisationKind.WELFARE_ASSOCIATION}
    states = {row.organisation.name: row.state for row in selectors.progress(consultation)}
    assert states["Caritas"] == selectors.Progress.NO_STATEMENT
    assert states["Diakonie"] == selectors.Progress.IN_PROGRESS
    assert selectors.Progress.RELEASED in states.values()
    troisdorf = Statement.objects.get(
        consultation=consultation, organisation__short_name="Troisdorf"
    )
    assert troisdorf.responsible.email.lower() == demo_member_email().lower()
    assert not mailoutbox
    assert not OutboundMail.objects.filter(subject__contains="Indikatorenset").exists()
    assert "consultations demo:" in output.getvalue()

    call_command("seed_demo", stdout=output)
    assert Consultation.objects.filter(title=demo.TITLE).count() == 1
    assert "already exists" in output.getvalue()


def test_seed_demo_adds_a_closed_consultation_with_a_published_weighing_table(
    mailoutbox, django_capture_on_commit_callbacks
):
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=output)
    consultation = Consultation.objects.get(title=demo.CLOSED_TITLE)
    assert consultation.status == Consultation.Status.CLOSED
    publication = consultation.publications.get()
    assert publication.version == 1 and publication.public_table == "numbered"
    assert weighing.current_version(consultation) == 2
    assert weighing.changed_since_publication(consultation)
    rows = {row.organisation.name: row.outcome for row in record.record(consultation)}
    assert rows["Caritas"] == "nie geantwortet"
    assert WeighingPoint.objects.filter(answer__response__consultation=consultation).count() == 4
    assert consultation.revised_sections.get(number=2).text.count("2029") == 1
    assert not mailoutbox and not ResultNotice.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=output)
    assert Consultation.objects.filter(title=demo.CLOSED_TITLE).count() == 1
    assert consultation.publications.count() == 1
