"""Moving or cancelling "only this one", "this and following" or "all": the platform's dates
change as the preview said, each affected meeting's invitees get one update (or
cancellation) for the calendar entry they hold, and the body's feed, expanded by a
calendar program (icalendar + recurring-ical-events), gives exactly the platform's dates,
across the change to summer time."""

import datetime

import pytest
import recurring_ical_events
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from meetings import feed, rescheduling, services
from meetings.invitations import send_meeting_invitations
from meetings.models import Meeting, MeetingSeries, Task
from meetings.rescheduling import Scope
from participation.events.selectors import invitations_of

from .conftest import local, make_series

pytestmark = pytest.mark.django_db

WINDOW = (datetime.date(2026, 1, 1), datetime.date(2030, 1, 1))


def expanded(ics):
    events = recurring_ical_events.of(Calendar.from_ical(ics)).between(*WINDOW)
    return sorted((local(e["DTSTART"].dt), local(e["DTEND"].dt)) for e in events)


def platform_dates(body):
    meetings = Meeting.objects.filter(series__body=body).exclude(status="cancelled")
    return sorted((local(m.start), local(m.end)) for m in meetings)


def assert_feed_matches(body):
    """The feed's dates up to the last one the platform has generated (its rules go on
    beyond) are the platform's."""
    platform = platform_dates(body)
    dates = [d for d in expanded(feed.body_feed(body)) if d[0] <= platform[-1][0]]
    assert dates == platform
    return dates


def starts(body):
    meetings = Meeting.objects.filter(series__body=body).exclude(status="cancelled")
    return [local(m.start).strftime("%d.%m.%Y %H:%M") for m in meetings.order_by("start")]


def entry_of(mail):
    (attachment,) = mail.attachments
    return Calendar.from_ical(attachment[1]).walk("VEVENT")[0]


def local_moment(day, hour, minute=0):
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    return naive.replace(tzinfo=timezone.get_default_timezone())


def meetings_of(series):
    return list(series.meetings.order_by("start"))


