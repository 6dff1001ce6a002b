"""The legal pages in a real browser: an anonymous visitor finds the accessibility statement
from the sign-in page, a coordinator edits the imprint, and axe finds no WCAG 2.1 AA
violation on the pages, the edit page and the 404 page."""

from io import StringIO

import pytest
from playwright.sync_api import expect

from participation.management.commands.seed_demo import Command as SeedDemo
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_texts():
    SeedDemo(stdout=StringIO()).seed_legal_pages()


def test_an_anonymous_visitor_finds_the_accessibility_statement_from_the_start_page(
    page, live_server, demo_texts
):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # the start page asks to sign in
    page.get_by_role("navigation", name="Rechtliche Hinweise").get_by_role(
        "link", name="Barrierefreiheit"
    ).click()
    page.wait_for_url(live_server.url + "/barrierefreiheit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Erklärung zur Barrierefreiheit"
    feedback = page.get_by_role("heading", name="Feedback und Kontakt: Barrieren melden")
    assert feedback.is_visible()
    assert page.get_by_role("link", name="barrierefreiheit@rhein-sieg-kreis.example").is_visible()
    assert "Telefon: 02241 13-0000 (Demo)" in page.inner_text("main")
    assert page.get_by_role("heading", name="Durchsetzungsverfahren: Ombudsstelle").is_visible()
    assert "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen" in (
        page.inner_text("main")
    )
    assert page.get_by_role("link", name="ombudsstelle-barrierefreie-it@mags.nrw.de").is_visible()


def test_a_coordinator_edits_the_imprint_and_the_public_page_shows_it(
    page, live_server, coordinator, demo_texts
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/impressum/")
    page.get_by_role("link", name="Impressum bearbeiten").click()
    page.wait_for_url("**/edit/")
    german = page.get_by_label("Deutscher Text")
    german.fill("## Angaben gemäß § 5 DDG\n\nRhein-Sieg-Kreis\nNeue Telefonnummer 02241 13-9999")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.get_by_role("heading", name="Vorschau (noch nicht gespeichert)")).to_be_visible()
    assert "Neue Telefonnummer 02241 13-9999" in page.inner_text(".legal-preview")
    assert_accessible(page)

    page.get_by_role("button", name="Speichern und veröffentlichen").click()
    page.wait_for_url(live_server.url + "/impressum/")
    assert "Impressum gespeichert und veröffentlicht." in page.inner_text("main")
    assert page.get_by_role("heading", level=2, name="Angaben gemäß § 5 DDG").is_visible()

    visitor = page.context.browser.new_context(locale="de-DE").new_page()
    visitor.goto(live_server.url + "/impressum/")
    assert "Neue Telefonnummer 02241 13-9999" in visitor.inner_text("main")
    visitor.context.close()


def test_legal_pages_edit_page_and_404_meet_wcag_aa(page, live_server, coordinator, demo_texts):
    for path in ("/impressum/", "/datenschutz/", "/barrierefreiheit/", "/gibt-es-nicht/"):
        assert_accessible(page, live_server.url + path)
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + "/legal-pages/privacy/edit/")
    page.get_by_label("Deutscher Text").fill("")
    page.get_by_role("button", name="Speichern und veröffentlichen").click()
    expect(page.locator("main")).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    assert_accessible(page)


def test_english_readers_get_the_legal_pages_in_english(browser, live_server, demo_texts):
    context = browser.new_context(locale="en-GB")
    english = context.new_page()
    english.goto(live_server.url + "/barrierefreiheit/")
    assert english.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    assert english.get_by_role("heading", name="Enforcement procedure").is_visible()
    assert_accessible(english)
    context.close()
