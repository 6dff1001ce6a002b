"""A coordinator writes the minutes of an item, records the attendance, circulates the
minutes and approves them, in a real browser; a member proposes an item. axe finds no
WCAG 2.1 AA violation on the agenda, minutes, attendance, print and form pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings import minutes
from meetings.models import AgendaItem, MeetingRecord, MinutesStatus
from participation.models import OutboundMail
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE = "Begrüßung\nBericht der Projektgruppe\nOffene Aufgaben\nVerschiedenes"


def click(page, role, name, *, shows=None, url=None):
    """Click, then wait for the page that answers: until it shows `shows`, or its address
    matches `url`. The click does not wait for the navigation it starts, and the next line
    reads the page or the database."""
    assert shows or url, "say what proves the new page is there"
    page.get_by_role(role, name=name).click()
    if shows:
        expect(page.locator("main")).to_contain_text(shows)
    if url:
        page.wait_for_url(url)


def test_coordinator_writes_circulates_and_approves_the_minutes(
    page, live_server, coordinator, body, member
):
    series = make_series(
        body,
        actor=coordinator,
        rule="FREQ=MONTHLY;BYDAY=2TU",
        first_date=timezone.localdate() - datetime.timedelta(days=62),
        agenda_template=TEMPLATE,
    )
    past = series.meetings.filter(start__lt=timezone.now()).order_by("start").last()
    upcoming = series.meetings.filter(start__gt=timezone.now() + datetime.timedelta(days=10))
    upcoming = upcoming.order_by("start").first()
    member.person.email = "mitglied@example.org"
    member.person.save()
    base = live_server.url

    # A member proposes an item for a coming meeting.
    sign_in(page, live_server, member)
    assert_accessible(page, base + upcoming.get_absolute_url())
    click(page, "link", "Tagesordnungspunkt vorschlagen", url="**/agenda/propose/")
    assert_accessible(page)
    page.fill("#id_title", "Fachtag vorbereiten")
    click(page, "button", "Speichern", shows="Ihr Vorschlag „Fachtag vorbereiten“ ist übermittelt")
    assert AgendaItem.objects.get(title="Fachtag vorbereiten").status == "proposed"
    page.context.clear_cookies()

    sign_in(page, live_server, coordinator)
    page.goto(base + upcoming.get_absolute_url())
    assert "Vorgeschlagene Punkte" in page.content()
    assert_accessible(page)
    click(
        page,
        "button",
        "„Fachtag vorbereiten“ annehmen",
        shows="„Fachtag vorbereiten“ steht auf der Tagesordnung.",
    )

    # The minutes of the past meeting.
    page.goto(base + past.get_absolute_url())
    assert_accessible(page)
    report = minutes.agenda(past).get(title="Bericht der Projektgruppe")
    assert_accessible(page, base + reverse("meetings:agenda_edit", args=[report.pk]))
    assert_accessible(page, base + reverse("meetings:agenda_document", args=[report.pk]))
    page.set_input_files(
        "#id_file",
        files=[{"name": "bericht.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}],
    )
    click(page, "button", "Hochladen", shows="passt nicht zu ihrem Typ")
    assert_accessible(page)
    page.goto(base + past.get_absolute_url())
    page.get_by_role("link", name="Protokoll", exact=True).click()
    page.wait_for_url(base + reverse("meetings:minutes", args=[past.pk]))
    assert_accessible(page)
    click(
        page,
        "link",
        "Protokoll zu „Bericht der Projektgruppe“ schreiben",
        url=base + reverse("meetings:minutes_edit", args=[report.pk]),
    )
    assert_accessible(page)
    page.fill("#id_minutes", "Die Projektgruppe **berichtet** über das Monitoring.")
    page.select_option("#id_outcome", "decision")
    click(
        page,
        "button",
        "Protokoll speichern",
        shows="Das Protokoll zu „Bericht der Projektgruppe“ ist gespeichert.",
    )
    assert page.locator("strong", has_text="berichtet").count() == 1

    click(page, "link", "Anwesenheit erfassen", url="**/attendance/")
    assert_accessible(page)
    page.select_option(f"#status-{member.person.pk}", "deputy")
    click(page, "button", "Anwesenheit speichern", shows="Nennen Sie die Vertretung")
    assert_accessible(page)
    page.select_option(f"#status-{member.person.pk}", "present")
    click(page, "button", "Anwesenheit speichern", shows="Die Anwesenheit ist gespeichert.")

    click(
        page,
        "button",
        "Zur Korrektur versenden",
        shows="Das Protokoll ist zur Korrektur an die Anwesenden versandt.",
    )
    assert OutboundMail.objects.filter(to="mitglied@example.org").count() == 1
    assert_accessible(page)
    click(
        page,
        "button",
        "Protokoll genehmigen",
        shows="Das Protokoll ist genehmigt und nun gesperrt.",
    )
    assert MeetingRecord.objects.get(meeting=past).status == MinutesStatus.APPROVED
    assert (
        page.get_by_role("link", name="Protokoll zu „Bericht der Projektgruppe“ schreiben").count()
        == 0
    )
    assert_accessible(page)

    # Locked: the edit page refuses.
    item = minutes.agenda(past).get(title="Bericht der Projektgruppe")
    page.goto(base + reverse("meetings:minutes_edit", args=[item.pk]))
    assert "genehmigt und gesperrt" in page.content()

    page.goto(base + reverse("meetings:minutes_print", args=[past.pk]))
    assert "berichtet" in page.content()
    assert_accessible(page)

    # The approved minutes as a file, downloaded from the minutes page.
    page.goto(base + reverse("meetings:minutes", args=[past.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = "\n".join(sheet.extract_text() for sheet in PdfReader(download.value.path()).pages)
    assert "Bericht der Projektgruppe" in text
    assert "Genehmigt am" in text
    assert "Entwurf" not in text

    # The next meeting's agenda starts with the approval of these minutes.
    following = series.meetings.filter(start__gt=past.start).order_by("start").first()
    page.goto(base + following.get_absolute_url())
    assert minutes.APPROVAL_TITLE in page.content()