def test_move_this_and_following_splits_the_series_and_tells_each_invitee_once(
    series, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    january, april, july, october = meetings_of(series)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(july, actor=coordinator)
        send_meeting_invitations(october, actor=coordinator)
    services.save_task(
        Task(
            meeting=july,
            title="Bericht",
            owner_person=member.person,
            due_date=datetime.date(2027, 8, 1),
        ),
        actor=coordinator,
        notify_owner=False,
    )
    mailoutbox.clear()
    old_uid = feed.series_uid(series)

    new_start = local_moment(datetime.date(2027, 4, 13), 14)
    plan = rescheduling.preview(
        april, scope=Scope.FOLLOWING, start=new_start, end=new_start + datetime.timedelta(hours=2)
    )
    assert [local(c.new_start).strftime("%d.%m.%Y %H:%M") for c in plan.changes] == [
        "13.04.2027 14:00",
        "13.07.2027 14:00",
        "12.10.2027 14:00",
    ]
    assert [(r.name, [local(m.start).month for m in r.meetings]) for r in plan.recipients] == [
        (str(member.person), [7, 10])
    ]
    assert not mailoutbox

    with django_capture_on_commit_callbacks(execute=True):
        rescheduling.move(
            april,
            scope=Scope.FOLLOWING,
            start=new_start,
            end=new_start + datetime.timedelta(hours=2),
            actor=coordinator,
        )

    assert starts(series.body)[:4] == [
        "12.01.2027 10:00",
        "13.04.2027 14:00",
        "13.07.2027 14:00",
        "12.10.2027 14:00",
    ]
    series.refresh_from_db()
    assert series.last_date == datetime.date(2027, 4, 12)
    successor = MeetingSeries.objects.get(continues=series)
    assert successor.start_time == datetime.time(14, 0)
    assert list(successor.meetings.order_by("start"))[:3] == [april, july, october]
    july.refresh_from_db()
    assert july.tasks.get().title == "Bericht"
    # Only the invited meetings' own calendar sequence rises (for their update).
    april.refresh_from_db()
    assert (april.sequence, july.sequence) == (0, 1)
    assert invitations_of(july).count() == 1

    # One update per invited meeting, for the entry the invitee has: the old series' UID
    # and the original start, with a raised sequence.
    assert len(mailoutbox) == 2
    updates = sorted((entry_of(mail) for mail in mailoutbox), key=lambda e: e["DTSTART"].dt)
    assert [str(e["UID"]) for e in updates] == [old_uid, old_uid]
    assert [local(e["RECURRENCE-ID"].dt).hour for e in updates] == [10, 10]
    assert [local(e["DTSTART"].dt).hour for e in updates] == [14, 14]
    assert [e["SEQUENCE"] for e in updates] == [1, 1]

    # The feed: the old series ends (UNTIL), the new one carries on; summer time included.
    dates = assert_feed_matches(series.body)
    assert [start.hour for start, _ in dates] == [10] + [14] * (len(dates) - 1)
    masters = [
        e for e in Calendar.from_ical(feed.body_feed(series.body)).walk("VEVENT") if "RRULE" in e
    ]
    ending = next(e for e in masters if str(e["UID"]) == old_uid)
    assert ending["RRULE"]["UNTIL"][0] == datetime.datetime(
        2027, 4, 12, 21, 59, 59, tzinfo=datetime.UTC
    )
    assert "COUNT" not in ending["RRULE"]


def test_move_this_and_following_to_the_next_weekday_keeps_the_month_pattern(
    series, coordinator, client
):
    january, april, *_ = meetings_of(series)
    new_start = local_moment(datetime.date(2027, 4, 14), 10)
    rescheduling.move(
        april,
        scope=Scope.FOLLOWING,
        start=new_start,
        end=new_start + datetime.timedelta(hours=2),
        actor=coordinator,
    )
    assert starts(series.body)[:4] == [
        "12.01.2027 10:00",
        "14.04.2027 10:00",
        "14.07.2027 10:00",
        "13.10.2027 10:00",
    ]
    assert_feed_matches(series.body)
    # A year later the new series still meets the day after the second Tuesday.
    successor = MeetingSeries.objects.get(continues=series)
    services.generate_occurrences(
        successor, now=datetime.datetime(2028, 2, 1, 9, tzinfo=datetime.UTC)
    )
    assert local(successor.meetings.order_by("start")[4].start).date() == datetime.date(2028, 4, 12)
    assert_feed_matches(series.body)
    # The new series' page and form show its rule (a shape the form has no words for).
    client.force_login(coordinator)
    page = client.get(successor.get_absolute_url()).content.decode()
    assert "BYDAY=WE;BYMONTHDAY=9,10,11,12,13,14,15" in page
    assert client.get(reverse("meetings:series_edit", args=[successor.pk])).status_code == 200


def test_move_all_changes_a_series_in_place_when_none_has_begun(series, coordinator):
    january = meetings_of(series)[0]
    uid = series.uid
    new_start = local_moment(datetime.date(2027, 1, 12), 9, 30)
    rescheduling.move(
        january,
        scope=Scope.ALL,
        start=new_start,
        end=new_start + datetime.timedelta(hours=3),
        actor=coordinator,
    )
    series.refresh_from_db()
    assert (series.uid, series.start_time, series.sequence) == (uid, datetime.time(9, 30), 1)
    assert series.duration == datetime.timedelta(hours=3)
    assert not MeetingSeries.objects.filter(continues=series).exists()
    assert starts(series.body)[:4] == [
        "12.01.2027 09:30",
        "13.04.2027 09:30",
        "13.07.2027 09:30",
        "12.10.2027 09:30",
    ]
    dates = assert_feed_matches(series.body)
    assert {end - start for start, end in dates} == {datetime.timedelta(hours=3)}


def test_move_all_leaves_past_meetings_as_they_were(series, coordinator, clock):
    january, april, july, october = meetings_of(series)
    clock.move_to(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC))
    new_start = july.start + datetime.timedelta(hours=1)
    rescheduling.move(
        july,
        scope=Scope.ALL,
        start=new_start,
        end=new_start + datetime.timedelta(hours=2),
        actor=coordinator,
    )
    assert starts(series.body)[:4] == [
        "12.01.2027 10:00",
        "13.04.2027 11:00",
        "13.07.2027 11:00",
        "12.10.2027 11:00",
    ]
    january.refresh_from_db()
    assert january.series_id == series.pk
    assert assert_feed_matches(series.body)


