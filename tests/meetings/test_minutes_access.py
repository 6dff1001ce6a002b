"""Who reads a meeting's minutes, the same on the page and over the API
(`selectors.may_read_minutes`): draft minutes only coordinators; circulated minutes the
meeting's attendees and invitees (for corrections); approved minutes every member of the
body; an outsider never sees the meeting at all."""

import datetime

import pytest
from django.urls import reverse

from meetings import minutes
from participation.events import invitations
from tests.factories import BodyMembershipFactory, PersonFactory, UserFactory

from .conftest import make_series

pytestmark = pytest.mark.django_db

AFTER_FIRST = datetime.datetime(2027, 1, 12, 13, 0, tzinfo=datetime.UTC)
TEXT = "Die Projektgruppe berichtet über den Sachstand."


@pytest.fixture
def first(clock, body, coordinator, member):
    series = make_series(body, actor=coordinator, agenda_template="Bericht\nVerschiedenes")
    meeting = series.meetings.order_by("start")[0]
    minutes.ensure_agenda(meeting)
    item = minutes.agenda(meeting)[0]
    minutes.save_minutes(
        item, minutes=TEXT, outcome="information", base_revision=0, actor=coordinator
    )
    clock.move_to(AFTER_FIRST)
    # The member was present; the absent member holds a seat but was not there.
    minutes.save_attendance(meeting, {member.person.pk: ("present", "")}, actor=coordinator)
    return meeting


@pytest.fixture
def absent_member(body):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    BodyMembershipFactory(body=body, person=person)
    return user


def reads(client, user, meeting):
    """(page shows the minutes' text, item API status, attendance API status)."""
    client.force_login(user)
    item = minutes.agenda(meeting)[0]
    page = client.get(reverse("meetings:minutes", args=[meeting.pk]))
    printable = client.get(reverse("meetings:minutes_print", args=[meeting.pk]))
    shown = page.status_code == 200 and TEXT in page.content.decode()
    assert shown == (printable.status_code == 200 and TEXT in printable.content.decode())
    item_status = client.get(f"/api/v1/agenda-items/{item.pk}/minutes/").status_code
    attendance_status = client.get(f"/api/v1/meetings/{meeting.pk}/attendance/").status_code
    return shown, item_status, attendance_status


def test_draft_minutes_are_for_coordinators_only(
    first, client, coordinator, member, absent_member, outsider
):
    assert reads(client, coordinator, first) == (True, 200, 200)
    assert reads(client, member, first) == (False, 404, 404)
    assert reads(client, absent_member, first) == (False, 404, 404)
    assert reads(client, outsider, first) == (False, 404, 404)
    client.force_login(member)
    page = client.get(reverse("meetings:minutes", args=[first.pk])).content.decode()
    assert "Das Protokoll wird geschrieben" in page
    # The agenda itself stays readable for the member.
    assert client.get(f"/api/v1/meetings/{first.pk}/agenda/").status_code == 200
    assert "Bericht" in page


def test_circulated_minutes_are_for_the_attendees(
    first, client, coordinator, member, absent_member, outsider
):
    minutes.circulate(first, actor=coordinator)
    assert reads(client, coordinator, first) == (True, 200, 200)
    assert reads(client, member, first) == (True, 200, 200)
    assert reads(client, absent_member, first) == (False, 404, 404)
    assert reads(client, outsider, first) == (False, 404, 404)


def test_circulated_minutes_are_for_the_invitees_too(first, client, coordinator, absent_member):
    invitations.invite_person(
        first, email=absent_member.email, person=absent_member.person, actor=coordinator
    )
    minutes.circulate(first, actor=coordinator)
    assert reads(client, absent_member, first) == (True, 200, 200)


def test_approved_minutes_are_for_every_member_of_the_body(
    first, client, coordinator, member, absent_member, outsider
):
    minutes.circulate(first, actor=coordinator)
    minutes.approve(first, actor=coordinator)
    assert reads(client, coordinator, first) == (True, 200, 200)
    assert reads(client, member, first) == (True, 200, 200)
    assert reads(client, absent_member, first) == (True, 200, 200)
    assert reads(client, outsider, first) == (False, 404, 404)


def test_the_meeting_page_links_the_minutes_only_to_those_who_may_read_them(
    first, client, coordinator, member
):
    link = f'href="{reverse("meetings:minutes", args=[first.pk])}"'
    client.force_login(member)
    assert link not in client.get(first.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert link in client.get(first.get_absolute_url()).content.decode()
