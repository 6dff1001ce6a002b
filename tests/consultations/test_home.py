"""The consultations' lines on the home page (`consultations/home.py`): members see the
statements their organisations still have to give; coordinators the consultations closing
with how many statements are missing, each number the count of the list it links to."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import home, services
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


def test_coordinators_see_consultations_closing_and_the_counts_match_the_lists(
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
    [item] = section.items
    assert item.title == consultation.title and far.title == consultation.title
    assert item.url == consultation.get_absolute_url()
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
