"""A meeting's invitations ("Einladungen versenden"): the body's seats by default, with a
preview of who is notified, through the base pipeline (principals invited, registered
deputies informed); a moved occurrence tells only its own invitees, once, with the
series' UID, the RECURRENCE-ID and a raised SEQUENCE."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar
from rest_framework.test import APIClient

from meetings import feed, services
from meetings.invitations import send_meeting_invitations
from participation.events import replies
from participation.events.selectors import invitations_of
from participation.models import AudienceEntry, Reply

from .conftest import local

pytestmark = pytest.mark.django_db


def first_meetings(series, count=2):
    return list(series.meetings.order_by("start")[:count])


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coordinator_previews_then_sends_the_invitations(
    series, coordinator, member, deputy, client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = first_meetings(series, 1)[0]
    client.force_login(coordinator)
    address = reverse("meetings:meeting_invitations", args=[meeting.pk])
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert address in detail and "Einladungen versenden" in detail

    preview = client.get(address).content.decode()
    assert "Wer benachrichtigt wird" in preview
    assert member.person.email in preview
    assert "Informiert als Stellvertretung von " + member.person.full_name in preview
    # The preview changes nothing.
    assert not invitations_of(meeting).exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "1 Einladung wird versendet." in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.person.email, deputy.email])
    invitation = next(m for m in mailoutbox if m.to == [member.person.email])
    assert invitation.subject == f"Einladung: {meeting.title}"
    notice = next(m for m in mailoutbox if m.to == [deputy.email])
    assert notice.subject == f"Zur Information: {meeting.title}"
    assert invitations_of(meeting).get(email=deputy.email).informed
    assert (
        AudienceEntry.objects.filter(event_id=meeting.pk, kind="body", body=series.body).count()
        == 1
    )

    # The reply page works as a workshop's: the principal declines, the deputy is invited.
    link = re.search(r"https?://\S+(/invitation/[A-Za-z0-9_-]{43}/)", invitation.body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.redirect_chain[-1][0], {"reply": "declined"})
    assert [m.to for m in mailoutbox] == [[deputy.email]]
    assert mailoutbox[0].subject == f"Einladung: {meeting.title}"

    # Sending again: nobody new, nobody twice.
    client.force_login(coordinator)
    again = client.get(address).content.decode()
    assert "Niemand Neues zu benachrichtigen" in again
    assert "Bereits eingeladen" in again
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address)
    assert mailoutbox == []


def test_only_coordinators_send_invitations(series, member, client):
    meeting = first_meetings(series, 1)[0]
    client.force_login(member)
    address = reverse("meetings:meeting_invitations", args=[meeting.pk])
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 404
    assert not invitations_of(meeting).exists()
    assert api(member).post(f"/api/v1/meetings/{meeting.pk}/send-invitations/").status_code == 404
    assert api(member).get(f"/api/v1/meetings/{meeting.pk}/invitation-preview/").status_code == 404


def test_the_api_previews_and_sends(
    series, coordinator, member, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = first_meetings(series, 1)[0]
    client = api(coordinator)
    preview = client.get(f"/api/v1/meetings/{meeting.pk}/invitation-preview/").json()
    assert [r["email"] for r in preview["invite"]] == [member.person.email]
    assert preview["inform"] == [
        {
            "name": "Jan Vertreter",
            "email": deputy.email,
            "organisation": "Stadt Siegburg",
            "deputy_of": member.person.full_name,
        }
    ]
    assert preview["already_invited"] == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/v1/meetings/{meeting.pk}/send-invitations/")
    assert sent.status_code == 200 and sent.json() == {"invited": 1}
    assert len(mailoutbox) == 2
    after = client.get(f"/api/v1/meetings/{meeting.pk}/invitation-preview/").json()
    assert (after["invite"], after["inform"]) == ([], [])
    assert len(after["already_invited"]) == 2


def test_a_cancelled_meeting_sends_no_invitations(series, coordinator, client):
    meeting = first_meetings(series, 1)[0]
    services.cancel_meeting(meeting, actor=coordinator)
    response = api(coordinator).post(f"/api/v1/meetings/{meeting.pk}/send-invitations/")
    assert response.status_code == 400
    assert not invitations_of(meeting).exists()


def _entry(mail):
    (attachment,) = mail.attachments
    return Calendar.from_ical(attachment[1]).walk("VEVENT")[0]


def test_a_moved_occurrence_tells_only_its_invitees_once(
    series,
    coordinator,
    member,
    deputy,
    seated_person,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    moved, other = first_meetings(series)
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(moved, actor=coordinator)
        send_meeting_invitations(other, actor=coordinator)
    invitation = next(m for m in mailoutbox if m.to == [member.person.email])
    entry = _entry(invitation)
    assert str(entry["UID"]) == feed.series_uid(series)
    assert entry["RECURRENCE-ID"].dt == local(moved.recurrence_id)
    assert entry["SEQUENCE"] == 0
    # The seated person declines this one meeting: no update for them.
    replies.reply_to_invitation(
        invitations_of(moved).get(email=seated_person.email), reply=Reply.DECLINED
    )

    mailoutbox.clear()
    new_start = moved.start + datetime.timedelta(days=2, hours=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(
            moved, start=new_start, end=new_start + datetime.timedelta(hours=2), actor=coordinator
        )
    # The member gets the update and the informed deputy hears of it for their information
    # (no calendar file, nothing to reply); not who declined, not the other meeting's
    # invitees.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.person.email, deputy.email])
    (information,) = [m for m in mailoutbox if m.to == [deputy.email]]
    assert "Zu Ihrer Information" in information.body
    assert not information.attachments
    assert "/invitation/" not in information.body
    (update,) = [m for m in mailoutbox if m.to == [member.person.email]]
    assert update.subject == f"Geändert: {moved.title}"
    entry = _entry(update)
    assert str(entry["UID"]) == feed.series_uid(series)
    assert entry["RECURRENCE-ID"].dt == local(moved.recurrence_id)
    assert entry["DTSTART"].dt == local(new_start)
    assert entry["SEQUENCE"] == 1
    # The body's feed says the same: one override with that RECURRENCE-ID and SEQUENCE.
    body_feed = Calendar.from_ical(feed.body_feed(series.body))
    (override,) = [e for e in body_feed.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == entry["RECURRENCE-ID"].dt
    assert override["SEQUENCE"] == 1

    # Moving it again is another update, once more to the same one person.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(
            moved,
            start=new_start + datetime.timedelta(hours=1),
            end=new_start + datetime.timedelta(hours=3),
            actor=coordinator,
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.person.email, deputy.email])
    (update,) = [m for m in mailoutbox if m.to == [member.person.email]]
    assert _entry(update)["SEQUENCE"] == 2


def test_the_meeting_page_tells_an_informed_deputy_from_an_invitee(
    series, deputy, member, coordinator, client
):
    meeting = series.meetings.order_by("start").first()
    send_meeting_invitations(meeting, actor=coordinator)
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    # Informed only: no reply is expected from them yet.
    assert f"Informiert; eingeladen, wenn {member.person.full_name} absagt" in page
    replies.reply_to_invitation(
        invitations_of(meeting).get(email=member.person.email), reply=Reply.DECLINED
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Informiert; eingeladen" not in page
    assert f"Stellvertretung von {member.person.full_name}" in page


def test_the_attendance_page_shows_each_seats_reply(
    series, deputy, member, seated_person, coordinator, client
):
    meeting = series.meetings.order_by("start").first()
    send_meeting_invitations(meeting, actor=coordinator)
    replies.reply_to_invitation(
        invitations_of(meeting).get(email=member.person.email), reply=Reply.DECLINED
    )
    client.force_login(coordinator)
    page = client.get(reverse("meetings:attendance", args=[meeting.pk])).content.decode()
    assert "Antwort auf die Einladung" in page
    assert 'Abgesagt<br><span class="muted">Vertretung eingeladen: Jan Vertreter</span>' in page
    assert page.count("Noch keine Antwort") == 2  # the seated person, Jan Vertreter
