"""Calendar entries (RFC 5545) for invitations: one stable UID per event, the sequence raised
with every change, METHOD:REQUEST for invitations and updates, METHOD:CANCEL when cancelled.

Times are the county's local time with its zone (TZID and a VTIMEZONE), so every calendar
program shows the event at the county's wall-clock time, whatever the reader's own zone.

Replies go through the personal link, not through the calendar: RSVP is off, so calendar
programs do not mail answers to an address nobody reads. The file downloaded from the reply
page is METHOD:PUBLISH without an attendee: a plain entry to add, not a request to answer."""

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
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
    event = invitation.event
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
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", timezone.localtime(event.start, county))
    entry.add("dtend", timezone.localtime(event.end, county))
    entry.add("summary", event.title)
    entry.add("status", "CANCELLED" if cancel else "CONFIRMED")
    location = _location(event)
    if location:
        entry.add("location", location)
    if page_url:
        entry.add("url", page_url)
    entry.add("description", _description(event, page_url))
    if event.online_url:
        # RFC 7986: calendar programs show a "join" button for this.
        entry.add("conference", event.online_url, parameters={"value": "URI"})

    organizer = vCalAddress(f"mailto:{settings.MITPLANEN_CALENDAR_ORGANIZER}")
    organizer.params["cn"] = vText("mitplanen")
    entry.add("organizer", organizer)
    if not publish:
        entry.add("attendee", _attendee(invitation))
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


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
