"""The committee report in a real browser: a coordinator follows the link from the home
page, is told what is wrong with an inverted period (with the dates kept), builds the
report for a period, watches the progress bar turn into the downloads while the worker
builds, and downloads the PDF; axe finds nothing on the form, the error or the progress
page."""

import datetime

import pytest
from playwright.sync_api import expect

from overview import report_jobs
from overview.models import CommitteeReport
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_builds_the_committee_report_and_downloads_it(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/")
    page.locator("#committee-report-link").get_by_role(
        "link", name="Bericht an den Ausschuss"
    ).click()
    expect(page.locator("h1")).to_have_text("Bericht an den Ausschuss")
    assert_accessible(page)

    page.get_by_label("Erster Tag").fill("2026-06-30")
    page.get_by_label("Letzter Tag").fill("2026-01-01")
    page.get_by_role("button", name="Bericht erstellen").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Der letzte Tag des Zeitraums darf nicht vor dem ersten Tag liegen."
    )
    expect(page.get_by_label("Erster Tag")).to_have_value("2026-06-30")
    assert_accessible(page)
    assert not CommitteeReport.objects.exists()

    page.get_by_label("Letzter Tag").fill("2026-06-30")
    page.get_by_label("Erster Tag").fill("2026-01-01")
    page.get_by_role("button", name="Bericht erstellen").click()
    expect(page.locator("#report-downloads")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Bericht als PDF (barrierefrei)").click()
    assert download.value.suggested_filename == "bericht-ausschuss_2026-01-01_2026-06-30.pdf"
    assert_accessible(page)


def test_progress_bar_turns_into_the_downloads_once_the_worker_is_done(
    page, live_server, coordinator
):
    report = CommitteeReport.objects.create(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30), requested_by=coordinator
    )
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + report.get_absolute_url())
    expect(page.locator("#report-bar")).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_have_text("Der Bericht wartet auf die Erstellung.")
    assert_accessible(page)
    report_jobs.build_report(report.pk)
    expect(page.locator("#report-downloads")).to_be_visible(timeout=10_000)
    expect(page.locator("#report-bar")).to_have_count(0)
    assert_accessible(page)
