"""The documentation page: coordinators write and share it; invitees read it once shared,
signed in or through their personal link's session; everybody else gets 404."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from participation.events.links import SESSION_KEY
from participation.models import Invitation, Person
from tests.factories import WorkshopFactory
from workshops.models import Document, Workshop

pytestmark = pytest.mark.django_db


def invite(workshop, *, person=None, email=""):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=email or person.email,
    )


def url(name, workshop, *args):
    return reverse(f"workshops:{name}", args=[workshop.pk, *args])


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(
        title="Fachworkshop Kinderarmut und Teilhabe",
        status="done",
        results="## Verabredungen\n\n* Sozialraum **Siegburg-Nord** zuerst",
        minutes="Protokoll: <script>alert(1)</script>Begrüßung durch den Dezernenten.",
    )
    document = Document(workshop=workshop, title="Fotoprotokoll", for_documentation=True)
    document.file.save("foto", ContentFile(b"%PDF-1.7"), save=False)
    document.content_type = "application/pdf"
    document.save()
    Document.objects.create(workshop=workshop, title="Einladungsflyer", file=document.file.name)
    return workshop


def share(client, workshop):
    return client.post(url("documentation_share", workshop), {"shared": "1"}, follow=True)


def set_session_invitations(client, ids):
    session = client.session
    session[SESSION_KEY] = ids
    session.save()


def test_coordinators_write_and_share_the_documentation(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.post(
        url("documentation_edit", workshop),
        {"results": "## Ergebnisse\n\n1. Daten bündeln", "minutes": "Kurzprotokoll"},
        follow=True,
    )
    page = response.content.decode()
    assert "Die Dokumentation ist gespeichert." in page
    assert "<h4>Ergebnisse</h4>" in page and "<li>Daten bündeln</li>" in page
    assert "Noch nicht geteilt" in page

    page = share(client, workshop).content.decode()
    assert "Die Eingeladenen können die Dokumentation jetzt lesen." in page
    workshop.refresh_from_db()
    assert workshop.documentation_published
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(workshop)]
    assert {"documentation_published": ["False", "True"]} in changes

    client.post(url("documentation_share", workshop), {"shared": "0"})
    workshop.refresh_from_db()
    assert not workshop.documentation_published


def test_the_page_shows_sanitised_markdown_and_documentation_documents_only(
    client, coordinator, workshop
):
    client.force_login(coordinator)
    page = client.get(url("documentation", workshop)).content.decode()
    assert "<strong>Siegburg-Nord</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Fotoprotokoll" in page
    assert "Einladungsflyer" not in page


def test_invitees_signed_in_read_it_once_shared(client, coordinator, member, workshop):
    invite(workshop, person=Person.objects.get(user=member))
    client.force_login(member)
    assert client.get(url("documentation", workshop)).status_code == 404
    Workshop.objects.filter(pk=workshop.pk).update(documentation_published=True)
    page = client.get(url("documentation", workshop)).content.decode()
    assert "Dokumentation: Fachworkshop Kinderarmut und Teilhabe" in page
    assert "Die Dokumentation bearbeiten" not in page
    document = workshop.documents.get(title="Fotoprotokoll")
    assert client.get(url("document_download", workshop, document.pk)).status_code == 200


def test_invitees_without_an_account_read_it_through_their_link_session(client, workshop):
    invitation = invite(workshop, email="gast@extern.example")
    Workshop.objects.filter(pk=workshop.pk).update(documentation_published=True)
    assert client.get(url("documentation", workshop)).status_code == 404
    set_session_invitations(client, [invitation.pk])
    page = client.get(url("documentation", workshop)).content.decode()
    assert "Fotoprotokoll" in page
    document = workshop.documents.get(title="Fotoprotokoll")
    assert client.get(url("document_download", workshop, document.pk)).status_code == 200


def test_another_workshops_invitation_in_the_session_opens_nothing(client, workshop):
    other = invite(WorkshopFactory(), email="gast@extern.example")
    Workshop.objects.filter(pk=workshop.pk).update(documentation_published=True)
    set_session_invitations(client, [other.pk])
    assert client.get(url("documentation", workshop)).status_code == 404


@pytest.mark.parametrize("user_fixture", ["member", "outsider", "participant"])
def test_everybody_else_gets_404_even_when_shared(request, client, workshop, user_fixture):
    Workshop.objects.filter(pk=workshop.pk).update(documentation_published=True)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(url("documentation", workshop)).status_code == 404
    for document in workshop.documents.all():
        assert client.get(url("document_download", workshop, document.pk)).status_code == 404


def test_anonymous_visitors_get_404(client, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(documentation_published=True)
    assert client.get(url("documentation", workshop)).status_code == 404
