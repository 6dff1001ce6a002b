"""Download my data and the records of processing in a real browser: a member follows
"Your data" from the account menu, asks for their data and downloads the ZIP; a request
still being built shows its progress (a progress bar and a status line) and turns into the
download link as the worker finishes; a coordinator opens the records of processing from
the home page. axe finds nothing on any of these pages."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participation.models import DataExport
from participation.privacy import exports
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_asks_for_their_data_and_downloads_it(page, live_server, member):
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Ihr Konto").get_by_role("link", name="Ihre Daten").click()
    expect(page.locator("h1")).to_have_text("Ihre Daten")
    assert_accessible(page)

    page.get_by_role("button", name="Meine Daten anfordern").click()
    expect(page.locator("#data-download")).to_be_visible(timeout=10_000)
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#data-download").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert exports.JSON_NAME in archive.namelist()


def test_the_progress_turns_into_the_download_link(page, live_server, member):
    now = timezone.now()
    export = DataExport.objects.create(
        user=member, created_at=now, expires_at=now + datetime.timedelta(days=7)
    )
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/account/data/{export.pk}/")
    expect(page.locator("#export-bar")).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_have_text("Ihre Daten warten auf die Zusammenstellung.")
    assert_accessible(page)
    exports.build(export.pk)
    expect(page.locator("#data-download")).to_be_visible(timeout=10_000)
    expect(page.locator("#export-bar")).to_have_count(0)
    assert_accessible(page)


def test_a_coordinator_opens_the_records_of_processing(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/")
    page.locator("#records-of-processing-link").get_by_role(
        "link", name="Verzeichnis von Verarbeitungstätigkeiten"
    ).click()
    expect(page.locator("h1")).to_have_text("Verzeichnis von Verarbeitungstätigkeiten")
    expect(page.locator("#processing-records tbody tr").first).to_be_visible()
    assert_accessible(page)
