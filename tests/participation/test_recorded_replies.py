"""A coordinator records an invitee's reply for them (they phoned): the same effects as the
invitee's own reply (a registered deputy invited on a decline, the waitlist moves, a named
deputy invited), an audit entry naming the coordinator, "recorded by" on the workshop's
invitations list, the page and the API for coordinators only."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from participation.events import audiences, invitations, replies
from participation.events.selectors import invitations_of
from participation.models import AudienceEntry, Reply
from tests.factories import WorkshopFactory
from tests.participation.test_invitation_deputies import Seats

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats():
    return Seats()


@pytest.fixture
def sent(seats, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    """A workshop for the body with its invitations sent: (workshop, Petra's invitation,
    Jan's, her informed deputy)."""
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=seats.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(workshop, actor=coordinator)
    mailoutbox.clear()
    return (
        workshop,
        invitations_of(workshop).get(email="petra@caritas.example"),
        invitations_of(workshop).get(email="jan@caritas.example"),
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_record_reply_decline_invites_the_registered_deputy_and_names_the_coordinator(
    sent, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    with django_capture_on_commit_callbacks(execute=True):
        replies.record_reply(principal, actor=coordinator, reply=Reply.DECLINED)
    principal.refresh_from_db()
    deputy.refresh_from_db()
    assert principal.reply == Reply.DECLINED
    assert principal.reply_recorded_by == coordinator
    assert not deputy.informed
    assert [m.to for m in mailoutbox] == [["jan@caritas.example"]]
    assert mailoutbox[0].subject == "Einladung: Fachworkshop Pflege"
    entry = LogEntry.objects.get_for_object(workshop).filter(changes__has_key="reply_recorded")
    (entry,) = entry
    assert entry.actor == coordinator
    assert entry.changes["reply_recorded"] == [
        "petra@caritas.example: Noch keine Antwort",
        "petra@caritas.example: Abgesagt",
    ]
    own = LogEntry.objects.get_for_object(principal).filter(changes__has_key="reply")
    assert own.latest("timestamp").actor == coordinator


def test_record_reply_frees_the_place_for_the_waitlist(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Fachworkshop Pflege", capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = invitations.invite_person(workshop, email="a@example.org", actor=coordinator)
        second = invitations.invite_person(workshop, email="b@example.org", actor=coordinator)
    replies.reply_to_invitation(first, reply=Reply.ACCEPTED)
    # A phoned acceptance when the place is taken waits like an own one.
    replies.record_reply(second, actor=coordinator, reply=Reply.ACCEPTED)
    second.refresh_from_db()
    assert second.is_waitlisted
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replies.record_reply(first, actor=coordinator, reply=Reply.DECLINED)
    second.refresh_from_db()
    assert second.has_place
    assert [m.to for m in mailoutbox] == [["b@example.org"]]


def test_record_reply_with_a_deputy_invites_the_colleague(
    sent, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, _deputy = sent
    olga = replies.deputy_candidates(principal).get(email="olga@caritas.example")
    with django_capture_on_commit_callbacks(execute=True):
        replies.record_reply(principal, actor=coordinator, reply=replies.DEPUTY, deputy=olga)
    principal.refresh_from_db()
    assert principal.reply == Reply.DECLINED
    assert principal.reply_recorded_by == coordinator
    invited = invitations_of(workshop).get(email="olga@caritas.example")
    assert invited.deputy_for == principal
    assert ["olga@caritas.example"] in [m.to for m in mailoutbox]


def test_record_reply_is_possible_after_the_deadline_but_not_after_the_event(sent, coordinator):
    workshop, principal, _deputy = sent
    after_deadline = workshop.registration_deadline + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        replies.reply_to_invitation(principal, reply=Reply.ACCEPTED, now=after_deadline)
    replies.record_reply(principal, actor=coordinator, reply=Reply.ACCEPTED, now=after_deadline)
    principal.refresh_from_db()
    assert principal.reply == Reply.ACCEPTED
    with pytest.raises(ValidationError, match="vorbei"):
        replies.record_reply(
            principal,
            actor=coordinator,
            reply=Reply.DECLINED,
            now=workshop.end + datetime.timedelta(minutes=1),
        )
    principal.refresh_from_db()
    assert principal.reply == Reply.ACCEPTED


def test_record_reply_refuses_an_informed_deputy(sent, coordinator):
    _workshop, _principal, deputy = sent
    with pytest.raises(ValidationError):
        replies.record_reply(deputy, actor=coordinator, reply=Reply.ACCEPTED)
    deputy.refresh_from_db()
    assert deputy.reply == Reply.NONE
    assert deputy.reply_recorded_by is None


def test_the_invitees_own_reply_replaces_the_recorded_one(sent, coordinator):
    _workshop, principal, _deputy = sent
    replies.record_reply(principal, actor=coordinator, reply=Reply.TENTATIVE)
    replies.reply_to_invitation(principal, reply=Reply.ACCEPTED)
    principal.refresh_from_db()
    assert principal.reply == Reply.ACCEPTED
    assert principal.reply_recorded_by is None


def test_workshop_page_records_a_reply_and_the_list_says_who(
    sent, coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, _deputy = sent
    client.force_login(coordinator)
    listing = client.get(reverse("workshops:invitations", args=[workshop.pk])).content.decode()
    url = reverse("workshops:record_reply", args=[workshop.pk, principal.pk])
    assert url in listing
    page = client.get(url)
    assert "Petra Leitung" in page.content.decode()
    # A deputy without naming one: a clear error, nothing saved.
    refused = client.post(url, {"reply": "deputy"})
    assert refused.status_code == 400
    assert "Bitte wählen Sie, wer stattdessen kommt." in refused.content.decode()
    principal.refresh_from_db()
    assert principal.reply == Reply.NONE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reply": Reply.DECLINED}, follow=True)
    html = response.content.decode()
    assert f"erfasst von {coordinator.email}" in html
    assert ["jan@caritas.example"] in [m.to for m in mailoutbox]


def test_workshop_record_reply_page_and_api_are_for_coordinators_only(
    sent, member, outsider, client
):
    workshop, principal, _deputy = sent
    url = reverse("workshops:record_reply", args=[workshop.pk, principal.pk])
    api_url = f"/api/v1/workshops/{workshop.pk}/invitations/{principal.pk}/record-reply/"
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"reply": Reply.DECLINED}).status_code in (403, 404)
        assert api(user).post(api_url, {"reply": "declined"}).status_code == 404
    principal.refresh_from_db()
    assert principal.reply == Reply.NONE


def test_workshop_api_records_a_reply_and_lists_who_recorded_it(sent, coordinator):
    workshop, principal, _deputy = sent
    client = api(coordinator)
    base = f"/api/v1/workshops/{workshop.pk}/invitations/"
    response = client.post(f"{base}{principal.pk}/record-reply/", {"reply": "accepted"})
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "accepted"
    assert response.json()["reply_recorded_by"] == coordinator.email
    rows = {row["email"]: row for row in client.get(base).json()["results"]}
    assert rows["petra@caritas.example"]["reply_recorded_by"] == coordinator.email
    assert rows["jan@caritas.example"]["reply_recorded_by"] is None
    # A deputy without naming one, or an id of another event: refused.
    assert (
        client.post(f"{base}{principal.pk}/record-reply/", {"reply": "deputy"}).status_code == 400
    )
    other = WorkshopFactory()
    assert (
        client.post(
            f"/api/v1/workshops/{other.pk}/invitations/{principal.pk}/record-reply/",
            {"reply": "accepted"},
        ).status_code
        == 404
    )


def test_record_reply_time_is_the_recording_time(sent, coordinator):
    _workshop, principal, _deputy = sent
    moment = principal.created_at + datetime.timedelta(hours=3)
    with time_machine.travel(moment, tick=False):
        replies.record_reply(principal, actor=coordinator, reply=Reply.DECLINED)
    principal.refresh_from_db()
    assert principal.replied_at == moment
