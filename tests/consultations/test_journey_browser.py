"""One consultation from opening to the published result in a real browser: the
coordinator sets it up and opens it, a member drafts and releases the statement, the
coordinator weighs it and publishes, the member reads the result. axe finds no WCAG A/AA
violation on the way."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from consultations import services
from consultations.models import Consultation, Reply
from tests.browser import wait_for_htmx
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultation_from_opening_to_the_published_result(
    page, live_server, coordinator, member, own_org, other_org
):
    base = live_server.url
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    sign_in(page, live_server, coordinator)
    page.goto(f"{base}/consultations/")
    page.get_by_role("link", name="Neues Beteiligungsverfahren").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Indikatorenset Sozialmonitoring")
    page.get_by_label("Zweck").fill("Welche Indikatoren der Kreis erhebt.")
    page.get_by_label("Frist").fill(deadline.isoformat())
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indikatorenset")
    consultation = Consultation.objects.get()

    page.get_by_role("link", name="Abschnitt hinzufügen").click()
    page.get_by_label("Titel").fill("Kinderarmut")
    page.get_by_label("Text").fill("Anteil der Kinder in Bedarfsgemeinschaften je Sozialraum.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name="1. Kinderarmut")).to_be_visible()

    page.get_by_role("link", name="Organisationen auswählen").click()
    assert_accessible(page)
    page.get_by_label(own_org.name, exact=True).check()
    page.get_by_label(other_org.name, exact=True).check()
    page.get_by_role("button", name="Hinzufügen", exact=True).click()
    page.goto(f"{base}{consultation.get_absolute_url()}")
    page.get_by_role("button", name="Verfahren eröffnen und um Stellungnahme bitten").click()
    expect(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN

    page.context.clear_cookies()
    sign_in(page, live_server, member)
    page.goto(f"{base}{consultation.get_absolute_url()}")
    page.get_by_role("button", name="Stellungnahme beginnen").click()
    wait_for_htmx(page)
    page.get_by_label("Zustimmung mit Änderungen").first.check()
    wait_for_htmx(page)
    page.get_by_label("Anmerkung zu Abschnitt 1").fill("Bitte auch Alleinerziehende.")
    page.get_by_label("Anmerkung zu Abschnitt 1").blur()
    wait_for_htmx(page)
    page.get_by_role("combobox", name="Verantwortliches Mitglied").select_option(
        str(member.person.pk)
    )
    page.get_by_role("button", name="Als verantwortlich benennen").click()
    page.get_by_role("button", name="Stellungnahme freigeben").click()
    expect(page.locator(".message-success")).to_contain_text("Die Stellungnahme ist freigegeben")

    # The deadline passes (the server reads the state from the database).
    with time_machine.travel(deadline + datetime.timedelta(days=1)):
        services.close_consultation(consultation, actor=coordinator)

    page.context.clear_cookies()
    sign_in(page, live_server, coordinator)
    page.goto(f"{base}{consultation.get_absolute_url()}")
    page.get_by_role("link", name="Abwägungstabelle").click()
    expect(page.get_by_text("keine Stellungnahme eingegangen")).to_be_visible()
    page.get_by_role("link", name=f"Neuer Punkt von {own_org.name}").click()
    page.get_by_label(f"Neuer Punkt von {own_org.name}").fill("Alleinerziehende ergänzen")
    page.get_by_role("button", name=f"Punkt hinzufügen – {own_org.name}").click()
    page.get_by_role("link", name=f"Bearbeiten – Punkt 1 von {own_org.name}").click()
    point = page.get_by_role("group", name=f"Punkt 1 von {own_org.name}")
    point.get_by_label("Abwägung").select_option(Reply.ADOPTED)
    point.get_by_label("Begründung").fill("Wird als eigener Indikator aufgenommen.")
    point.get_by_role("button", name=f"Speichern – Punkt 1 von {own_org.name}").click()
    expect(page.get_by_role("status")).to_have_text("Punkt 1 ist gespeichert.")
    assert_accessible(page)
    page.get_by_role("button", name="Version 1 veröffentlichen").click()
    expect(page.locator(".message-success")).to_contain_text("Version 1 des Ergebnisses")

    page.context.clear_cookies()
    sign_in(page, live_server, member)
    page.goto(f"{base}{consultation.get_absolute_url()}")
    page.get_by_role("link", name="Veröffentlichtes Ergebnis lesen").click()
    expect(page.get_by_text("Wird als eigener Indikator aufgenommen.")).to_be_visible()
    expect(page.get_by_text(other_org.name)).to_have_count(0)
    assert_accessible(page)
