"""The meetings' lines on the home page (`meetings/home.py`): for coordinators the meetings
of the coming weeks with their replies and the open and overdue tasks, each number the count
of the list it links to; for members their own and their organisations' tasks and the next
meeting of each series of their bodies. The clock stands on Monday 4 January 2027; the
steering group's quarterly series meets next on Tuesday 12 January at 10:00."""

import datetime
import itertools
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings import home, services
from meetings.models import Meeting, Task
from participation.models import EventStatus, Invitation, Reply
from tests.api_support import client_for
from tests.factories import OrganisationFactory, PersonFactory, member_of

from .conftest import make_series

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 1, 4, 8, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def clock():
    """Overrides the package's clock: the series' first meeting is eight days ahead."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def first_meeting(series):
    return series.meetings.order_by("start").first()


_minutes = itertools.count()


def add_meeting(series, *, days, title="Sondersitzung", status=EventStatus.PUBLISHED):
    # A minute apart: each needs its own original start within the series.
    start = NOW + datetime.timedelta(days=days, hours=5, minutes=next(_minutes) % 600)
    return Meeting.objects.create(
        series=series,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        recurrence_id=start,
        status=status,
    )


def add_task(meeting, *, actor, title="Kita-Daten liefern", due=14, status="open", **owner):
    return services.save_task(
        Task(
            meeting=meeting,
            title=title,
            due_date=TODAY + datetime.timedelta(days=due),
            status=status,
            **owner,
        ),
        actor=actor,
    )


def invite(meeting, *, reply=Reply.NONE, organisation=None, person=None):
    person = person or PersonFactory()
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Meeting),
        event_id=meeting.pk,
        person=person,
        email=person.email,
        name=person.full_name,
        organisation=organisation,
        reply=reply,
    )


def sections(provider, user):
    with translation.override("en"):
        return {section.key: section for section in provider(user, today=TODAY)}


def numbers(counts):
    return {count.label: count.number for count in counts}


def rows(client, url, prefix):
    """The rows the linked page lists, found by id whatever classes they carry."""
    page = client.get(url).content.decode()
    return re.findall(rf'<tr[^>]*\sid="{prefix}-(\d+)"', page), page


# --- coordinators ----------------------------------------------------------------------------


def test_coordinator_sees_the_coming_meetings_with_replies_and_task_counts(
    series, coordinator, member, own_org, other_org
):
    meeting = first_meeting(series)
    invite(meeting, reply=Reply.ACCEPTED, organisation=own_org)
    invite(meeting, organisation=other_org)
    invite(meeting, reply=Reply.DECLINED)
    extra = add_meeting(series, days=20)
    add_meeting(series, days=3, title="Abgesagt", status=EventStatus.CANCELLED)
    add_meeting(series, days=7 * home.COMING_WEEKS + 1, title="Zu weit")
    add_task(meeting, actor=coordinator, owner_person=member.person, due=-1)
    add_task(meeting, actor=coordinator, owner_organisation=own_org, due=5)
    add_task(meeting, actor=coordinator, owner_organisation=own_org, due=-9, status="done")

    section = sections(home.for_coordinator, coordinator)["meetings"]
    assert section.heading == "Meetings and tasks"
    first, second = section.items
    assert (first.title, first.url) == ("Lenkungsgruppe", meeting.get_absolute_url())
    assert "Lenkungsgruppe Sozialplanung" in first.detail and "3 invited" in first.detail
    assert numbers(first.counts) == {
        "accepted": 1,
        "tentative": 0,
        "declined": 1,
        "no reply yet": 1,
    }
    assert first.names == [other_org.name]
    assert first.severity == "warning"
    # Without invitations: no reply numbers at all.
    assert second.url == extra.get_absolute_url() and second.counts == []
    assert numbers(section.counts) == {"open tasks": 2, "overdue tasks": 1}


def test_each_coordinator_number_is_the_count_of_the_list_it_links_to(
    series, client, coordinator, member, own_org, other_org
):
    meeting = first_meeting(series)
    for reply in (Reply.ACCEPTED, Reply.ACCEPTED, Reply.TENTATIVE, Reply.NONE):
        invite(meeting, reply=reply, organisation=own_org)
    for due, status in ((-3, "open"), (-1, "in_progress"), (-5, "done"), (0, "open"), (9, "open")):
        add_task(meeting, actor=coordinator, owner_person=member.person, due=due, status=status)
    client.force_login(coordinator)
    section = sections(home.for_coordinator, coordinator)["meetings"]
    assert numbers(section.counts) == {"open tasks": 4, "overdue tasks": 2}
    for count in section.counts:
        found, page = rows(client, count.url, "task")
        assert len(found) == count.number, count
        shown = re.search(r'id="task-count"[^>]*>(\d+)', page).group(1)
        assert int(shown) == count.number, count
    (item,) = section.items
    for count in item.counts:
        found, _page = rows(client, count.url, "invitation")
        assert len(found) == count.number, count


def test_coordinator_queries_do_not_grow_with_meetings_or_tasks(
    series, coordinator, member, own_org
):
    def add(count):
        for index in range(count):
            meeting = add_meeting(series, days=1 + index % 30, title=f"Sitzung {index}")
            invite(meeting, reply=Reply.ACCEPTED, organisation=OrganisationFactory())
            invite(meeting, organisation=own_org)
            add_task(meeting, actor=coordinator, owner_person=member.person, due=index - 5)

    add(2)
    with CaptureQueriesContext(connection) as few:
        home.for_coordinator(coordinator, today=TODAY)
    add(18)
    with CaptureQueriesContext(connection) as many:
        assert len(sections(home.for_coordinator, coordinator)["meetings"].items) == 21
    assert len(many) == len(few)


def test_coordinator_without_coming_meetings_is_told_so(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Sitzungen und Aufgaben" in page
    assert "Keine Sitzung in den nächsten Wochen." in page
    assert 'href="/meetings/tasks/?status=overdue"' in page


# --- members ---------------------------------------------------------------------------------


def test_member_sees_only_their_own_and_their_organisations_tasks(
    series, coordinator, member, own_org, outsider, other_org, other_body, seated_person
):
    meeting = first_meeting(series)
    mine = add_task(meeting, actor=coordinator, owner_person=member.person, due=3, title="Meins")
    ours = add_task(meeting, actor=coordinator, owner_organisation=own_org, due=-2, title="Unsere")
    add_task(meeting, actor=coordinator, owner_person=seated_person, title="Andere Person")
    add_task(meeting, actor=coordinator, owner_person=member.person, status="done", title="Fertig")
    theirs = make_series(other_body, actor=coordinator, code="QG", title="Quartalsgespräch")
    add_task(first_meeting(theirs), actor=coordinator, owner_organisation=other_org, title="Much")

    section = sections(home.for_member, member)["meeting_tasks"]
    assert section.heading == "Your tasks"
    assert [item.title for item in section.items] == ["Unsere", "Meins"]
    overdue, soon = section.items
    assert (overdue.state, overdue.severity, overdue.deadline) == (
        "overdue",
        "danger",
        ours.due_date,
    )
    assert (soon.state, soon.severity, soon.deadline) == ("open", "warning", mine.due_date)
    assert soon.url.endswith(f"#task-{mine.pk}")
    assert numbers(section.counts) == {"open tasks": 2, "overdue": 1}

    outsiders = sections(home.for_member, outsider)["meeting_tasks"]
    assert [item.title for item in outsiders.items] == ["Much"]


def test_each_member_number_is_the_count_of_the_list_it_links_to(
    series, client, coordinator, member, own_org, seated_person
):
    meeting = first_meeting(series)
    add_task(meeting, actor=coordinator, owner_person=member.person, due=3)
    add_task(meeting, actor=coordinator, owner_organisation=own_org, due=-2)
    add_task(meeting, actor=coordinator, owner_organisation=own_org, due=-4, status="in_progress")
    add_task(meeting, actor=coordinator, owner_person=seated_person, due=-4)  # the body's
    client.force_login(member)
    section = sections(home.for_member, member)["meeting_tasks"]
    assert numbers(section.counts) == {"open tasks": 3, "overdue": 2}
    for count in section.counts:
        found, page = rows(client, count.url, "task")
        assert len(found) == count.number, count
        assert f'id="task-count" role="status">{count.number} ' in page
    # The whole body's list shows the other seat's task too: the filter is what counts.
    found, _page = rows(client, reverse("meetings:task_list"), "task")
    assert len(found) == 4


def test_a_colleague_outside_the_body_sees_their_organisations_task(
    series, client, coordinator, own_org
):
    """A colleague of a represented organisation may own a task without sitting in the body:
    they see it on the home page and in the list, the meeting named but not linked."""
    colleague = member_of(own_org)
    task = add_task(first_meeting(series), actor=coordinator, owner_organisation=own_org)
    section = sections(home.for_member, colleague)["meeting_tasks"]
    assert [item.title for item in section.items] == [task.title]
    client.force_login(colleague)
    found, page = rows(client, section.counts[0].url, "task")
    assert found == [str(task.pk)]
    assert f'href="{task.meeting.get_absolute_url()}"' not in page
    assert sections(home.for_member, colleague)["meetings"].items == []


def test_member_sees_the_next_meeting_of_each_series_of_their_bodies(
    series, coordinator, member, other_body
):
    weekly = make_series(
        series.body,
        actor=coordinator,
        code="LG",
        title="Arbeitstreffen",
        rule="FREQ=WEEKLY;BYDAY=TH",
        first_date=TODAY,
    )
    make_series(other_body, actor=coordinator, code="QG", title="Quartalsgespräch")
    section = sections(home.for_member, member)["meetings"]
    assert section.heading == "Your next meetings"
    assert [(item.title, item.url) for item in section.items] == [
        ("Arbeitstreffen", first_meeting(weekly).get_absolute_url()),
        ("Lenkungsgruppe", first_meeting(series).get_absolute_url()),
    ]
    assert "Kreishaus Siegburg" in section.items[1].detail

    # Cancelled, the steering group's next one is in April: beyond the coming weeks.
    services.cancel_meeting(first_meeting(series), actor=coordinator)
    section = sections(home.for_member, member)["meetings"]
    assert [item.title for item in section.items] == ["Arbeitstreffen"]


def test_member_queries_do_not_grow_with_tasks_or_series(
    series, coordinator, member, own_org, body
):
    def add(count):
        for index in range(count):
            meeting = add_meeting(series, days=1 + index, title=f"Sitzung {index}")
            add_task(meeting, actor=coordinator, owner_organisation=own_org, due=index - 3)

    add(2)
    with CaptureQueriesContext(connection) as few:
        home.for_member(member, today=TODAY)
    add(18)
    with CaptureQueriesContext(connection) as many:
        assert len(sections(home.for_member, member)["meeting_tasks"].items) == 20
    assert len(many) == len(few)


def test_member_without_tasks_is_told_so_in_words(client, series, member):
    client.force_login(member)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ihre Aufgaben" in page
    assert "Weder Sie noch Ihre Organisation haben eine offene Aufgabe" in page
    assert "Nächste Sitzungen" in page and first_meeting(series).get_absolute_url() in page


# --- the page and the API --------------------------------------------------------------------


def test_the_sections_are_on_the_home_page_and_in_the_api_for_both_roles(
    series, client, coordinator, member, own_org
):
    meeting = first_meeting(series)
    task = add_task(meeting, actor=coordinator, owner_organisation=own_org, due=-1)

    client.force_login(coordinator)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="home-meetings"' in page and "Meetings and tasks" in page
    assert f'href="{meeting.get_absolute_url()}"' in page
    data = client_for(coordinator).get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE="en").data
    (mine,) = [s for s in data["sections"] if s["key"] == "meetings"]
    assert [c["number"] for c in mine["counts"]] == [1, 1]
    assert mine["counts"][1]["url"] == "/meetings/tasks/?status=overdue"

    client.force_login(member)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ihre Aufgaben" in page and task.title in page and "überfällig" in page
    assert "Nächste Sitzungen" in page
    data = client_for(member).get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE="en").data
    by_key = {s["key"]: s for s in data["sections"]}
    assert [i["title"] for i in by_key["meeting_tasks"]["items"]] == [task.title]
    assert by_key["meeting_tasks"]["items"][0]["state"] == "overdue"
    assert [i["url"] for i in by_key["meetings"]["items"]] == [meeting.get_absolute_url()]


def test_task_list_filters_overdue_and_mine(series, client, coordinator, member, seated_person):
    meeting = first_meeting(series)
    late = add_task(meeting, actor=coordinator, owner_person=member.person, due=-1, title="Spät")
    add_task(meeting, actor=coordinator, owner_person=seated_person, due=-1, title="Fremd")
    add_task(meeting, actor=coordinator, owner_person=member.person, due=1, title="Bald")
    client.force_login(member)
    found, page = rows(client, "/meetings/tasks/?status=overdue&owner=mine", "task")
    assert found == [str(late.pk)]
    assert 'role="status">1 Aufgabe<' in page and "überfällig" in page
