"""A meeting's invitation mail rendered in batches is the mail rendered on its own: the
series' calendar identity (UID, RECURRENCE-ID), the body and usual agenda, the agenda update
with its changes marked, for invitees, informed deputies and cancellations."""

import pytest

from meetings import agenda_updates, minutes
from meetings.invitations import send_meeting_invitations
from meetings.models import AgendaItem
from participation.events.selectors import invitations_of
from participation.models import InvitationMessage
from tests.invitation_rendering import assert_batch_renders_as_one_at_a_time

pytestmark = pytest.mark.django_db
Purpose = InvitationMessage.Purpose


@pytest.fixture
def meeting(series, coordinator, member, deputy, seated_person, mailoutbox):
    """The first meeting, invitations sent (the member and the seated person invited, the
    member's deputy informed), then its agenda changed and the update sent."""
    series.agenda_template = "Begrüßung\nBericht; Haushalt, 2027\nVerschiedenes"
    series.save()
    meeting = series.meetings.order_by("start").first()
    minutes.ensure_agenda(meeting)
    send_meeting_invitations(meeting, actor=coordinator)
    report = meeting.agenda_items.get(title="Bericht; Haushalt, 2027")
    report.title = "Bericht & Haushalt <2027>"
    minutes.add_item(report, actor=coordinator)
    minutes.add_item(AgendaItem(meeting=meeting, title="Neu"), actor=coordinator)
    meeting.agenda_items.get(title="Begrüßung").delete()
    agenda_updates.send_agenda_update(meeting, actor=coordinator)
    return meeting


def recipients(meeting):
    invited = invitations_of(meeting).select_related("deputy_for").order_by("pk")
    people = list(invited)
    assert any(p.informed for p in people) and any(not p.informed for p in people)
    return people * 2


@pytest.mark.parametrize(
    ("purpose", "key"),
    [
        (Purpose.INVITATION, "invitation"),
        (Purpose.INFORMATION, "information"),
        (Purpose.UPDATE, "update-1"),
        (Purpose.REMINDER, "reminder-1"),
    ],
)
def test_a_meetings_batch_renders_each_message_as_on_its_own(meeting, purpose, key):
    assert_batch_renders_as_one_at_a_time(recipients(meeting), meeting, purpose, key)


def test_the_agenda_update_renders_as_on_its_own(meeting):
    version = agenda_updates.last_sent(meeting)
    assert version.number == 1
    batch = recipients(meeting)
    assert_batch_renders_as_one_at_a_time(batch, meeting, Purpose.PROGRAMME, version.key)


def test_a_meetings_cancellation_renders_as_on_its_own(meeting):
    meeting.status = "cancelled"
    meeting.sequence += 1
    meeting.save()
    batch = recipients(meeting)
    assert_batch_renders_as_one_at_a_time(batch, meeting, Purpose.CANCELLATION, "cancellation")
