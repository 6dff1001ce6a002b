"""The workshop pages: who sees which workshop, creating and editing (with the update mail
to invitees), status changes with their audit entries, the agenda in place, documents."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from participation.models import Invitation, Person
from tests.factories import WorkshopFactory
from workshops import services
from workshops.models import AgendaItem, Document, Workshop

pytestmark = pytest.mark.django_db


def invite(workshop, *, person=None, email="", **fields):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=email or person.email,
        name=fields.pop("name", person.full_name if person else ""),
        **fields,
    )


def person_of(user):
    return Person.objects.get(user=user)


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut und Teilhabe")


@pytest.fixture
def invited_member(workshop, member):
    invite(workshop, person=person_of(member))
    return member


def url(name, workshop, *args):
    return reverse(f"workshops:{name}", args=[workshop.pk, *args])


def coordinator_urls(workshop):
    return [
        reverse("workshops:workshop_create"),
        url("workshop_edit", workshop),
        url("workshop_cancel", workshop),
        url("agenda", workshop),
        url("documents", workshop),
        url("audience", workshop),
        url("invitations", workshop),
        url("invitation_progress", workshop),
        url("attendance", workshop),
        url("sign_in_sheet", workshop),
        url("documentation_edit", workshop),
        url("export_participants", workshop, "csv"),
        url("export_participants", workshop, "xlsx"),
    ]


def coordinator_posts(workshop):
    return [
        url("workshop_publish", workshop),
        url("workshop_done", workshop),
        url("workshop_cancel", workshop),
        url("agenda", workshop),
        url("documents", workshop),
        url("audience_add", workshop, "email"),
        url("audience_send", workshop),
        url("resend_all", workshop),
        url("documentation_share", workshop),
    ]


# --- who sees what ---------------------------------------------------------------------------


def test_coordinators_see_every_workshop_invitees_only_theirs(
    client, coordinator, invited_member, outsider, workshop
):
    draft = WorkshopFactory(title="Entwurf Wohnen", status="draft")
    other = WorkshopFactory(title="Workshop Pflege")
    client.force_login(coordinator)
    page = client.get(reverse("workshops:workshop_list")).content.decode()
    assert all(w.title in page for w in (workshop, draft, other))
    assert "Neuer Workshop" in page

    client.force_login(invited_member)
    page = client.get(reverse("workshops:workshop_list")).content.decode()
    assert workshop.title in page
    assert draft.title not in page and other.title not in page
    assert "Noch keine Antwort" in page
    assert "Neuer Workshop" not in page

    client.force_login(outsider)
    page = client.get(reverse("workshops:workshop_list")).content.decode()
    assert workshop.title not in page
    assert "Sie sind noch zu keinem Workshop eingeladen." in page


def test_invitees_do_not_see_a_draft_they_are_invited_to(client, member):
    draft = WorkshopFactory(status="draft")
    invite(draft, person=person_of(member))
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_detail_page_for_an_invitee_shows_the_workshop_and_their_reply(
    client, invited_member, workshop
):
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9, 30), title="Begrüßung")
    workshop.description = "Wir sprechen über **Teilhabe**."
    workshop.save()
    client.force_login(invited_member)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Kreishaus Siegburg, Raum 1.04" in page
    assert "Begrüßung" in page
    assert "<strong>Teilhabe</strong>" in page
    assert "Ihre Antwort" in page
    assert "Bearbeiten" not in page
    assert url("audience", workshop) not in page


@pytest.mark.parametrize("user_fixture", ["member", "outsider", "participant"])
def test_coordinator_pages_are_404_for_everybody_else(
    request, client, workshop, invited_member, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    for address in coordinator_urls(workshop):
        assert client.get(address).status_code == 404, address
    for address in coordinator_posts(workshop):
        assert client.post(address).status_code == 404, address
    workshop.refresh_from_db()
    assert workshop.status == "published"


def test_an_uninvited_user_gets_404_for_the_workshop(client, outsider, participant, workshop):
    for user in (outsider, participant):
        client.force_login(user)
        assert client.get(workshop.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, workshop):
    for address in [reverse("workshops:workshop_list"), workshop.get_absolute_url()] + (
        coordinator_urls(workshop)
    ):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith("/accounts/login/")


# Session, user, 2FA check, count, the page of workshops with their counts.
LIST_QUERIES = 5


@pytest.mark.parametrize("workshops", [1, 3])
def test_list_queries_do_not_grow_with_workshops(
    client, coordinator, django_assert_num_queries, workshops
):
    for created in WorkshopFactory.create_batch(workshops):
        invite(created, email=f"gast{created.pk}@example.org", reply="accepted")
    client.force_login(coordinator)
    client.get(reverse("workshops:workshop_list"))  # warm caches (content types)
    with django_assert_num_queries(LIST_QUERIES):
        page = client.get(reverse("workshops:workshop_list")).content.decode()
    assert page.count('<tr class="kern-table__row">') == workshops


# --- creating, editing, status -------------------------------------------------------------


def test_a_coordinator_creates_a_workshop_in_berlin_time(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:workshop_create"),
        {
            "title": "Fachworkshop Kinderarmut und Teilhabe",
            "topic": "Kinderarmut",
            "kind": "thematic",
            "description": "## Ziele\n* Lage verstehen",
            "start": "2030-11-20T09:30",
            "end": "2030-11-20T13:30",
            "venue_name": "Kreishaus Siegburg",
            "venue_address": "Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
            "online_url": "",
            "capacity": "40",
            "registration_deadline": "2030-11-13T12:00",
        },
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response.url == workshop.get_absolute_url()
    assert workshop.status == "draft"
    assert workshop.created_by == coordinator
    assert workshop.start == datetime.datetime(2030, 11, 20, 8, 30, tzinfo=datetime.UTC)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Workshop „Fachworkshop Kinderarmut und Teilhabe“ gespeichert." in page
    assert "Entwurf" in page
    assert "20. November 2030, 09:30 – 13:30" in page
    assert LogEntry.objects.get_for_object(workshop).filter(action=LogEntry.Action.CREATE)


def test_the_form_names_what_is_wrong(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:workshop_create"),
        {"title": "", "kind": "thematic", "start": "2030-11-20T09:30", "end": "2030-11-20T08:00"},
    )
    page = response.content.decode()
    assert "Bitte korrigieren Sie Folgendes" in page
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert not Workshop.objects.exists()


def test_changing_the_time_of_a_published_workshop_tells_the_invitees(
    client, coordinator, workshop, mailoutbox, django_capture_on_commit_callbacks
):
    invite(workshop, email="kommt@example.org", reply="accepted")
    invite(workshop, email="nicht@example.org", reply="declined")
    client.force_login(coordinator)
    data = {
        "title": workshop.title,
        "kind": "thematic",
        "start": timezone.localtime(workshop.start + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "end": timezone.localtime(workshop.end + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "venue_name": workshop.venue_name,
        "venue_address": workshop.venue_address,
        "registration_deadline": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("workshop_edit", workshop), data).status_code == 302
    assert [m.to for m in mailoutbox] == [["kommt@example.org"]]
    assert mailoutbox[0].subject == f"Geändert: {workshop.title}"
    workshop.refresh_from_db()
    assert workshop.sequence == 1

    mailoutbox.clear()
    data["title"] = "Neuer Titel"  # not news for the calendar
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("workshop_edit", workshop), data)
    assert mailoutbox == []


def test_raising_the_capacity_moves_people_up_from_the_waitlist(
    coordinator, workshop, django_capture_on_commit_callbacks
):
    workshop.capacity = 1
    workshop.save()
    invite(workshop, email="erste@example.org", reply="accepted")
    waiting = invite(
        workshop, email="zweite@example.org", reply="accepted", waitlisted_at=timezone.now()
    )
    workshop.capacity = 2
    services.save_workshop(workshop, actor=coordinator)
    waiting.refresh_from_db()
    assert waiting.waitlisted_at is None


def test_publish_done_and_cancel_are_audited(client, coordinator, mailoutbox):
    start = timezone.now() + datetime.timedelta(days=3)
    draft = WorkshopFactory(status="draft", start=start)
    client.force_login(coordinator)
    page = client.post(url("workshop_publish", draft), follow=True).content.decode()
    assert "ist veröffentlicht. Sie können jetzt die Einladungen versenden." in page
    draft.refresh_from_db()
    assert draft.status == "published"

    page = client.post(url("workshop_done", draft), follow=True).content.decode()
    assert "Der Workshop hat noch nicht begonnen." in page

    invite(draft, email="gast@example.org")
    page = client.get(url("workshop_cancel", draft)).content.decode()
    assert "1 eingeladene Person, die nicht abgesagt hat, wird per E-Mail informiert" in page
    page = client.post(url("workshop_cancel", draft), follow=True).content.decode()
    assert "Der Workshop ist abgesagt; 1 eingeladene Person wird per E-Mail informiert." in page
    draft.refresh_from_db()
    assert draft.status == "cancelled"
    statuses = [
        entry.changes_dict.get("status")
        for entry in LogEntry.objects.get_for_object(draft).order_by("timestamp")
        if "status" in entry.changes_dict and entry.action == LogEntry.Action.UPDATE
    ]
    assert statuses == [["draft", "published"], ["published", "cancelled"]]
    assert all(
        entry.actor == coordinator
        for entry in LogEntry.objects.get_for_object(draft).exclude(action=0)
    )


def test_publishing_needs_a_place(client, coordinator):
    draft = WorkshopFactory(status="draft", venue_name="", venue_address="", online_url="")
    client.force_login(coordinator)
    page = client.post(url("workshop_publish", draft), follow=True).content.decode()
    assert "Bitte geben Sie einen Veranstaltungsort oder einen Online-Link an" in page
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_done_workshop_cannot_be_edited(client, coordinator):
    done = WorkshopFactory(status="done")
    client.force_login(coordinator)
    response = client.post(
        url("workshop_edit", done),
        {
            "title": "x",
            "kind": "thematic",
            "start": "2030-01-01T09:00",
            "end": "2030-01-01T10:00",
            "venue_name": "y",
        },
    )
    assert "Nur Workshops im Entwurf oder veröffentlichte Workshops" in response.content.decode()
    done.refresh_from_db()
    assert done.title != "x"


# --- agenda ----------------------------------------------------------------------------------


def test_agenda_items_are_added_edited_in_place_and_deleted(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.post(
        url("agenda", workshop),
        {"starts_at": "09:30", "title": "Begrüßung", "presenter": "Dr. Thielmann"},
        follow=True,
    )
    assert "Programmpunkt „09:30 Begrüßung“ hinzugefügt." in response.content.decode()
    item = AgendaItem.objects.get()

    row_form = client.get(url("agenda_item", workshop, item.pk), headers={"HX-Request": "true"})
    assert row_form.content.decode().lstrip().startswith("<tr")
    assert f'name="item-{item.pk}-title"' in row_form.content.decode()

    saved_row = client.post(
        url("agenda_item", workshop, item.pk),
        {f"item-{item.pk}-starts_at": "09:45", f"item-{item.pk}-title": "Ankommen"},
        headers={"HX-Request": "true"},
    )
    assert "Ankommen" in saved_row.content.decode()
    item.refresh_from_db()
    assert item.starts_at == datetime.time(9, 45) and item.presenter == ""

    deleted = client.post(
        url("agenda_item_delete", workshop, item.pk), headers={"HX-Request": "true"}
    )
    assert "Programmpunkt „09:45 Ankommen“ gelöscht." in deleted.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_invalid_agenda_item_keeps_what_was_typed(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.post(url("agenda", workshop), {"starts_at": "25:99", "title": "Pause"})
    assert response.status_code == 400
    assert 'value="Pause"' in response.content.decode()


# --- documents -------------------------------------------------------------------------------


def upload(client, workshop, name, content, **fields):
    data = {"title": fields.get("title", ""), "file": SimpleUploadedFile(name, content)}
    if fields.get("for_documentation"):
        data["for_documentation"] = "on"
    return client.post(url("documents", workshop), data)


def test_document_keeps_the_name_with_quotes_as_given(client, coordinator, workshop):
    client.force_login(coordinator)
    # A browser sends a file name's quotes as %22 (HTML's multipart/form-data encoding).
    upload(client, workshop, "Bericht %22Teilhabe%22 ü.pdf", b"%PDF-1.7 x")

    document = Document.objects.get()
    assert document.original_name == 'Bericht "Teilhabe" ü.pdf'
    assert '"' not in document.file.name and "%" not in document.file.name
    page = client.get(url("documents", workshop)).content.decode()
    assert "Bericht &quot;Teilhabe&quot; ü.pdf" in page
    response = client.get(url("document_download", workshop, document.pk))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Bericht%20%22Teilhabe%22%20%C3%BC.pdf"
    )


def test_documents_are_checked_stored_privately_and_served_to_invitees_only(
    client, coordinator, invited_member, outsider, workshop
):
    client.force_login(coordinator)
    refused = upload(client, workshop, "Einladung.pdf", b"<html></html>")
    assert refused.status_code == 400
    assert "Der Inhalt dieser Datei passt nicht zu ihrem Typ (PDF)." in refused.content.decode()
    assert not Document.objects.exists()

    assert (
        upload(client, workshop, "Einladung.pdf", b"%PDF-1.7 x", title="Einladung").status_code
        == 302
    )
    document = Document.objects.get()
    assert document.file.name.startswith(f"workshop-documents/{workshop.pk}/")
    assert "Einladung" not in document.file.name
    assert (document.original_name, document.content_type) == ("Einladung.pdf", "application/pdf")

    download = url("document_download", workshop, document.pk)
    client.force_login(invited_member)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 x"
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Einladung.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    client.force_login(outsider)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 404


def test_documentation_documents_wait_until_the_documentation_is_shared(
    client, coordinator, invited_member, workshop
):
    client.force_login(coordinator)
    upload(client, workshop, "Protokoll.pdf", b"%PDF-1.7", for_documentation=True)
    document = Document.objects.get()
    download = url("document_download", workshop, document.pk)
    client.force_login(invited_member)
    assert client.get(download).status_code == 404
    services.share_documentation(workshop, actor=coordinator, shared=True)
    assert client.get(download).status_code == 200


def test_an_oversized_upload_is_refused_unread(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.post(
        url("documents", workshop),
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(services.DOCUMENT_MAX_BYTES * 2),
    )
    assert response.status_code == 400
    assert "Die Datei ist größer als 20 MB." in response.content.decode()


def test_deleting_a_document_removes_its_file(
    client, coordinator, workshop, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload(client, workshop, "Plakat.png", b"\x89PNG\r\n\x1a\nrest")
    document = Document.objects.get()
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("document_delete", workshop, document.pk))
    assert not Document.objects.exists()
    assert not storage.exists(name)
