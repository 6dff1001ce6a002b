"""A meeting is an event of the base: its invitations, calendar files and updates go
through the same pipeline as a workshop's, nothing copied."""

import datetime
import re

import pytest
from icalendar import Calendar

from meetings import services
from participation.events import audiences, invitations
from participation.events.selectors import invitations_of
from participation.models import AudienceEntry

pytestmark = pytest.mark.django_db


def _calendar(mail):
    (attachment,) = mail.attachments
    return Calendar.from_ical(attachment[1]).walk("VEVENT")[0]


def test_meeting_invitation_then_update_after_a_move(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = series.meetings.order_by("start").first()
    series.agenda_template = "Protokoll\nBericht der Projektgruppe"
    series.save()
    audiences.add_audience_entry(
        meeting, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=series.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(meeting, actor=coordinator) == 1
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert "Gremium: Lenkungsgruppe Sozialplanung" in mail.body
    assert "Übliche Tagesordnung:\n  1. Protokoll\n  2. Bericht der Projektgruppe" in mail.body
    entry = _calendar(mail)
    assert entry["DTSTART"].dt == meeting.start
    assert entry["SEQUENCE"] == 0

    # The personal link in the mail opens the base's reply page; the reply is stored.
    link = re.search(r"https?://\S+(/invitation/[A-Za-z0-9_-]{43}/)", mail.body).group(1)
    page = client.get(link, follow=True)
    assert "Lenkungsgruppe" in page.content.decode()
    client.post(page.redirect_chain[-1][0], {"reply": "accepted"})
    assert invitations_of(meeting).get().reply == "accepted"

    mailoutbox.clear()
    new_start = meeting.start + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(
            meeting, start=new_start, end=new_start + datetime.timedelta(hours=2), actor=coordinator
        )
    (update,) = mailoutbox
    entry = _calendar(update)
    assert entry["DTSTART"].dt == new_start
    assert entry["SEQUENCE"] == 1

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, actor=coordinator)
    (cancellation,) = mailoutbox
    assert _calendar(cancellation)["STATUS"] == "CANCELLED"
