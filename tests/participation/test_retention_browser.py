"""The retention page in a real browser: a coordinator follows the home page's count of
failed runs to the page, sees the periods and the runs with what each removed, filters the
failed ones, and axe finds no WCAG 2.1 AA violation."""

import datetime

import pytest
from playwright.sync_api import expect

from participation.models import RetentionRun
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTC = datetime.UTC


@pytest.fixture
def runs():
    RetentionRun.objects.create(
        started_at=datetime.datetime(2026, 11, 30, 1, 30, tzinfo=UTC),
        finished_at=datetime.datetime(2026, 11, 30, 1, 31, tzinfo=UTC),
        counts={"event_needs": 3, "mail_bodies": 12, "audit": 0},
    )
    RetentionRun.objects.create(
        started_at=datetime.datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
        finished_at=datetime.datetime(2026, 12, 1, 1, 32, tzinfo=UTC),
        counts={"event_needs": 0, "mail_bodies": 4, "audit": 0},
        errors={"audit": "OperationalError: the database restarted"},
    )


def test_a_coordinator_finds_the_failed_run_from_the_home_page(
    page, live_server, coordinator, runs
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Löschläufe mit Fehler").click()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aufbewahrung personenbezogener Daten"
    )
    expect(page.locator("#run-count")).to_have_text("1 Durchlauf")
    expect(page.get_by_label("Läufe", exact=True)).to_have_value("failed")
    row = page.locator("tbody tr").filter(has_text="the database restarted")
    expect(row).to_contain_text("Teilweise fehlgeschlagen")
    expect(row).to_contain_text("Texte versandter und fehlgeschlagener E-Mails: 4")
    assert_accessible(page)

    page.get_by_label("Läufe", exact=True).select_option("")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_load_state()
    expect(page.locator("#run-count")).to_have_text("2 Durchläufe")
    periods = page.get_by_role("table", name="Fristen")
    expect(
        periods.get_by_role("row", name="Barrierefreiheitsbedarfe und Ernährungswünsche")
    ).to_contain_text("30 Tage nach Ende der Veranstaltung")
    expect(periods.get_by_role("row", name="Konten und Stammdaten")).to_contain_text("nein")
    assert_accessible(page)
