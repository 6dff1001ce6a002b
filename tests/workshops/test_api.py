"""Workshops over the REST API: who reads and runs what, the audience and sending, the
invitations' statuses, the reply of a token holder without an account, check-in and
attendance, query counts and the schema."""

import datetime
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.test import APIClient

from participation.events import invitations, replies
from participation.events.api import InvitationReplyThrottle
from participation.models import Invitation, InvitationMessage, OutboundMail, Reply
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    WorkshopFactory,
)
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db

REPLY_URL = "/api/v1/invitation-reply/"


def url(workshop=None, path=""):
    if workshop is None:
        return "/api/v1/workshops/"
    return f"/api/v1/workshops/{workshop.pk}/{path}"


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def token_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Invitation {token}")
    return client


def link_token(message):
    return re.search(r"https?://\S+/invitation/([A-Za-z0-9_-]{43})/", message.body).group(1)


def invite_user(workshop, user, organisation=None):
    """An invitation of the user's person, written directly (no mail): enough to be seen."""
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email=user.email,
        person=user.person,
        organisation=organisation,
    )


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Throttle counts live in the shared cache; each test starts without any.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut")


@pytest.fixture
def invite(mailoutbox, django_capture_on_commit_callbacks):
    """Invite someone through the pipeline; returns the invitation and its link's token."""

    def invite(event, email, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitations.invite_person(event, email=email, **fields)
        message = [m for m in mailoutbox if m.to == [email]][-1]
        return invitation, link_token(message)

    return invite


# --- who sees what ------------------------------------------------------------------------------


def test_list_invitee_sees_published_workshops_they_are_invited_to(member, outsider, workshop):
    invite_user(workshop, member)
    draft = WorkshopFactory(status="draft")
    invite_user(draft, member)
    other = WorkshopFactory()

    response = client_for(member).get(url())

    assert response.status_code == 200
    rows = response.data["results"]
    assert [row["id"] for row in rows] == [workshop.pk]
    assert rows[0]["own_reply"] == ""
    assert rows[0]["invited_count"] is None
    assert client_for(member).get(url(workshop)).status_code == 200
    assert client_for(member).get(url(draft)).status_code == 404
    assert client_for(member).get(url(other)).status_code == 404
    assert client_for(outsider).get(url()).data["results"] == []
    assert client_for(outsider).get(url(workshop)).status_code == 404


def test_list_coordinator_sees_all_with_counts(coordinator, workshop):
    draft = WorkshopFactory(status="draft")
    invitations.invite_person(workshop, email="a@example.org")

    rows = client_for(coordinator).get(url()).data["results"]

    assert {row["id"] for row in rows} == {workshop.pk, draft.pk}
    shown = next(row for row in rows if row["id"] == workshop.pk)
    assert shown["invited_count"] == 1
    assert shown["accepted_count"] == 0


def test_list_filters_by_status_and_searches(coordinator, workshop):
    WorkshopFactory(status="draft", title="Sozialraumkonferenz", topic="Wohnen")
    client = client_for(coordinator)

    drafts = client.get(url(), {"status": "draft"}).data["results"]
    found = client.get(url(), {"search": "Kinderarmut"}).data["results"]

    assert [row["title"] for row in drafts] == ["Sozialraumkonferenz"]
    assert [row["id"] for row in found] == [workshop.pk]


def test_anonymous_is_refused(workshop):
    client = APIClient()
    assert client.get(url()).status_code == 401
    assert client.get(url(workshop)).status_code == 401
    assert client.post(url(workshop, "publish/")).status_code == 401


COORDINATOR_CALLS = [
    ("patch", "", {"title": "Gekapert"}),
    ("put", "", {"title": "Gekapert"}),
    ("post", "publish/", {}),
    ("post", "done/", {}),
    ("post", "cancel/", {}),
    ("post", "send-invitations/", {"expected": 0}),
    ("post", "resend-failed/", {}),
    ("get", "delivery/", None),
    ("get", "audience/", None),
    ("post", "audience/", {"kind": "email", "email": "x@example.org"}),
    ("delete", "audience/1/", None),
    ("get", "invitations/", None),
    ("get", "attendance/", None),
    ("post", "check-in/", {"invitation": 1}),
    ("post", "agenda/", {"starts_at": "09:00", "title": "Begrüßung"}),
    ("patch", "agenda/1/", {"title": "Gekapert"}),
    ("delete", "agenda/1/", None),
    ("patch", "documentation/", {"results": "Gekapert"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), COORDINATOR_CALLS)
@pytest.mark.parametrize("who", ["member", "outsider", "participant"])
def test_coordinator_calls_answer_404_to_everybody_else(
    who, method, path, payload, request, workshop
):
    user = request.getfixturevalue(who)
    if who == "member":
        invite_user(workshop, user)  # sees the workshop, may still not run it

    response = getattr(client_for(user), method)(url(workshop, path), payload, format="json")

    assert response.status_code == 404
    workshop.refresh_from_db()
    assert workshop.title == "Fachworkshop Kinderarmut"
    assert workshop.status == "published"


def test_create_member_is_forbidden(member):
    response = client_for(member).post(url(), {"title": "Neu"}, format="json")

    assert response.status_code == 403
    assert not Workshop.objects.exists()


def test_no_delete_of_a_workshop(coordinator, workshop):
    assert client_for(coordinator).delete(url(workshop)).status_code == 405


# --- a workshop from draft to invitations -------------------------------------------------------


def _payload(**fields):
    start = (timezone.now() + datetime.timedelta(days=20)).replace(microsecond=0)
    return {
        "title": "Workshop Sozialraumanalyse",
        "topic": "Sozialräume",
        "kind": "thematic",
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(hours=3)).isoformat(),
        "venue_name": "Kreishaus, Raum 2.10",
        "capacity": 20,
        "registration_deadline": (start - datetime.timedelta(days=5)).isoformat(),
        **fields,
    }


def test_coordinator_creates_publishes_builds_audience_and_sends(
    coordinator, own_org, mailoutbox, django_capture_on_commit_callbacks
):
    contact = PersonFactory(first_name="Petra", last_name="Plan", email="plan@siegburg.example")
    MembershipFactory(person=contact, organisation=own_org, is_contact=True)
    client = client_for(coordinator)

    created = client.post(url(), _payload(), format="json")
    assert created.status_code == 201, created.data
    assert created.data["status"] == "draft"
    workshop = Workshop.objects.get(pk=created.data["id"])
    assert workshop.created_by == coordinator

    item = client.post(
        url(workshop, "agenda/"), {"starts_at": "09:30", "title": "Begrüßung"}, format="json"
    )
    assert item.status_code == 201, item.data
    published = client.post(url(workshop, "publish/"))
    assert published.status_code == 200, published.data
    assert published.data["status"] == "published"
    assert [a["title"] for a in published.data["agenda"]] == ["Begrüßung"]

    for entry in [
        {"kind": "organisation", "organisation": own_org.pk},
        {"kind": "email", "email": "Gast@Extern.example", "name": "Gast"},
    ]:
        added = client.post(url(workshop, "audience/"), entry, format="json")
        assert added.status_code == 201, added.data
    audience = client.get(url(workshop, "audience/")).data
    assert [e["kind"] for e in audience["entries"]] == ["organisation", "email"]
    assert sorted(r["email"] for r in audience["recipients"]) == [
        "gast@extern.example",
        "plan@siegburg.example",
    ]
    petra = next(r for r in audience["recipients"] if r["email"] == "plan@siegburg.example")
    assert petra["organisation"] == {"id": own_org.pk, "name": own_org.name}
    assert audience["to_invite"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url(workshop, "send-invitations/"), {"expected": 2}, format="json")
    assert sent.status_code == 200, sent.data
    assert sent.data == {"count": 2, "delivery": "queued"}
    assert sorted(m.to[0] for m in mailoutbox) == ["gast@extern.example", "plan@siegburg.example"]
    assert all("Workshop Sozialraumanalyse" in m.subject for m in mailoutbox)

    assert client.get(url(workshop, "delivery/")).data == {
        "queued": 0,
        "sent": 2,
        "failed": 0,
        "total": 2,
    }
    after = client.get(url(workshop, "audience/")).data
    assert after["to_invite"] == 0
    assert all(r["invited"] for r in after["recipients"])


def test_create_with_end_before_start_names_the_field(coordinator):
    payload = _payload()
    payload["end"] = payload["start"]

    response = client_for(coordinator).post(url(), payload, format="json")

    assert response.status_code == 400
    assert "end" in response.data


def test_create_in_an_implausible_year_is_refused_with_a_message(coordinator):
    payload = _payload(registration_deadline=None)
    payload["start"] = "0044-03-15T10:00:00+01:00"
    payload["end"] = "0044-03-15T12:00:00+01:00"

    response = client_for(coordinator).post(
        url(), payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.data["start"] == ["Enter a date between the years 2000 and 2099."]
    assert not Workshop.objects.exists()


def test_agenda_times_and_audience_blanks_are_given_as_the_schema_says(coordinator, workshop):
    client = client_for(coordinator)
    client.post(url(workshop, "agenda/"), {"starts_at": "09:30", "title": "Begrüßung"})
    client.post(url(workshop, "audience/"), {"kind": "email", "email": "gast@extern.example"})
    client.post(
        url(workshop, "audience/"), {"kind": "organisation_kind", "organisation_kind": "jobcenter"}
    )

    agenda = client.get(url(workshop, "agenda/")).json()
    entries = client.get(url(workshop, "audience/")).json()["entries"]

    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    time_schema = schema["AgendaItem"]["properties"]["starts_at"]
    assert time_schema.get("format") != "time"  # RFC 3339 time would need an offset
    assert re.fullmatch(time_schema["pattern"], agenda[0]["starts_at"])
    assert agenda[0]["starts_at"] == "09:30:00"
    entry_schema = schema["AudienceEntry"]["properties"]
    assert [e["organisation_kind"] for e in entries] == ["", "jobcenter"]
    assert [e["email"] for e in entries] == ["gast@extern.example", ""]
    assert {"$ref": "#/components/schemas/BlankEnum"} in entry_schema["organisation_kind"]["oneOf"]
    assert {"type": "string", "maxLength": 0} in entry_schema["email"]["oneOf"]


def test_send_invitations_of_a_draft_is_refused_with_a_message(coordinator):
    draft = WorkshopFactory(status="draft")

    response = client_for(coordinator).post(
        url(draft, "send-invitations/"), {"expected": 0}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.data["non_field_errors"] == ["Publish the workshop before sending invitations."]
    assert not Invitation.objects.exists()


def test_send_invitations_when_the_audience_changed_is_refused(coordinator, workshop):
    client = client_for(coordinator)
    client.post(url(workshop, "audience/"), {"kind": "email", "email": "a@example.org"})

    response = client.post(url(workshop, "send-invitations/"), {"expected": 0}, format="json")

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_audience_invalid_address_is_named(coordinator, workshop):
    response = client_for(coordinator).post(
        url(workshop, "audience/"),
        {"kind": "email", "email": "kein-at-zeichen.example"},
        format="json",
    )

    assert response.status_code == 400
    assert "kein-at-zeichen.example" in response.data["email"][0]
    assert not workshop.audience_entries.exists()


def test_audience_entry_needs_the_field_of_its_kind(coordinator, workshop):
    response = client_for(coordinator).post(
        url(workshop, "audience/"), {"kind": "body"}, format="json"
    )

    assert response.status_code == 400
    assert "body" in response.data


def test_audience_entry_is_removed_only_from_its_workshop(coordinator, workshop):
    client = client_for(coordinator)
    entry = client.post(
        url(workshop, "audience/"), {"kind": "email", "email": "a@example.org"}
    ).data
    other = WorkshopFactory()

    assert client.delete(url(other, f"audience/{entry['id']}/")).status_code == 404
    assert client.delete(url(workshop, f"audience/{entry['id']}/")).status_code == 204
    assert client.get(url(workshop, "audience/")).data["entries"] == []


def test_publish_of_a_past_workshop_and_done_before_start_are_refused(coordinator, workshop):
    past = WorkshopFactory(
        status="draft",
        start=timezone.now() - datetime.timedelta(days=1),
        end=timezone.now() - datetime.timedelta(hours=20),
        registration_deadline=None,
    )
    client = client_for(coordinator)

    assert client.post(url(past, "publish/")).status_code == 400
    assert client.post(url(workshop, "done/")).status_code == 400
    workshop.refresh_from_db()
    assert workshop.status == "published"


def test_schedule_change_of_a_published_workshop_tells_the_invitees(
    coordinator, workshop, invite, mailoutbox, django_capture_on_commit_callbacks
):
    invite(workshop, "kommt@example.org")
    later = workshop.start + datetime.timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).patch(
            url(workshop),
            {"start": later.isoformat(), "end": (later + datetime.timedelta(hours=4)).isoformat()},
            format="json",
        )

    assert response.status_code == 200, response.data
    assert response.data["start"] == timezone.localtime(later).isoformat()
    assert len(mailoutbox) == 2
    assert mailoutbox[-1].to == ["kommt@example.org"]
    assert InvitationMessage.objects.filter(purpose="update").count() == 1


def test_cancel_tells_the_invitees(
    coordinator, workshop, invite, mailoutbox, django_capture_on_commit_callbacks
):
    invite(workshop, "kommt@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url(workshop, "cancel/"))

    assert response.data["status"] == "cancelled"
    assert len(mailoutbox) == 2
    assert mailoutbox[-1].to == ["kommt@example.org"]
    assert InvitationMessage.objects.filter(purpose="cancellation").count() == 1


def test_agenda_items_are_changed_by_coordinators_and_read_by_invitees(
    coordinator, member, workshop
):
    invite_user(workshop, member)
    client = client_for(coordinator)
    item = client.post(
        url(workshop, "agenda/"), {"starts_at": "10:00", "title": "Impuls"}, format="json"
    ).data
    client.post(url(workshop, "agenda/"), {"starts_at": "09:00", "title": "Begrüßung"})

    changed = client.patch(url(workshop, f"agenda/{item['id']}/"), {"presenter": "Dr. Beispiel"})

    assert changed.status_code == 200, changed.data
    assert changed.data["presenter"] == "Dr. Beispiel"
    agenda = client_for(member).get(url(workshop, "agenda/")).data
    assert [a["title"] for a in agenda] == ["Begrüßung", "Impuls"]
    assert client.delete(url(workshop, f"agenda/{item['id']}/")).status_code == 204
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Begrüßung"]


def test_documentation_is_shared_with_invitees(coordinator, member):
    workshop = WorkshopFactory(status="done")
    invite_user(workshop, member)
    client = client_for(coordinator)

    saved = client.patch(
        url(workshop, "documentation/"), {"results": "Drei Handlungsfelder"}, format="json"
    )
    assert saved.status_code == 200, saved.data
    assert client_for(member).get(url(workshop, "documentation/")).status_code == 404

    shared = client.patch(
        url(workshop, "documentation/"), {"documentation_published": True}, format="json"
    )
    assert shared.data["documentation_published"] is True
    read = client_for(member).get(url(workshop, "documentation/"))
    assert read.status_code == 200
    assert read.data["results"] == "Drei Handlungsfelder"


# --- invitations --------------------------------------------------------------------------------


def test_invitations_list_shows_delivery_and_replies_and_filters(
    coordinator, workshop, invite, own_org
):
    accepted, _token = invite(workshop, "ja@example.org", organisation=own_org)
    failed, _token = invite(workshop, "kaputt@example.org")
    invite(workshop, "offen@example.org")
    replies.reply_to_invitation(accepted, reply=Reply.ACCEPTED, dietary_wishes="vegetarisch")
    OutboundMail.objects.filter(invitation_message__invitation=failed).update(
        status=OutboundMail.Status.FAILED, last_error="550 mailbox unavailable"
    )
    client = client_for(coordinator)

    rows = {r["email"]: r for r in client.get(url(workshop, "invitations/")).data["results"]}

    assert rows["ja@example.org"]["reply"] == "accepted"
    assert rows["ja@example.org"]["waitlisted"] is False
    assert rows["ja@example.org"]["dietary_wishes"] == "vegetarisch"
    assert rows["ja@example.org"]["organisation"] == {"id": own_org.pk, "name": own_org.name}
    assert rows["ja@example.org"]["delivery_status"] == "sent"
    assert rows["kaputt@example.org"]["delivery_status"] == "failed"
    assert rows["kaputt@example.org"]["delivery_error"] == "550 mailbox unavailable"
    assert rows["offen@example.org"]["reply"] == ""
    assert rows["offen@example.org"]["checked_in"] is False

    def emails(**query):
        response = client.get(url(workshop, "invitations/"), query)
        return [row["email"] for row in response.data["results"]]

    assert emails(reply="accepted") == ["ja@example.org"]
    assert emails(reply="none") == ["kaputt@example.org", "offen@example.org"]
    assert emails(reply="failed") == ["kaputt@example.org"]
    assert emails(search="offen") == ["offen@example.org"]
    assert client.get(url(workshop, "invitations/"), {"reply": "vielleicht"}).status_code == 400


def test_resend_failed_sends_again_and_counts(
    coordinator, workshop, invite, mailoutbox, django_capture_on_commit_callbacks
):
    failed, _token = invite(workshop, "kaputt@example.org")
    OutboundMail.objects.filter(invitation_message__invitation=failed).update(
        status=OutboundMail.Status.FAILED
    )
    client = client_for(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(workshop, "resend-failed/"))

    assert response.data == {"count": 1, "delivery": "queued"}
    assert mailoutbox[-1].to == ["kaputt@example.org"]
    assert client.get(url(workshop, "delivery/")).data["sent"] == 1


# --- the reply of a token holder ----------------------------------------------------------------


def test_token_holder_reads_the_invitation(workshop, invite):
    _invitation, token = invite(workshop, "gast@example.org", name="Gast")

    response = token_client(token).get(REPLY_URL)

    assert response.status_code == 200
    assert response.data["email"] == "gast@example.org"
    assert response.data["reply"] == ""
    assert response.data["event"]["title"] == "Fachworkshop Kinderarmut"
    assert response.data["event"]["closed_reason"] is None
    deadline = datetime.datetime.fromisoformat(response.data["event"]["reply_deadline"])
    assert deadline == workshop.registration_deadline


def test_token_holder_accepts_with_needs(workshop, invite):
    invitation, token = invite(workshop, "gast@example.org")

    response = token_client(token).post(
        REPLY_URL,
        {"reply": "accepted", "accessibility_needs": "Rollstuhlplatz"},
        format="json",
    )

    assert response.status_code == 200, response.data
    assert response.data["reply"] == "accepted"
    assert response.data["waitlisted"] is False
    invitation.refresh_from_db()
    assert invitation.reply == Reply.ACCEPTED
    assert invitation.accessibility_needs == "Rollstuhlplatz"


def test_token_holder_joins_the_waitlist_when_full(invite):
    workshop = WorkshopFactory(capacity=1)
    first, _token = invite(workshop, "erste@example.org")
    replies.reply_to_invitation(first, reply=Reply.ACCEPTED)
    _second, token = invite(workshop, "zweite@example.org")

    response = token_client(token).post(REPLY_URL, {"reply": "accepted"}, format="json")

    assert response.status_code == 200
    assert response.data["waitlisted"] is True
    assert response.data["waitlist_position"] == 1


def test_token_holder_after_the_deadline_is_refused_naming_it(workshop, invite):
    invitation, token = invite(workshop, "gast@example.org")
    with translation.override("de"):
        deadline = replies.format_deadline(workshop.registration_deadline)

    with time_machine.travel(workshop.registration_deadline + datetime.timedelta(hours=1)):
        response = token_client(token).post(REPLY_URL, {"reply": "accepted"}, format="json")

    assert response.status_code == 400
    assert deadline in response.data["non_field_errors"][0]
    invitation.refresh_from_db()
    assert invitation.reply == Reply.NONE


def test_token_holder_without_a_reply_is_asked_for_one(workshop, invite):
    _invitation, token = invite(workshop, "gast@example.org")

    response = token_client(token).post(REPLY_URL, {"dietary_wishes": "vegan"}, format="json")

    assert response.status_code == 400
    assert "reply" in response.data


def test_token_holder_sends_a_deputy_from_their_organisation(
    workshop, invite, own_org, outsider, mailoutbox
):
    _invitation, token = invite(workshop, "leitung@siegburg.example", organisation=own_org)
    colleague = MembershipFactory(
        organisation=own_org, person=PersonFactory(last_name="Vertretung")
    ).person
    client = token_client(token)
    candidates = client.get(REPLY_URL).data["deputy_candidates"]
    assert colleague.pk in [c["id"] for c in candidates]

    stranger = client.post(REPLY_URL, {"deputy_person_id": outsider.person.pk}, format="json")
    assert stranger.status_code == 400
    assert "deputy_person_id" in stranger.data

    response = client.post(REPLY_URL, {"deputy_person_id": colleague.pk}, format="json")

    assert response.status_code == 200, response.data
    assert response.data["reply"] == "declined"
    assert response.data["deputies"] == [colleague.full_name]
    deputy = Invitation.objects.get(email=colleague.email)
    assert deputy.deputy_for.email == "leitung@siegburg.example"


def test_token_forged_or_of_a_cancelled_event_answers_404_alike(
    coordinator, workshop, invite, django_capture_on_commit_callbacks
):
    _invitation, token = invite(workshop, "gast@example.org")
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = [
        token_client(forged).get(REPLY_URL),
        token_client("kurz").post(REPLY_URL, {"reply": "accepted"}, format="json"),
        APIClient().get(REPLY_URL),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        invitations.cancel_event(workshop, actor=coordinator)
    answers.append(token_client(token).get(REPLY_URL))

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert len({a.content for a in answers}) == 1


def test_token_is_accepted_only_in_the_header(workshop, invite):
    invitation, token = invite(workshop, "gast@example.org")
    client = APIClient()

    in_query = client.post(f"{REPLY_URL}?token={token}", {"reply": "accepted"}, format="json")
    in_path = client.post(f"{REPLY_URL}{token}/", {"reply": "accepted"}, format="json")
    in_body = client.post(REPLY_URL, {"reply": "accepted", "token": token}, format="json")
    other_scheme = APIClient()
    other_scheme.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert in_query.status_code == 404
    assert in_path.status_code == 404
    assert in_body.status_code == 404
    assert other_scheme.get(REPLY_URL).status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == Reply.NONE


def test_token_calls_are_throttled(workshop, invite, monkeypatch):
    _invitation, token = invite(workshop, "gast@example.org")
    monkeypatch.setattr(InvitationReplyThrottle, "THROTTLE_RATES", {"invitation_reply": "3/minute"})
    client = token_client(token)

    answers = [client.get(REPLY_URL).status_code for _ in range(3)]
    guessing = token_client("x" * 43).get(REPLY_URL)

    assert answers == [200, 200, 200]
    assert guessing.status_code == 429


# --- the day itself -----------------------------------------------------------------------------


def test_check_in_toggles_and_attendance_groups_by_organisation(
    coordinator, workshop, invite, own_org
):
    colleague, _token = invite(
        workshop, "plan@siegburg.example", name="Petra Plan", organisation=own_org
    )
    guest, _token = invite(workshop, "gast@example.org", name="Gast")
    for invitation in (colleague, guest):
        replies.reply_to_invitation(invitation, reply=Reply.ACCEPTED)
    client = client_for(coordinator)

    first = client.post(url(workshop, "check-in/"), {"invitation": colleague.pk}, format="json")
    again = client.post(url(workshop, "check-in/"), {"invitation": guest.pk}, format="json")
    undone = client.post(url(workshop, "check-in/"), {"invitation": guest.pk}, format="json")
    explicit = client.post(
        url(workshop, "check-in/"), {"invitation": colleague.pk, "present": True}, format="json"
    )

    assert first.status_code == 200, first.data
    assert first.data["checked_in"] is True
    assert again.data["checked_in"] is True
    assert undone.data["checked_in"] is False
    assert explicit.data["checked_in"] is True
    attendance = client.get(url(workshop, "attendance/")).data
    assert attendance["counts"]["checked_in"] == 1
    assert attendance["counts"]["accepted"] == 2
    groups = attendance["organisations"]
    assert [g["organisation"] for g in groups] == [{"id": own_org.pk, "name": own_org.name}, None]
    assert groups[0]["checked_in"] == 1
    assert groups[0]["expected"] == 1
    assert [a["invitation"]["name"] for a in groups[0]["attendees"]] == ["Petra Plan"]
    assert groups[1]["checked_in"] == 0


def test_check_in_of_another_workshops_invitation_is_404(coordinator, workshop, invite):
    elsewhere, _token = invite(WorkshopFactory(), "gast@example.org")

    response = client_for(coordinator).post(
        url(workshop, "check-in/"), {"invitation": elsewhere.pk}, format="json"
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_check_in_of_a_draft_is_refused(coordinator):
    draft = WorkshopFactory(status="draft")
    invitation = Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop), event_id=draft.pk, email="a@b.de"
    )

    response = client_for(coordinator).post(
        url(draft, "check-in/"), {"invitation": invitation.pk}, format="json"
    )

    assert response.status_code == 400


# --- query counts -------------------------------------------------------------------------------


def _assert_list_queries_constant(client, list_url, add_two, django_assert_num_queries):
    client.get(list_url)  # warm up caches that are filled once per process
    with CaptureQueriesContext(connection) as baseline:
        before = client.get(list_url)
    add_two()
    with django_assert_num_queries(len(baseline.captured_queries)):
        after = client.get(list_url)
    assert after.status_code == 200
    assert len(after.data["results"]) == len(before.data["results"]) + 2


def _workshop_with_agenda():
    workshop = WorkshopFactory()
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9), title="Begrüßung")
    invitations.invite_person(workshop, email=f"x{workshop.pk}@example.org")
    return workshop


def test_workshop_list_queries_do_not_grow(coordinator, django_assert_num_queries):
    _workshop_with_agenda()
    _assert_list_queries_constant(
        client_for(coordinator),
        url(),
        lambda: [_workshop_with_agenda() for _ in range(2)],
        django_assert_num_queries,
    )


def test_workshop_list_queries_do_not_grow_for_invitees(member, django_assert_num_queries):
    invite_user(_workshop_with_agenda(), member)
    _assert_list_queries_constant(
        client_for(member),
        url(),
        lambda: [invite_user(_workshop_with_agenda(), member) for _ in range(2)],
        django_assert_num_queries,
    )


def test_invitation_list_queries_do_not_grow(
    coordinator, workshop, invite, own_org, django_assert_num_queries
):
    principal, _token = invite(workshop, "leitung@siegburg.example", organisation=own_org)

    def add_two():
        invite(workshop, "a@example.org", organisation=own_org, deputy_for=principal)
        invite(workshop, "b@example.org", organisation=OrganisationFactory())

    _assert_list_queries_constant(
        client_for(coordinator), url(workshop, "invitations/"), add_two, django_assert_num_queries
    )


# --- schema -------------------------------------------------------------------------------------


def test_schema_describes_workshops_and_the_token_reply_without_warnings(tmp_path):
    path = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )

    schema = path.read_text()
    for endpoint in [
        "/api/v1/workshops/",
        "/api/v1/workshops/{id}/",
        "/api/v1/workshops/{id}/publish/",
        "/api/v1/workshops/{id}/done/",
        "/api/v1/workshops/{id}/cancel/",
        "/api/v1/workshops/{id}/send-invitations/",
        "/api/v1/workshops/{id}/resend-failed/",
        "/api/v1/workshops/{id}/delivery/",
        "/api/v1/workshops/{id}/audience/",
        "/api/v1/workshops/{id}/audience/{entry_id}/",
        "/api/v1/workshops/{id}/invitations/",
        "/api/v1/workshops/{id}/attendance/",
        "/api/v1/workshops/{id}/check-in/",
        "/api/v1/workshops/{id}/agenda/",
        "/api/v1/workshops/{id}/agenda/{item_id}/",
        "/api/v1/workshops/{id}/documentation/",
        "/api/v1/invitation-reply/",
    ]:
        assert f'"{endpoint}"' in schema
    assert '"invitationToken"' in schema
