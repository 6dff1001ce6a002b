"""The records of processing (Art. 30 GDPR): coordinators see every declared kind of
personal data with its purpose, legal basis, readers and retention (the installation's own
period included) on a page, as CSV, XLSX and PDF, and over the API; anyone else gets 404."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from participation.documents import pdf
from participation.privacy import inventory

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_declaration_with_its_retention(coordinator, client, settings):
    settings.RETENTION_DAYS = {"event_needs": 14}
    client.force_login(coordinator)
    page = client.get(reverse("participation:records_of_processing")).content.decode()
    for declaration in inventory.declarations():
        assert f'data-key="{declaration.key}"' in page
    assert "Art. 9(2)(a)" in page or "Art. 9 Abs. 2" in page
    needs_row = page.split('data-key="invitation_needs"')[1].split("</tr>")[0]
    assert " 14 " in needs_row


def test_members_and_strangers_get_404(member, client):
    client.force_login(member)
    assert client.get(reverse("participation:records_of_processing")).status_code == 404
    for file_format in ("csv", "xlsx", "pdf"):
        url = reverse("participation:records_of_processing_download", args=[file_format])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(reverse("participation:records_of_processing")).status_code == 302


def test_the_exports_hold_every_row_with_formulas_defused(coordinator, client):
    client.force_login(coordinator)
    count = len(inventory.declarations())
    csv_file = client.get(reverse("participation:records_of_processing_download", args=["csv"]))
    assert csv_file["Content-Disposition"].startswith("attachment")
    lines = csv_file.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == count + 1
    xlsx = client.get(reverse("participation:records_of_processing_download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == count + 1
    unknown = reverse("participation:records_of_processing_download", args=["exe"])
    assert client.get(unknown).status_code == 404


@pytest.mark.skipif(not pdf.available(), reason="WeasyPrint needs Pango")
def test_the_pdf_is_a_document(coordinator, client):
    client.force_login(coordinator)
    response = client.get(reverse("participation:records_of_processing_download", args=["pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_api_gives_the_records_to_coordinators_only(coordinator, member):
    api = APIClient()
    api.force_authenticate(coordinator)
    rows = api.get("/api/v1/records-of-processing/").json()
    assert {row["key"] for row in rows} == {d.key for d in inventory.declarations()}
    needs = next(row for row in rows if row["key"] == "invitation_needs")
    assert needs["retention_key"] == "event_needs"
    assert needs["kept_days"] == 30
    api.force_authenticate(member)
    assert api.get("/api/v1/records-of-processing/").status_code == 404
    assert APIClient().get("/api/v1/records-of-processing/").status_code == 401


def test_the_coordinators_home_links_the_records(coordinator, client):
    client.force_login(coordinator)
    home = client.get(reverse("overview:home")).content.decode()
    assert reverse("participation:records_of_processing") in home
    assert reverse("participation:my_data") in home