def test_cancel_this_and_following_ends_the_series(
    series, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    january, april, july, october = meetings_of(series)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(october, actor=coordinator)
    mailoutbox.clear()
    plan = rescheduling.preview(july, scope=Scope.FOLLOWING, cancel=True)
    assert [c.meeting for c in plan.changes] == [july, october]
    assert [r.name for r in plan.recipients] == [str(member.person)]

    with django_capture_on_commit_callbacks(execute=True):
        rescheduling.cancel(july, scope=Scope.FOLLOWING, actor=coordinator)

    assert starts(series.body) == ["12.01.2027 10:00", "13.04.2027 10:00"]
    series.refresh_from_db()
    assert series.last_date == datetime.date(2027, 7, 12)
    (cancellation,) = mailoutbox
    entry = entry_of(cancellation)
    assert entry["STATUS"] == "CANCELLED"
    assert str(entry["UID"]) == feed.series_uid(series)
    assert local(entry["RECURRENCE-ID"].dt) == local(october.recurrence_id)
    # No more meetings are generated, also a year on.
    assert (
        services.generate_occurrences(
            series, now=datetime.datetime(2028, 6, 1, 9, tzinfo=datetime.UTC)
        )
        == 0
    )
    assert_feed_matches(series.body)


def test_cancel_all_cancels_every_future_meeting_only(series, coordinator, clock):
    clock.move_to(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC))
    january, april, *_ = meetings_of(series)
    rescheduling.cancel(april, scope=Scope.ALL, actor=coordinator)
    assert starts(series.body) == ["12.01.2027 10:00"]
    series.refresh_from_db()
    assert series.last_date == datetime.date(2027, 4, 12)
    assert_feed_matches(series.body)


def test_move_only_this_one_stays_an_override_of_the_series(series, coordinator):
    _, april, *_ = meetings_of(series)
    new_start = local_moment(datetime.date(2027, 4, 15), 16)
    rescheduling.move(
        april,
        scope=Scope.THIS,
        start=new_start,
        end=new_start + datetime.timedelta(hours=1),
        actor=coordinator,
    )
    assert starts(series.body)[1] == "15.04.2027 16:00"
    assert MeetingSeries.objects.count() == 1
    assert_feed_matches(series.body)


def test_preview_writes_nothing_and_sends_nothing(
    series, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    _, april, july, _ = meetings_of(series)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(july, actor=coordinator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rescheduling.preview(
            april,
            scope=Scope.ALL,
            start=april.start + datetime.timedelta(hours=1),
            end=april.end + datetime.timedelta(hours=1),
        )
        rescheduling.preview(april, scope=Scope.ALL, cancel=True)
    assert not mailoutbox
    assert MeetingSeries.objects.count() == 1
    assert starts(series.body)[1] == "13.04.2027 10:00"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"days": -200}, "Eine Sitzung kann nicht in die Vergangenheit verlegt werden."),
        ({"days": 20}, "Die Regel der Reihe kann ihre Termine nicht so weit verschieben"),
        ({"days": 0}, "Diese Änderung betrifft keine Sitzung."),
        ({"days": 1, "end_hours": -1}, "Das Ende muss nach dem Beginn liegen."),
    ],
)
def test_refused_moves_say_why_and_change_nothing(series, coordinator, change, message):
    _, april, *_ = meetings_of(series)
    start = april.start + datetime.timedelta(days=change["days"])
    end = start + datetime.timedelta(hours=change.get("end_hours", 2))
    with pytest.raises(ValidationError) as refused:
        rescheduling.move(april, scope=Scope.FOLLOWING, start=start, end=end, actor=coordinator)
    assert message in " ".join(refused.value.messages)
    assert MeetingSeries.objects.count() == 1
    assert starts(series.body)[1] == "13.04.2027 10:00"


def test_a_cancelled_meeting_is_neither_moved_nor_cancelled_again(series, coordinator):
    _, april, *_ = meetings_of(series)
    services.cancel_meeting(april, actor=coordinator)
    with pytest.raises(ValidationError, match="abgesagte Sitzung kann nicht verlegt"):
        rescheduling.preview(
            april, scope=Scope.ALL, start=april.start, end=april.end + datetime.timedelta(hours=1)
        )
    with pytest.raises(ValidationError, match="bereits abgesagt"):
        rescheduling.preview(april, scope=Scope.FOLLOWING, cancel=True)


def test_move_page_previews_then_moves_this_and_following(
    series, client, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    _, april, july, _ = meetings_of(series)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(july, actor=coordinator)
    mailoutbox.clear()
    client.force_login(coordinator)
    url = reverse("meetings:meeting_move", args=[april.pk])
    values = {"scope": "following", "start": "2027-04-13T14:00", "end": "2027-04-13T16:00"}
    page = client.post(url, values).content.decode()
    assert "3 Sitzungen ändern sich" in page
    assert "Di, 13.07.2027 14:00–16:00" in page
    assert f"{member.person}" in page and "13.07.2027" in page
    assert "Die Reihe endet am 12.04.2027" in page
    assert not mailoutbox and MeetingSeries.objects.count() == 1

    # "Change the entries" goes back to the form with what was typed.
    page = client.post(url, values | {"edit": "1"}).content.decode()
    assert 'value="2027-04-13T14:00"' in page and "Anzeigen, was sich ändert" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, values | {"confirm": "1"}, follow=True)
    assert "Die Sitzungen sind verlegt." in response.content.decode()
    assert len(mailoutbox) == 1
    assert starts(series.body)[1:3] == ["13.04.2027 14:00", "13.07.2027 14:00"]
    assert_feed_matches(series.body)


