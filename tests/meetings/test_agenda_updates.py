"""The agenda goes with the invitation and with every update: the agenda as sent is kept,
the meeting page tells the coordinator what changed since, "Send the updated agenda"
previews who gets it and sends each invitee who has not declined (with their reply link)
and each informed deputy (for their information) the full agenda with the changes marked,
once per version. Page and API, coordinators only. Also: an informed deputy hears of a
cancelled meeting."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import agenda_updates, minutes, services
from meetings.agenda_changes import AgendaChanges
from meetings.invitations import send_meeting_invitations
from meetings.models import AgendaItem, AgendaVersion
from participation.events import invitations, replies
from participation.events.selectors import invitations_of
from participation.models import InvitationMessage, Reply

pytestmark = pytest.mark.django_db

TEMPLATE = "Begrüßung\nBericht der Projektgruppe\nVerschiedenes"


@pytest.fixture
def meeting(series, coordinator, member, deputy, seated_person, mailoutbox):
    """The first meeting with its agenda, invitations sent (the member and the seated person
    invited, the member's deputy informed), the mails cleared."""
    series.agenda_template = TEMPLATE
    series.save()
    meeting = series.meetings.order_by("start").first()
    minutes.ensure_agenda(meeting)
    send_meeting_invitations(meeting, actor=coordinator)
    mailoutbox.clear()
    return meeting


def item(meeting, title):
    return meeting.agenda_items.get(title=title)


def change_agenda(meeting, coordinator):
    """Retitle one item, add one, remove one (rejecting is how an item leaves the agenda
    here: the item is deleted)."""
    report = item(meeting, "Bericht der Projektgruppe")
    report.title = "Bericht der Projektgruppe Pflege"
    minutes.add_item(report, actor=coordinator)
    minutes.add_item(AgendaItem(meeting=meeting, title="Haushalt 2027"), actor=coordinator)
    item(meeting, "Begrüßung").delete()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_invitations_record_the_agenda_they_carry(meeting):
    (version,) = AgendaVersion.objects.filter(meeting=meeting)
    assert version.number == 0
    assert [row["title"] for row in version.items] == [
        "Begrüßung",
        "Bericht der Projektgruppe",
        "Verschiedenes",
        "Offene Aufgaben",
    ]
    assert not agenda_updates.agenda_state(meeting).may_send


def test_meeting_page_shows_what_changed_and_sends_the_update_once(
    meeting,
    coordinator,
    member,
    deputy,
    seated_person,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Die Tagesordnung hat sich seit dem Versand geändert" not in page

    change_agenda(meeting, coordinator)
    # The seated person declines: no update for them.
    replies.reply_to_invitation(
        invitations_of(meeting).get(email=seated_person.email), reply=Reply.DECLINED
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Die Tagesordnung hat sich seit dem Versand geändert" in page
    assert "Hinzugefügt: „Haushalt 2027“" in page
    assert "Entfernt: „Begrüßung“" in page
    assert (
        "Umbenannt: „Bericht der Projektgruppe“ heißt jetzt „Bericht der Projektgruppe Pflege“"
        in page
    )
    url = reverse("meetings:agenda_update", args=[meeting.pk])
    assert url in page

    preview = client.get(url).content.decode()
    assert member.person.email in preview
    assert deputy.email in preview
    assert seated_person.email not in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "wird an 2 Personen versandt" in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.person.email, deputy.email])
    (to_member,) = [m for m in mailoutbox if m.to == [member.person.email]]
    assert to_member.subject == f"Neue Tagesordnung: {meeting.title}"
    assert "Bericht der Projektgruppe Pflege [umbenannt, vorher: Bericht der Projektgruppe]" in (
        to_member.body
    )
    assert "Haushalt 2027 [neu]" in to_member.body
    assert "Von der Tagesordnung entfernt:\n  - Begrüßung" in to_member.body
    assert re.search(r"/invitation/[A-Za-z0-9_-]{43}/", to_member.body)
    assert not to_member.attachments
    (to_deputy,) = [m for m in mailoutbox if m.to == [deputy.email]]
    assert "Zu Ihrer Information" in to_deputy.body
    assert "Haushalt 2027 [neu]" in to_deputy.body
    assert "/invitation/" not in to_deputy.body

    # Sent: the notice is gone, and a second send (a double click) is refused, mails nobody.
    mailoutbox.clear()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Die Tagesordnung hat sich seit dem Versand geändert" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "hat sich seit dem letzten Versand nicht geändert" in response.content.decode()
    assert mailoutbox == []
    # The same version sent again through the pipeline writes no second message.
    version = AgendaVersion.objects.get(meeting=meeting, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_programme_update(meeting, actor=coordinator, key=version.key) == 0
    assert mailoutbox == []
    assert InvitationMessage.objects.filter(key=version.key).count() == 2


def test_a_later_change_is_a_new_version_marked_against_the_one_before(
    meeting, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    change_agenda(meeting, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_updates.send_agenda_update(meeting, actor=coordinator)
    mailoutbox.clear()
    # Move "Verschiedenes" to the end: only it is marked as moved.
    last = item(meeting, "Verschiedenes")
    last.position = 1000
    minutes.add_item(last, actor=coordinator)
    changes = agenda_updates.agenda_state(meeting).changes
    assert [row["title"] for row in changes.moved] == ["Verschiedenes"]
    assert not (changes.added or changes.removed or changes.retitled)
    with django_capture_on_commit_callbacks(execute=True):
        version, sent = agenda_updates.send_agenda_update(meeting, actor=coordinator)
    assert version.number == 2
    (to_member,) = [m for m in mailoutbox if m.to == [member.person.email]]
    assert "Verschiedenes [verschoben]" in to_member.body
    assert "Haushalt 2027 [neu]" not in to_member.body
    assert "Von der Tagesordnung entfernt" not in to_member.body


def test_agenda_changes_mark_the_fewest_moved_items():
    rows = [{"id": number, "title": str(number), "duration": None} for number in range(1, 6)]
    moved_to_front = [rows[4], *rows[:4]]
    changes = AgendaChanges.between(rows, moved_to_front)
    assert [row["id"] for row in changes.moved] == [5]
    assert not AgendaChanges.between(rows, rows)


def test_nothing_to_send_without_invitations_or_changes(series, coordinator):
    meeting = series.meetings.order_by("start").first()
    minutes.ensure_agenda(meeting)
    with pytest.raises(ValidationError, match="noch niemand eingeladen"):
        agenda_updates.send_agenda_update(meeting, actor=coordinator)
    assert not AgendaVersion.objects.exists()


def test_api_shows_the_changes_and_sends_the_update(
    meeting, coordinator, member, deputy, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    change_agenda(meeting, coordinator)
    for user in (member, outsider):
        assert api(user).get(f"/api/v1/meetings/{meeting.pk}/agenda-update/").status_code == 404
        sent = api(user).post(f"/api/v1/meetings/{meeting.pk}/send-agenda-update/")
        assert sent.status_code == 404
    assert not AgendaVersion.objects.filter(number=1).exists()

    client = api(coordinator)
    state = client.get(f"/api/v1/meetings/{meeting.pk}/agenda-update/").json()
    assert state["update_due"] is True
    assert state["last_sent_version"] == 0
    assert [row["title"] for row in state["added"]] == ["Haushalt 2027"]
    assert [row["title"] for row in state["removed"]] == ["Begrüßung"]
    assert state["retitled"][0]["before"] == "Bericht der Projektgruppe"
    recipients = {row["email"]: row for row in state["recipients"]}
    assert recipients[deputy.email]["informed"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/meetings/{meeting.pk}/send-agenda-update/")
    assert response.json() == {"version": 1, "sent": 3}
    assert len(mailoutbox) == 3
    again = client.post(f"/api/v1/meetings/{meeting.pk}/send-agenda-update/")
    assert again.status_code == 400
    assert client.get(f"/api/v1/meetings/{meeting.pk}/agenda-update/").json()["update_due"] is False


def test_a_cancelled_meeting_is_news_for_the_informed_deputy(
    meeting, coordinator, member, deputy, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    preview = client.post(
        reverse("meetings:meeting_cancel", args=[meeting.pk]), {"scope": "this"}
    ).content.decode()
    informed = "Jan Vertreter (Stadt Siegburg) – informierte Stellvertretung, zur Information:"
    assert informed in preview
    assert f"{member.person.full_name} (" in preview
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting, actor=coordinator)
    (to_deputy,) = [m for m in mailoutbox if m.to == [deputy.email]]
    assert to_deputy.subject == f"Abgesagt: {meeting.title}"
    assert "Zu Ihrer Information" in to_deputy.body
    assert to_deputy.attachments == []
    (to_member,) = [m for m in mailoutbox if m.to == [member.person.email]]
    assert to_member.attachments


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_sending_at_once_send_one_version(
    series, coordinator, member, deputy, seated_person
):
    series.agenda_template = TEMPLATE
    series.save()
    meeting = series.meetings.order_by("start").first()
    minutes.ensure_agenda(meeting)
    send_meeting_invitations(meeting, actor=coordinator)
    minutes.add_item(AgendaItem(meeting=meeting, title="Haushalt 2027"), actor=coordinator)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            agenda_updates.send_agenda_update(meeting, actor=coordinator)
            outcomes.append("sent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sent"]
    assert list(AgendaVersion.objects.filter(meeting=meeting).values_list("number", flat=True)) == [
        0,
        1,
    ]
    messages = InvitationMessage.objects.filter(key="agenda-1")
    assert sorted(messages.values_list("invitation__email", flat=True)) == sorted(
        [member.person.email, deputy.email, seated_person.email]
    )
