"""From the weighing table to the published result in a real browser: the coordinator
splits a statement into a point and responds to it in place (htmx: the point's form opens
in its row, a refusal shows there, the saved point reads as text again), begins the
revised draft and publishes with an anonymised public table; the member reads their
organisation's result. axe finds no WCAG A/AA violation on the new pages."""

import pytest
from playwright.sync_api import expect

from consultations.models import Publication, Reply
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_weighing_table_to_the_published_result(
    page, live_server, cycle, coordinator, member, own_org
):
    base = f"{live_server.url}{cycle.get_absolute_url()}"
    sign_in(page, live_server, coordinator)
    page.goto(base)
    page.get_by_role("link", name="Abwägungstabelle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abwägungstabelle")
    expect(page.get_by_text("keine Stellungnahme eingegangen").first).to_be_visible()
    assert_accessible(page)

    # The points read as text; "Neuer Punkt von …" and "Bearbeiten" open a form in the row.
    expect(page.locator("form.weighing-point")).to_have_count(0)
    page.get_by_role("link", name="Neuer Punkt von Stadt Siegburg").first.click()
    new_point = page.get_by_label("Neuer Punkt von Stadt Siegburg")
    expect(new_point).to_be_focused()
    new_point.fill("Altersgruppen feiner gliedern")
    page.get_by_role("button", name="Punkt hinzufügen – Stadt Siegburg").click()
    expect(page.get_by_role("status")).to_have_text("Der Punkt ist hinzugefügt.")
    expect(page.get_by_text("1. Altersgruppen feiner gliedern")).to_be_visible()

    page.get_by_role("link", name="Bearbeiten – Punkt 1 von Stadt Siegburg").click()
    point = page.get_by_role("group", name="Punkt 1 von Stadt Siegburg")
    expect(point.get_by_label("Punkt", exact=True)).to_be_focused()
    assert_accessible(page)
    # A refusal shows in place and keeps what was typed.
    point.get_by_label("Punkt", exact=True).fill("")
    point.get_by_label("Begründung").fill("Wird in Abschnitt 1 übernommen.")
    point.get_by_role("button", name="Speichern – Punkt 1 von Stadt Siegburg").click()
    expect(point.get_by_role("alert")).to_have_text("Zitieren oder umschreiben Sie den Punkt.")
    expect(point.get_by_label("Begründung")).to_have_value("Wird in Abschnitt 1 übernommen.")
    point.get_by_label("Punkt", exact=True).fill("Altersgruppen feiner gliedern")
    point.get_by_label("Abwägung").select_option(Reply.ADOPTED)
    point.get_by_role("button", name="Speichern – Punkt 1 von Stadt Siegburg").click()
    expect(page.get_by_role("status")).to_have_text("Punkt 1 ist gespeichert.")
    expect(page.get_by_role("group", name="Punkt 1 von Stadt Siegburg")).to_have_count(0)
    saved = page.locator(".weighing-point", has_text="Altersgruppen feiner gliedern")
    expect(saved).to_contain_text("Übernommen: Wird in Abschnitt 1 übernommen.")
    page.reload()
    expect(saved).to_contain_text("Übernommen: Wird in Abschnitt 1 übernommen.")
    assert_accessible(page)
    # A point added by mistake is removed from its form.
    page.get_by_role("link", name="Neuer Punkt von Stadt Siegburg").first.click()
    page.get_by_label("Neuer Punkt von Stadt Siegburg").fill("Doppelt")
    page.get_by_role("button", name="Punkt hinzufügen – Stadt Siegburg").click()
    page.get_by_role("link", name="Bearbeiten – Punkt 2 von Stadt Siegburg").click()
    page.get_by_role("button", name="Entfernen – Punkt 2 von Stadt Siegburg").click()
    expect(page.get_by_role("status")).to_have_text("Der Punkt ist entfernt.")
    expect(page.get_by_text("2. Doppelt")).to_have_count(0)
    expect(saved).to_be_visible()

    page.get_by_role("link", name="Der überarbeitete Entwurf").click()
    page.get_by_role("button", name="Überarbeiteten Entwurf beginnen").click()
    page.get_by_role("link", name="1. Demografie bearbeiten").click()
    page.get_by_label("Text").fill("- Altersgruppen 0–3 und 3–6")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".section-diff ins").first).to_contain_text("0–3 und 3–6")
    assert_accessible(page)
    assert_accessible(page, f"{base}record/")

    page.goto(f"{base}weighing/")
    page.get_by_label("Abwägungstabelle für die Öffentlichkeit").select_option(
        Publication.PublicTable.NUMBERED
    )
    page.get_by_role("button", name="Version 1 veröffentlichen").click()
    expect(page.locator(".message-success")).to_contain_text("Version 1 des Ergebnisses")

    page.context.clear_cookies()
    sign_in(page, live_server, member)
    page.goto(base)
    page.get_by_role("link", name="Veröffentlichtes Ergebnis lesen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnis der Beteiligung")
    expect(page.get_by_text("Wird in Abschnitt 1 übernommen.")).to_be_visible()
    expect(page.get_by_text("Zu grob.")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Die anonymisierte Abwägungstabelle").click()
    expect(page.get_by_role("heading", name="Stellungnahme 1")).to_have_count(2)
    expect(page.get_by_text("Stadt Siegburg")).to_have_count(0)
    assert_accessible(page)
