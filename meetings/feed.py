"""The calendar feed of a body (RFC 5545): per series one VEVENT with the RRULE, an EXDATE
for each cancelled occurrence and an override VEVENT (same UID, RECURRENCE-ID = original
start, raised SEQUENCE) for each moved one, an UNTIL when the series ends (split "this and
following"), so a calendar program expands it to exactly the
platform's dates. Times carry TZID=Europe/Berlin with its VTIMEZONE: the program keeps the
county's wall-clock time across the change to and from summer time.

An occurrence that its series' current rule no longer yields (the rule changed after it got
invitations, decisions or tasks) is written as an event of its own, with its own UID."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

from participation.events.calendar import event_uid
from participation.models import EventStatus

from . import recurrence
from .models import MeetingSeries

ICS_MIMETYPE = "text/calendar"


def series_uid(series) -> str:
    return f"{series.uid}@{settings.MITPLANEN_CALENDAR_DOMAIN}"


def body_feed(body, *, now=None) -> str:
    """The feed of every active series of the body (text, CRLF line ends)."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//mitplanen//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", body.name)
    series_list = MeetingSeries.objects.filter(body=body, is_active=True).prefetch_related(
        "meetings"
    )
    for series in series_list:
        for component in series_components(series, now=now):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def series_components(series, *, now):
    zone = recurrence.local_zone()
    rule = series.recurrence_rule()
    meetings = list(series.meetings.all())
    first_date = series.dtstart()
    horizon = max(now, first_date) + datetime.timedelta(days=recurrence.HORIZON_DAYS)
    until = max([horizon] + [m.recurrence_id for m in meetings])
    rule_starts = recurrence.starts_between(
        rule, first_date, first_date, until, limit=2 * len(meetings) + recurrence.MAX_PER_HORIZON
    )
    if not rule_starts:
        return []
    # RFC 5545 counts DTSTART as the first instance whether the rule yields it or not:
    # the feed starts at the rule's first date, not at the series' first day.
    dtstart = rule_starts[0]
    rule_starts = set(rule_starts)
    master = CalendarEvent()
    master.add("uid", series_uid(series))
    master.add("sequence", series.sequence)
    master.add("dtstamp", now)
    master.add("dtstart", dtstart)
    master.add("dtend", dtstart + series.duration)
    master.add("rrule", _rrule(series, rule))
    _describe(master, series.title, series)
    components = [master]
    exdates = []
    for meeting in meetings:
        in_rule = meeting.recurrence_id in rule_starts
        if not in_rule:
            if meeting.status != EventStatus.CANCELLED:
                components.append(_single(meeting, uid=event_uid(meeting), now=now))
            continue
        if meeting.status == EventStatus.CANCELLED:
            exdates.append(timezone.localtime(meeting.recurrence_id, zone))
        elif meeting.sequence or _differs(meeting, series):
            override = _single(meeting, uid=series_uid(series), now=now)
            override.add("recurrence-id", timezone.localtime(meeting.recurrence_id, zone))
            components.append(override)
    if exdates:
        master.add("exdate", exdates)
    return components


def _rrule(series, rule):
    """The series' rule; one that ends (split, or its following meetings cancelled) ends
    with an UNTIL in UTC, as RFC 5545 wants it with a DTSTART in a zone."""
    recur = vRecur.from_ical(series.rule)
    if series.last_date:
        recur.pop("COUNT", None)
        recur["UNTIL"] = [rule._until.astimezone(datetime.UTC)]
    return recur


def _differs(meeting, series) -> bool:
    """Whether the meeting is not what the series' VEVENT says for its date (moved, or left
    with an earlier duration, title or place when the series changed)."""
    return (
        meeting.start != meeting.recurrence_id
        or meeting.end - meeting.start != series.duration
        or any(
            getattr(meeting, name) != getattr(series, name)
            for name in ("title", "venue_name", "venue_address", "online_url")
        )
    )


def _single(meeting, *, uid, now):
    zone = recurrence.local_zone()
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("sequence", meeting.sequence)
    entry.add("dtstamp", now)
    entry.add("dtstart", timezone.localtime(meeting.start, zone))
    entry.add("dtend", timezone.localtime(meeting.end, zone))
    _describe(entry, meeting.title, meeting)
    return entry


def _describe(entry, title, place):
    entry.add("summary", title)
    location = ", ".join(
        part for part in (place.venue_name, " ".join(place.venue_address.split())) if part
    )
    if location or place.online_url:
        entry.add("location", location or place.online_url)
    if place.online_url:
        entry.add("conference", place.online_url, parameters={"value": "URI"})
    entry.add("status", "CONFIRMED")


def bodies_feed(bodies, *, name, now=None) -> str:
    """One feed of every active series of several bodies (a person's subscription)."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//mitplanen//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    series_list = (
        MeetingSeries.objects.filter(body__in=bodies, is_active=True)
        .select_related("body")
        .prefetch_related("meetings")
        .order_by("body__name", "title", "pk")
    )
    for series in series_list:
        for component in series_components(series, now=now):
            calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
