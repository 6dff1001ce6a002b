"""The consultations' lines on the home page (`consultations/home.py`): members see the
statements their organisations still have to give; coordinators the consultations closing
with how many statements are missing, each number the count of the list it links to."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import home, services, weighing
from tests.factories import OrganisationFactory

from .conftest import build_consultation, value

pytestmark = pytest.mark.django_db


def test_members_see_the_statements_still_to_give(client, member, consultation, own_org, colleague):
    [section] = home.for_member(member, today=timezone.localdate())
    [item] = section.items
    assert item.title == "Indikatorenset Sozialmonitoring"
    assert item.deadline == consultation.deadline and item.state == "not_started"
    statement = services.statement_for(consultation, own_org)
    services.save_section_answer(
        statement, consultation.sections.first(), value(), actor=member, base_revision=0
    )
    [item] = home.for_member(member, today=timezone.localdate())[0].items
    assert item.state == "in_progress" and item.url == statement.get_absolute_url()
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Abzugebende Stellungnahmen" in page and "Indikatorenset Sozialmonitoring" in page
    # Released: nothing left to do.
    services.name_responsible(statement, colleague.person, actor=member)
    services.declare_no_statement(statement, actor=colleague)
    assert home.for_member(member, today=timezone.localdate())[0].items == []


def test_coordinators_see_every_open_consultation_soonest_first_and_the_counts_match(
    client, coordinator, member, consultation, own_org, other_org
):
    far = build_consultation(
        coordinator, [own_org], deadline=timezone.localdate() + datetime.timedelta(days=60)
    )
    statement = services.statement_for(consultation, own_org)
    services.name_responsible(statement, member.person, actor=member)
    services.declare_no_statement(statement, actor=member)
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        [section] = home.for_coordinator(coordinator, today=today)
    OrganisationFactory.create_batch(3)
    for _extra in range(3):
        build_consultation(coordinator, [own_org, other_org])
    with CaptureQueriesContext(connection) as many:
        home.for_coordinator(coordinator, today=today)
    assert len(many) == len(few)  # a fixed number of queries whatever the records
    item, later = section.items
    assert item.url == consultation.get_absolute_url()
    assert later.url == far.get_absolute_url() and later.deadline == far.deadline
    answered, missing = item.counts
    assert (answered.number, missing.number) == (1, 1)
    client.force_login(coordinator)
    for count, shown, hidden in (
        (answered, "Stadt Siegburg", "Gemeinde Much"),
        (missing, "Gemeinde Much", "Stadt Siegburg"),
    ):
        listed = client.get(count.url).content.decode()
        table = listed[listed.index("<tbody") :]
        assert shown in table and hidden not in table


def test_a_consultation_past_its_deadline_leaves_the_members_list(member, consultation):
    with time_machine.travel(consultation.deadline + datetime.timedelta(days=1)):
        assert home.for_member(member, today=timezone.localdate())[0].items == []


def test_a_closed_consultation_waits_on_the_coordinators_page_until_its_result_is_out(
    coordinator, consultation
):
    with time_machine.travel(consultation.deadline + datetime.timedelta(days=1)):
        services.close_consultation(consultation, actor=coordinator)
        [section] = home.for_coordinator(coordinator, today=timezone.localdate())
    [item] = section.items
    assert item.detail == "Abgeschlossen; die Abwägung ist noch nicht veröffentlicht."
    assert item.url == f"/consultations/{consultation.pk}/weighing/"


def test_a_published_result_shows_on_the_members_page_for_a_while(
    cycle, coordinator, member, outsider
):
    published_at = timezone.now()
    weighing.publish(cycle, actor=coordinator, notify=False)
    today = timezone.localdate()
    results = [s for s in home.for_member(member, today=today) if s.key == "consultation-results"]
    [item] = results[0].items
    assert item.url == f"/consultations/{cycle.pk}/result/"
    assert item.detail == (
        f"Ergebnis veröffentlicht am {published_at:%d.%m.%Y}: Ihre Stellungnahme mit den Antworten."
    )
    later = today + datetime.timedelta(days=61)
    assert not [s for s in home.for_member(member, today=later) if s.key == "consultation-results"]
    # The coordinators' page no longer lists it as waiting.
    [section] = home.for_coordinator(coordinator, today=today)
    assert cycle.title not in [item.title for item in section.items]
