"""The body's calendar feed is valid RFC 5545 that a calendar program expands to exactly the
platform's dates: across the change to summer time, after one meeting is moved and another
cancelled (icalendar parses it, recurring-ical-events expands it)."""

import datetime

import pytest
import recurring_ical_events
from django.urls import reverse
from icalendar import Calendar

from meetings import feed, services
from meetings.models import Task

from .conftest import local

pytestmark = pytest.mark.django_db

WINDOW = (datetime.date(2026, 1, 1), datetime.date(2028, 1, 1))


def expanded(ics):
    calendar = Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(*WINDOW)
    return sorted((local(e["DTSTART"].dt), local(e["DTEND"].dt)) for e in events)


def platform_dates(series):
    return sorted(
        (local(m.start), local(m.end)) for m in series.meetings.exclude(status="cancelled")
    )


def test_feed_expands_to_the_platforms_dates_across_summer_time(series):
    ics = feed.body_feed(series.body)
    dates = expanded(ics)
    assert dates == platform_dates(series)
    assert len(dates) == 4
    assert {start.hour for start, _ in dates} == {10}
    calendar = Calendar.from_ical(ics)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    master = calendar.walk("VEVENT")[0]
    assert dict(master["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [1, 4, 7, 10], "BYDAY": ["2TU"]}
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_feed_follows_a_move_and_a_cancellation(series, coordinator):
    meetings = list(series.meetings.order_by("start"))
    moved = meetings[1]
    new_start = moved.start + datetime.timedelta(days=1, hours=3)
    services.move_meeting(
        moved, start=new_start, end=new_start + datetime.timedelta(hours=3), actor=coordinator
    )
    services.cancel_meeting(meetings[2], actor=coordinator)

    ics = feed.body_feed(series.body)
    dates = expanded(ics)
    assert dates == platform_dates(series)
    assert len(dates) == 3
    assert (local(new_start), local(new_start + datetime.timedelta(hours=3))) in dates
    assert local(meetings[2].start) not in [start for start, _ in dates]

    events = Calendar.from_ical(ics).walk("VEVENT")
    master, override = events
    assert [local(d.dt) for d in master["EXDATE"].dts] == [local(meetings[2].recurrence_id)]
    assert override["UID"] == master["UID"]
    assert local(override["RECURRENCE-ID"].dt) == local(moved.recurrence_id)
    assert override["SEQUENCE"] == 1
    assert override["RECURRENCE-ID"].params["TZID"] == "Europe/Berlin"


def test_feed_page_and_api_for_members_of_the_body_only(series, client, member, outsider):
    url = reverse("meetings:body_calendar", args=[series.body_id])
    api_url = reverse("meetings_api:body-calendar", args=[series.body_id])
    client.force_login(member)
    for address in (url, api_url):
        response = client.get(address)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert expanded(response.content) == platform_dates(series)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(api_url).status_code == 404


def test_feed_follows_a_change_of_the_rule(series, coordinator, member):
    april = series.meetings.order_by("start")[1]
    # A task keeps April's meeting although the new rule no longer yields it.
    services.save_task(
        Task(
            meeting=april,
            title="Bericht",
            owner_person=member.person,
            due_date=datetime.date(2027, 5, 1),
        ),
        actor=coordinator,
    )
    series.rule = "FREQ=YEARLY;BYMONTH=1,7;BYDAY=2TU"
    services.save_series(series, actor=coordinator)

    dates = expanded(feed.body_feed(series.body))
    assert dates == platform_dates(series)
    assert [start.date() for start, _ in dates] == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 4, 13),
        datetime.date(2027, 7, 13),
    ]
    master = Calendar.from_ical(feed.body_feed(series.body)).walk("VEVENT")[0]
    assert master["SEQUENCE"] == 1


def test_feed_keeps_past_meetings_as_they_were_after_a_longer_duration(series, coordinator, clock):
    clock.move_to(datetime.datetime(2027, 5, 1, 9, 0, tzinfo=datetime.UTC))
    series.duration = datetime.timedelta(hours=3)
    services.save_series(series, actor=coordinator)
    dates = expanded(feed.body_feed(series.body))
    assert dates == [d for d in platform_dates(series) if d[0].date() < WINDOW[1]]
    # January and April took two hours; July and October take three.
    assert [end - start for start, end in dates][:4] == [
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=3),
        datetime.timedelta(hours=3),
    ]
