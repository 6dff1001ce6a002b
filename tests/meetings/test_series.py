"""Series and their occurrences: the rule's dates at local wall-clock time across summer
time, generation that never duplicates, one occurrence moved or cancelled."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import Meeting, MeetingSeries
from participation.events import audiences, invitations
from participation.models import AudienceEntry, EventStatus

from .conftest import QUARTERLY, local, make_series

pytestmark = pytest.mark.django_db


def test_quarterly_series_keeps_ten_oclock_across_summer_time(series):
    starts = [local(m.start) for m in series.meetings.order_by("start")]
    assert [s.date() for s in starts] == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 4, 13),
        datetime.date(2027, 7, 13),
        datetime.date(2027, 10, 12),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
    # The same wall-clock time is a different UTC time in winter and in summer.
    january, july = series.meetings.order_by("start")[0], series.meetings.order_by("start")[2]
    assert january.start.astimezone(datetime.UTC).hour == 9
    assert july.start.astimezone(datetime.UTC).hour == 8
    assert all(m.end - m.start == datetime.timedelta(hours=2) for m in series.meetings.all())


def test_generation_is_idempotent(series):
    before = list(series.meetings.values_list("pk", "recurrence_id"))
    assert services.generate_occurrences(series) == 0
    assert services.generate_occurrences_task() == 0
    assert list(series.meetings.values_list("pk", "recurrence_id")) == before


def test_generation_goes_twelve_months_ahead_as_time_passes(series, clock):
    clock.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC))
    assert services.generate_occurrences_task() == 1
    last = series.meetings.order_by("start").last()
    assert local(last.start).date() == datetime.date(2028, 1, 11)


def test_database_refuses_a_second_occurrence_of_the_same_start(series):
    first = series.meetings.order_by("start").first()
    duplicate = Meeting(
        series=series,
        title="x",
        start=first.start,
        end=first.end,
        recurrence_id=first.recurrence_id,
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "keinen Termin"),
        ("FREQ=DAILY", "mehr als 60 Termine"),
        ("FREQ=MINUTELY", "höchstens täglich"),
        ("every tuesday", "versteht die Plattform nicht"),
        ("FREQ=WEEKLY;BYDAY=XX", "versteht die Plattform nicht"),
        ("FREQ=WEEKLY;UNTIL=20260101T000000Z", "keinen Termin"),
        ("FREQ=WEEKLY\nRDATE:20270101", "versteht die Plattform nicht"),
    ],
)
def test_bad_rule_is_refused_and_nothing_saved(clock, body, coordinator, rule, message):
    with pytest.raises(ValidationError) as error:
        make_series(body, actor=coordinator, rule=rule)
    assert message in " ".join(error.value.message_dict["rule"])
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_impossible_daily_rule_is_refused_quickly(clock, body, coordinator):
    started = time.monotonic()
    with pytest.raises(ValidationError):
        make_series(body, actor=coordinator, rule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31")
    assert time.monotonic() - started < 2


def test_bad_decision_code_is_refused_and_nothing_saved(clock, body, coordinator):
    with pytest.raises(ValidationError) as error:
        make_series(body, actor=coordinator, code="lg 1!")
    assert "decision_code" in error.value.message_dict
    assert not MeetingSeries.objects.exists()


def test_rule_with_prefix_and_lower_case_is_normalised(clock, body, coordinator):
    series = make_series(
        body, actor=coordinator, rule="rrule:freq=yearly;bymonth=1,4,7,10;byday=2tu"
    )
    assert series.rule == QUARTERLY


def test_moving_one_keeps_its_original_start_and_raises_sequence(series, coordinator):
    meeting = series.meetings.order_by("start")[1]
    original = meeting.recurrence_id
    new_start = meeting.start + datetime.timedelta(days=2, hours=4)
    moved = services.move_meeting(
        meeting, start=new_start, end=new_start + datetime.timedelta(hours=2), actor=coordinator
    )
    assert moved.recurrence_id == original
    assert moved.start == new_start
    assert moved.sequence == 1
    assert moved.is_moved
    # The others stay where the rule puts them; generating again adds nothing.
    assert services.generate_occurrences(series) == 0
    assert series.meetings.filter(sequence=0).count() == 3


def test_cancelling_one_keeps_the_series(series, coordinator):
    meeting = series.meetings.order_by("start")[2]
    services.cancel_meeting(meeting, actor=coordinator)
    meeting.refresh_from_db()
    assert meeting.status == EventStatus.CANCELLED
    assert meeting.sequence == 1
    assert series.meetings.filter(status=EventStatus.PUBLISHED).count() == 3
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting, actor=coordinator)
    with pytest.raises(ValidationError):
        services.move_meeting(meeting, start=meeting.start, end=meeting.end, actor=coordinator)


def test_changing_the_rule_replaces_untouched_future_occurrences(series, coordinator):
    moved = series.meetings.order_by("start")[0]
    services.move_meeting(
        moved,
        start=moved.start + datetime.timedelta(hours=1),
        end=moved.end + datetime.timedelta(hours=1),
        actor=coordinator,
    )
    series.rule = "FREQ=MONTHLY;INTERVAL=6;BYDAY=2TU"
    services.save_series(series, actor=coordinator)
    series.refresh_from_db()
    assert series.sequence == 1
    dates = sorted(local(m.recurrence_id).date() for m in series.meetings.all())
    # The moved one stays (people were told); the rule now gives January and July.
    assert dates == [datetime.date(2027, 1, 12), datetime.date(2027, 7, 13)]


def test_moving_into_the_past_is_refused(series, coordinator):
    meeting = series.meetings.order_by("start").first()
    past = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as error:
        services.move_meeting(
            meeting, start=past, end=past + datetime.timedelta(hours=2), actor=coordinator
        )
    assert "start" in error.value.message_dict
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.is_moved) == (0, False)


def test_a_series_stays_with_its_body(series, coordinator, other_body):
    series.body = other_body
    with pytest.raises(ValidationError) as error:
        services.save_series(series, actor=coordinator)
    assert "body" in error.value.message_dict
    assert MeetingSeries.objects.get().body != other_body


def test_a_new_place_reaches_the_future_meetings_that_had_the_old_one(
    series, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, third, fourth = series.meetings.order_by("start")
    third.venue_name = "Rathaus Troisdorf"
    third.save()
    audiences.add_audience_entry(
        second, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=series.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(second, actor=coordinator)
    mailoutbox.clear()

    series.venue_name = "Kreishaus Siegburg, Großer Sitzungssaal"
    with django_capture_on_commit_callbacks(execute=True):
        services.save_series(series, actor=coordinator)
    venues = [m.venue_name for m in series.meetings.order_by("start")]
    assert venues == [
        "Kreishaus Siegburg, Großer Sitzungssaal",
        "Kreishaus Siegburg, Großer Sitzungssaal",
        "Rathaus Troisdorf",  # chosen for this one meeting: kept
        "Kreishaus Siegburg, Großer Sitzungssaal",
    ]
    # Only the invited meeting's invitees hear about it, once, with a raised sequence.
    assert [m.to for m in mailoutbox] == [[member.email]]
    second.refresh_from_db()
    assert second.sequence == 1
    assert series.meetings.filter(sequence=0).count() == 3


def test_a_long_running_series_stays_editable_and_keeps_generating(clock, body, coordinator):
    series = make_series(body, actor=coordinator, rule="FREQ=WEEKLY;BYDAY=TU")
    clock.move_to(datetime.datetime(2029, 6, 1, 9, 0, tzinfo=datetime.UTC))
    series = MeetingSeries.objects.get()
    series.title = "Lenkungsgruppe (wöchentlich)"
    services.save_series(series, actor=coordinator)
    last = local(series.meetings.order_by("start").last().start)
    assert datetime.date(2030, 5, 25) <= last.date() <= datetime.date(2030, 6, 2)
    # A new first date is checked again.
    series.first_date = datetime.date(2027, 2, 1)
    with pytest.raises(ValidationError) as error:
        services.save_series(series, actor=coordinator)
    assert "first_date" in error.value.message_dict


def test_a_series_whose_rule_has_ended_can_still_be_renamed(clock, body, coordinator):
    make_series(body, actor=coordinator, rule=QUARTERLY + ";UNTIL=20271231T000000Z")
    clock.move_to(datetime.datetime(2028, 3, 1, 9, 0, tzinfo=datetime.UTC))
    series = MeetingSeries.objects.get()
    series.title = "Lenkungsgruppe (abgeschlossen)"
    services.save_series(series, actor=coordinator)
    assert MeetingSeries.objects.get().title == "Lenkungsgruppe (abgeschlossen)"
    assert series.meetings.count() == 4
