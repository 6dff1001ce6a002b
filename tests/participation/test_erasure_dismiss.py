"""Declining an erasure request (Art. 12(4) GDPR): a coordinator gives the reason, the
requester is told it and their right to complain to the supervisory authority, the queue
shows it declined, and the person may ask again. Empty reasons and anyone but a
coordinator change nothing."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.test import APIClient

from participation import erasure_requests
from participation.events import invitations as invitation_pipeline
from participation.models import ErasureRequest, OutboundMail
from tests.factories import MembershipFactory, PersonFactory, UserFactory, WorkshopFactory

EMAIL = "h.lindenblatt@troisdorf.example"
PASSWORD = "correct horse battery"
REASON = "Ihr Sitz im Jugendhilfeausschuss muss zuerst übergeben werden."


@pytest.fixture
def asked(own_org):
    user = UserFactory(email=EMAIL, password=PASSWORD)
    person = PersonFactory(first_name="Hedda", last_name="Lindenblatt", email=EMAIL, user=user)
    MembershipFactory(person=person, organisation=own_org)
    row, _created = erasure_requests.request_erasure(person=person)
    return row


@pytest.mark.django_db
def test_coordinator_declines_a_request_on_its_page(
    client, asked, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(reverse("participation:erasure_request_erase", args=[asked.pk]))
    dismiss = reverse("participation:erasure_request_dismiss", args=[asked.pk])
    assert f'action="{dismiss}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(dismiss, {"reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response.url == reverse("participation:erasure_request_list")
    asked.refresh_from_db()
    assert not asked.is_open and asked.is_dismissed and asked.done_at is None
    assert (asked.reason, asked.dismissed_by) == (REASON, coordinator)
    assert asked.person.erased_at is None
    queue = client.get(reverse("participation:erasure_request_list")).content.decode()
    row = queue.split(f'id="erasure-request-{asked.pk}"')[1].split("</tr>")[0]
    assert REASON in row and dismiss not in row
    assert "erasure_request_erase" not in row
    waiting = client.get(reverse("participation:erasure_request_list") + "?state=open")
    assert f'id="erasure-request-{asked.pk}"' not in waiting.content.decode()
    # The requester is told, in their language, with the reason and the authority.
    (sent,) = mailoutbox
    assert sent.to == [EMAIL]
    assert REASON in sent.body and REASON in sent.alternatives[0][0]
    assert "Landesbeauftragte für Datenschutz und Informationsfreiheit" in sent.body
    assert "ldi.nrw.de" in sent.body
    entry = LogEntry.objects.get_for_object(asked).get()
    assert entry.actor == coordinator and entry.changes["reason"] == ["", REASON]

    # Asking again afterwards is a new, open request.
    client.force_login(asked.person.user)
    again = client.post(reverse("participation:erasure_request"), {"password": PASSWORD})
    assert again.status_code == 302
    new = ErasureRequest.objects.open().get(person=asked.person)
    assert new.pk != asked.pk


@pytest.mark.django_db
def test_an_empty_reason_is_refused_and_nothing_changes(client, asked, coordinator):
    client.force_login(coordinator)
    url = reverse("participation:erasure_request_dismiss", args=[asked.pk])

    response = client.post(url, {"reason": "   "})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    asked.refresh_from_db()
    assert asked.is_open and not asked.reason
    assert not OutboundMail.objects.exists()
    api = APIClient()
    api.force_login(coordinator)
    refused = api.post(f"/api/v1/erasure-requests/{asked.pk}/dismiss/", {"reason": ""})
    assert refused.status_code == 400 and "reason" in refused.data
    asked.refresh_from_db()
    assert asked.is_open and not OutboundMail.objects.exists()


@pytest.mark.django_db
def test_only_coordinators_decline(client, asked, member, outsider):
    url = reverse("participation:erasure_request_dismiss", args=[asked.pk])
    api = APIClient()
    for user in (asked.person.user, member, outsider):
        client.force_login(user)
        assert client.post(url, {"reason": REASON}).status_code == 404
        api.force_login(user)
        path = f"/api/v1/erasure-requests/{asked.pk}/dismiss/"
        assert api.post(path, {"reason": REASON}).status_code == 404
    asked.refresh_from_db()
    assert asked.is_open and not OutboundMail.objects.exists()


@pytest.mark.django_db
def test_declining_over_the_api_tells_the_invitee(coordinator, own_org, mailoutbox):
    """An invitee outside the registry asked through their link: the mail goes to the
    invitation's address; the request shows as declined; asking again opens a new one."""
    invitation = invitation_pipeline.invite_person(
        WorkshopFactory(),
        email="gast@example.org",
        name="Gustav Gast",
        organisation=own_org,
        actor=coordinator,
    )
    row, _created = erasure_requests.request_erasure(invitation=invitation)
    api = APIClient()
    api.force_login(coordinator)

    declined = api.post(f"/api/v1/erasure-requests/{row.pk}/dismiss/", {"reason": REASON})

    assert declined.status_code == 200
    assert (declined.data["state"], declined.data["reason"]) == ("dismissed", REASON)
    mail = OutboundMail.objects.get()
    assert mail.to == "gast@example.org" and REASON in mail.body_text
    again = api.post(f"/api/v1/erasure-requests/{row.pk}/dismiss/", {"reason": REASON})
    assert again.status_code == 400
    assert api.post(f"/api/v1/erasure-requests/{row.pk}/erase/").status_code == 400
    new, created = erasure_requests.request_erasure(invitation=invitation)
    assert created and new.is_open
    assert "dismiss" in api.get("/api/schema/").content.decode()