def test_cancel_page_refuses_a_cancelled_meeting_and_changes_nothing(
    series, client, coordinator, clock
):
    *_, october = meetings_of(series)
    services.cancel_meeting(october, actor=coordinator)
    client.force_login(coordinator)
    url = reverse("meetings:meeting_cancel", args=[october.pk])
    page = client.post(url, {"scope": "following", "confirm": "1"}).content.decode()
    assert "Diese Sitzung ist bereits abgesagt." in page
    series.refresh_from_db()
    assert series.last_date is None


def test_move_and_cancel_pages_are_for_coordinators_only(series, client, member):
    _, april, *_ = meetings_of(series)
    client.force_login(member)
    for name in ("meetings:meeting_move", "meetings:meeting_cancel"):
        response = client.post(reverse(name, args=[april.pk]), {"scope": "all", "confirm": "1"})
        assert response.status_code == 404
    assert not series.meetings.filter(status="cancelled").exists()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_previews_then_cancels_all(series, coordinator, member, own_org, mailoutbox, clock):
    _, april, july, _ = meetings_of(series)
    send_meeting_invitations(july, actor=coordinator)
    client = api(coordinator)
    preview_url = reverse("meetings_api:meeting-change-preview", args=[april.pk])
    response = client.post(preview_url, {"change": "cancel", "scope": "all"}, format="json")
    assert response.status_code == 200, response.data
    assert len(response.data["changes"]) == 4
    assert response.data["series_ends_on"] == "2027-01-11"
    assert response.data["recipients"] == [
        {
            "name": str(member.person),
            "organisation": str(own_org),
            "meetings": [july.pk],
        }
    ]
    assert not series.meetings.filter(status="cancelled").exists()

    response = client.post(
        reverse("meetings_api:meeting-cancel", args=[april.pk]), {"scope": "all"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "cancelled"
    assert not starts(series.body)
    assert api(member).post(preview_url, {"change": "cancel"}, format="json").status_code == 403


def test_api_moves_all_and_refuses_in_german(series, coordinator):
    _, april, *_ = meetings_of(series)
    client = api(coordinator)
    move_url = reverse("meetings_api:meeting-move", args=[april.pk])
    start = april.start + datetime.timedelta(days=20)
    response = client.post(
        move_url,
        {
            "scope": "all",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "Regel der Reihe" in str(response.data)
    start = april.start + datetime.timedelta(hours=2)
    response = client.post(
        move_url,
        {
            "scope": "all",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert starts(series.body)[:4] == [
        "12.01.2027 12:00",
        "13.04.2027 12:00",
        "13.07.2027 12:00",
        "12.10.2027 12:00",
    ]
    assert_feed_matches(series.body)


def test_schema_has_the_preview(client, coordinator):
    client.force_login(coordinator)
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/meetings/{id}/change-preview/" in schema
    assert "series_ends_on" in schema


def test_weekly_series_moved_to_another_weekday_across_summer_time(
    clock, body, coordinator, client
):
    weekly = make_series(
        body,
        actor=coordinator,
        code="",
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        first_date=datetime.date(2027, 3, 2),
    )
    meetings = meetings_of(weekly)
    # 16 March is winter time; the following meetings lie in summer time.
    march = meetings[1]
    assert local(march.start).date() == datetime.date(2027, 3, 16)
    new_start = local_moment(datetime.date(2027, 3, 18), 9)
    rescheduling.move(
        march,
        scope=Scope.FOLLOWING,
        start=new_start,
        end=new_start + datetime.timedelta(hours=2),
        actor=coordinator,
    )
    assert starts(body)[:4] == [
        "02.03.2027 10:00",
        "18.03.2027 09:00",
        "01.04.2027 09:00",
        "15.04.2027 09:00",
    ]
    successor = MeetingSeries.objects.get(continues=weekly)
    assert successor.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    dates = assert_feed_matches(body)
    assert {start.hour for start, _ in dates[1:]} == {9}

    # The audit trail names who split the series; both pages say how they connect.
    entry = LogEntry.objects.get_for_object(successor).get()
    assert entry.actor == coordinator
    client.force_login(coordinator)
    page = client.get(weekly.get_absolute_url()).content.decode()
    assert "Endet am" in page and "16.03.2027" not in page and "15.03.2027" in page
    assert successor.get_absolute_url() in page
    assert weekly.get_absolute_url() in client.get(successor.get_absolute_url()).content.decode()
