"""A coordinator records a meeting invitee's reply (they phoned) on the meeting's
invitations list and over the API; the list says who recorded it; members and outsiders
get 404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.invitations import send_meeting_invitations
from participation.events.selectors import invitations_of
from participation.models import Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(series, coordinator, member, deputy, mailoutbox, django_capture_on_commit_callbacks):
    meeting = series.meetings.order_by("start").first()
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations(meeting, actor=coordinator)
    mailoutbox.clear()
    return meeting


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coordinator_records_a_phoned_decline_on_the_meeting_page(
    meeting, coordinator, member, deputy, client, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invitations_of(meeting).get(email=member.person.email)
    url = reverse("meetings:record_reply", args=[meeting.pk, invitation.pk])
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reply": Reply.DECLINED}, follow=True)
    html = response.content.decode()
    assert f"erfasst von {coordinator.email}" in html
    invitation.refresh_from_db()
    assert invitation.reply == Reply.DECLINED
    assert invitation.reply_recorded_by == coordinator
    # The registered deputy is invited now, as if the member had declined themselves.
    assert [m.to for m in mailoutbox] == [[deputy.email]]
    assert not invitations_of(meeting).get(email=deputy.email).informed


def test_meeting_record_reply_is_for_coordinators_only(meeting, member, outsider, client):
    invitation = invitations_of(meeting).get(email=member.person.email)
    url = reverse("meetings:record_reply", args=[meeting.pk, invitation.pk])
    api_url = f"/api/v1/meetings/{meeting.pk}/invitations/{invitation.pk}/record-reply/"
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"reply": Reply.ACCEPTED}).status_code in (403, 404)
        assert api(user).post(api_url, {"reply": "accepted"}).status_code == 404
        assert api(user).get(f"/api/v1/meetings/{meeting.pk}/invitations/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == Reply.NONE


def test_meeting_api_records_a_reply_and_lists_who_recorded_it(
    meeting, coordinator, member, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = invitations_of(meeting).get(email=member.person.email)
    client = api(coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/invitations/{invitation.pk}/record-reply/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reply": "deputy", "deputy_person_id": deputy.pk})
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "declined"
    assert response.json()["reply_recorded_by"] == coordinator.email
    assert [m.to for m in mailoutbox] == [[deputy.email]]
    rows = {
        row["email"]: row
        for row in client.get(f"/api/v1/meetings/{meeting.pk}/invitations/").json()
    }
    assert rows[member.person.email]["reply_recorded_by"] == coordinator.email
    assert rows[deputy.email]["informed"] is False
    assert rows[deputy.email]["reply_recorded_by"] is None
