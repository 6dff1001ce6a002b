"""Calendar entries (RFC 5545) for invitations: one stable UID per event, the sequence raised
with every change, METHOD:REQUEST for invitations and updates, METHOD:CANCEL when cancelled.

Times are the county's local time with its zone (TZID and a VTIMEZONE), so every calendar
program shows the event at the county's wall-clock time, whatever the reader's own zone.

Replies go through the personal link, not through the calendar: RSVP is off, so calendar
programs do not mail answers to an address nobody reads. The file downloaded from the reply
page is METHOD:PUBLISH without an attendee: a plain entry to add, not a request to answer."""

import functools
import re

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as CalendarEvent

from ..models import EventStatus, Reply

PARTICIPATION_STATUS = {
    Reply.ACCEPTED: "ACCEPTED",
    Reply.TENTATIVE: "TENTATIVE",
    Reply.DECLINED: "DECLINED",
}
ICS_MIMETYPE = "text/calendar"


def event_uid(event) -> str:
    return f"{event.uid}@{settings.MITPLANEN_CALENDAR_DOMAIN}"


def ics_for(invitation, *, cancel=False, page_url="", publish=False) -> str:
    """The calendar file sent with a message about `invitation` (text, CRLF line ends);
    with `publish`, the entry the invitee downloads from the reply page."""
    attendee = None if publish else _attendee(invitation)
    calendar = _calendar(
        invitation.event, cancel=cancel, page_url=page_url, publish=publish, attendee=attendee
    )
    return calendar.to_ical().decode()


def _calendar(event, *, cancel, page_url, publish, attendee):
    cancel = cancel or event.status == EventStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//mitplanen//Einladungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "PUBLISH" if publish else "REQUEST")

    entry = CalendarEvent()
    county = timezone.get_default_timezone()
    identity = event.calendar_identity()
    if identity is None:
        entry.add("uid", event_uid(event))
    else:
        # One occurrence of a series: the series' UID and the occurrence's original start.
        uid, recurrence_id = identity
        entry.add("uid", uid)
        if recurrence_id is not None:
            entry.add("recurrence-id", timezone.localtime(recurrence_id, county))
    entry.add("sequence", event.sequence)
    entry.add("dtstart", timezone.localtime(event.start, county))
    entry.add("dtend", timezone.localtime(event.end, county))
    entry.add("summary", event.title)
    entry.add("status", "CANCELLED" if cancel else "CONFIRMED")
    location = _location(event)
    if location:
        entry.add("location", location)
    _add_personal(entry, event, page_url=page_url, attendee=attendee)
    if event.online_url:
        # RFC 7986: calendar programs show a "join" button for this.
        entry.add("conference", event.online_url, parameters={"value": "URI"})

    organizer = vCalAddress(f"mailto:{settings.MITPLANEN_CALENDAR_ORGANIZER}")
    organizer.params["cn"] = vText("mitplanen")
    entry.add("organizer", organizer)
    # The county's zone first, as `add_missing_timezones` would insert it, which adds any
    # other zone the entry names (none today).
    calendar.add_component(_vtimezone(county.key))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar


@functools.lru_cache(maxsize=4)
def _vtimezone(tzid) -> Timezone:
    """The VTIMEZONE `Calendar.add_missing_timezones` adds for `tzid`, made once per
    process: working out its transitions (1970 to 2038) costs about as much as the rest of
    a calendar file. Shared by the calendars, which only read it."""
    return Timezone.from_tzid(tzid)


# The entry's properties that differ from one file of an event to the next.
PERSONAL_PROPERTIES = frozenset({"DTSTAMP", "URL", "DESCRIPTION", "ATTENDEE"})


def _add_personal(entry, event, *, page_url, attendee):
    entry.add("dtstamp", timezone.now())
    if page_url:
        entry.add("url", page_url)
    entry.add("description", _description(event, page_url))
    if attendee is not None:
        entry.add("attendee", attendee)


class CalendarFiles:
    """The calendar files `ics_for` makes for many invitees of one event (not `publish`),
    the same text: the lines every file shares (the time zone, the event's facts) are built
    and folded once, the personal ones (PERSONAL_PROPERTIES: the attendee, the personal
    link, the time stamp) for each file. Build and use it in the recipients' language."""

    def __init__(self, event, *, cancel=False, with_link=False):
        self.event = event
        self.with_link = with_link
        stand_in = _calendar(
            event,
            cancel=cancel,
            page_url="https://stand-in.invalid/" if with_link else "",
            publish=False,
            attendee=vCalAddress("mailto:stand-in@stand-in.invalid"),
        )
        # Folded lines as bytes; a personal property's place by its name.
        self._lines = []
        inside_entry = False
        for line in stand_in.content_lines():
            if not line:
                continue
            name = _PROPERTY_NAME.match(line).group().upper()
            if name in ("BEGIN", "END"):
                inside_entry = line.upper() == "BEGIN:VEVENT"
            if inside_entry and name in PERSONAL_PROPERTIES:
                self._lines.append(name)
            else:
                self._lines.append(line.to_ical())

    def for_invitee(self, invitation, *, page_url="") -> str:
        """The file for `invitation`, as `ics_for(invitation, page_url=…)` makes it."""
        if bool(page_url) != self.with_link:
            raise ValueError("a personal link where the files have none, or the other way")
        entry = CalendarEvent()
        _add_personal(entry, self.event, page_url=page_url, attendee=_attendee(invitation))
        personal = {name: entry.content_line(name, entry[name]).to_ical() for name in entry}
        lines = [personal[line] if isinstance(line, str) else line for line in self._lines]
        return (b"\r\n".join(lines) + b"\r\n").decode()


_PROPERTY_NAME = re.compile(r"[A-Za-z0-9-]+")


def ics_filename(event) -> str:
    return f"{slugify(event.title) or 'termin'}.ics"


def _attendee(invitation):
    attendee = vCalAddress(f"mailto:{invitation.email}")
    if invitation.name:
        attendee.params["cn"] = vText(invitation.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(PARTICIPATION_STATUS.get(invitation.reply, "NEEDS-ACTION"))
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def _location(event) -> str:
    place = ", ".join(
        part for part in (event.venue_name, " ".join(event.venue_address.split())) if part
    )
    if place and event.online_url:
        return _("%(place)s or online: %(link)s") % {"place": place, "link": event.online_url}
    return place or event.online_url


def _description(event, page_url) -> str:
    lines = []
    if event.online_url:
        lines.append(_("Online: %(link)s") % {"link": event.online_url})
    if page_url:
        lines.append(_("Your reply and details: %(link)s") % {"link": page_url})
    return "\n".join(lines)
