"""A coordinator's journey in a real browser: create a workshop, publish it, choose the
audience, send, watch the progress reach "sent"; and WCAG 2.1 AA on the workshop pages."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from participation.events import invitations
from participation.models import Invitation
from tests.browser import wait_for_htmx
from tests.factories import OrganisationFactory, WorkshopFactory
from tests.test_accessibility_browser import assert_accessible, sign_in
from workshops.models import AgendaItem, Document, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_creates_publishes_and_invites(page, live_server, coordinator, mailoutbox):
    sign_in(page, live_server, coordinator)
    day = timezone.localdate() + datetime.timedelta(days=40)
    page.goto(live_server.url + "/workshops/")
    page.get_by_role("link", name="Neuer Workshop").click()
    page.get_by_label("Titel").fill("Fachworkshop Kinderarmut und Teilhabe")
    page.get_by_label("Beginn").fill(f"{day:%Y-%m-%d}T09:30")
    page.get_by_label("Ende").fill(f"{day:%Y-%m-%d}T13:30")
    page.get_by_label("Veranstaltungsort").fill("Kreishaus Siegburg")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Workshop „Fachworkshop Kinderarmut und Teilhabe“ gespeichert.").wait_for()

    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_text("Sie können jetzt die Einladungen versenden.").wait_for()
    page.get_by_role("link", name="Verteiler und Versand").click()

    page.get_by_label("Externe E-Mail-Adressen").fill(
        "gast@extern.example\nErika Muster <erika@example.org>\nkein-at.example"
    )
    page.get_by_role("button", name="Hinzufügen – Externe Adressen").click()
    page.get_by_text("„kein-at.example“ ist keine gültige E-Mail-Adresse.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Externe E-Mail-Adressen").fill(
        "gast@extern.example\nErika Muster <erika@example.org>"
    )
    page.get_by_role("button", name="Hinzufügen – Externe Adressen").click()
    page.get_by_text("2 Einträge zum Verteiler hinzugefügt.").wait_for()
    assert page.get_by_role("cell", name="Erika Muster", exact=True).is_visible()

    page.get_by_role("button", name="2 Einladungen senden").click()
    page.get_by_role("heading", name="Einladungen", level=1).wait_for()
    progress = page.locator("#delivery-progress")
    progress.get_by_text("Fertig: 2 von 2 versendet, 0 fehlgeschlagen.").wait_for()
    assert page.locator("#delivery-bar").get_attribute("value") == "2"
    assert page.locator('[data-delivery="sent"]').count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["erika@example.org", "gast@extern.example"]
    assert_accessible(page)


def test_the_progress_bar_moves_on_while_the_page_is_open(page, live_server, coordinator):
    workshop = WorkshopFactory()
    invitation = Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email="gast@extern.example",
    )
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/invitations/")
    page.get_by_text("0 von 1 versendet").wait_for()
    assert page.locator('[data-delivery="queued"]').count() == 1

    invitations.deliver_message(invitation.pk, "invitation", "invitation")
    page.get_by_text("Fertig: 1 von 1 versendet, 0 fehlgeschlagen.").wait_for(timeout=5000)
    # Once nothing is queued, the list reloads itself.
    page.locator('[data-delivery="sent"]').wait_for(timeout=5000)


def test_workshop_pages_meet_wcag_aa(page, live_server, coordinator, member):
    workshop = WorkshopFactory(
        description="## Ziele\n\n* Lage verstehen", results="Ergebnis", minutes="Protokoll"
    )
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9, 30), title="Begrüßung")
    document = Document(workshop=workshop, title="Einladung", content_type="application/pdf")
    document.file.save("einladung", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    awo = OrganisationFactory(name="AWO Kreisverband", kind="welfare_association")
    Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email="gast@awo.example",
        name="Gast Beispiel",
        organisation=awo,
        reply="accepted",
    )
    sign_in(page, live_server, coordinator)
    base = f"{live_server.url}/workshops/"
    for path in (
        "",
        "new/",
        f"{workshop.pk}/",
        f"{workshop.pk}/edit/",
        f"{workshop.pk}/agenda/",
        f"{workshop.pk}/documents/",
        f"{workshop.pk}/audience/",
        f"{workshop.pk}/invitations/",
        f"{workshop.pk}/attendance/",
        f"{workshop.pk}/attendance/sheet/",
        f"{workshop.pk}/documentation/",
        f"{workshop.pk}/documentation/edit/",
        f"{workshop.pk}/cancel/",
    ):
        assert_accessible(page, base + path)

    # Check-in in place keeps the keyboard focus on the button.
    page.goto(f"{base}{workshop.pk}/attendance/")
    page.get_by_role("button", name="Einchecken – Gast Beispiel").click()
    page.get_by_text("1 anwesend;").wait_for()
    assert page.evaluate("document.activeElement.id").startswith("check-in-")
    assert_accessible(page)

    # Editing an agenda item in place.
    page.goto(f"{base}{workshop.pk}/agenda/")
    page.get_by_role("link", name="Bearbeiten Begrüßung").click()
    expect(page.locator("tr.editing")).to_be_visible()
    wait_for_htmx(page)
    page.locator("input[name$='-title']").fill("Ankommen")
    page.get_by_role("button", name="Speichern Begrüßung").click()
    page.get_by_role("cell", name="Ankommen").wait_for()
    assert_accessible(page)


def test_an_invitees_workshop_pages_meet_wcag_aa(page, live_server, member):
    workshop = WorkshopFactory(
        title="Fachworkshop Teilhabe", online_url="https://konferenz.example/"
    )
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9, 30), title="Begrüßung")
    Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=member.person,
        email=member.email,
        reply="accepted",
        waitlisted_at=timezone.now(),
    )
    sign_in(page, live_server, member)
    assert_accessible(page, f"{live_server.url}/workshops/")
    expect(page.get_by_role("cell", name="Zugesagt")).to_be_visible()
    assert_accessible(page, f"{live_server.url}/workshops/{workshop.pk}/")
    expect(page.get_by_role("region", name="Ihre Einladung")).to_contain_text("auf der Warteliste")
    expect(page.get_by_role("table", name="Programm").get_by_role("row")).to_have_count(2)
