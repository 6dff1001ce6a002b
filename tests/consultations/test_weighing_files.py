"""The weighing table as XLSX, DOCX and PDF, built from the database every time: read back
cell by cell (openpyxl, python-docx) and as text (pypdf)."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations import weighing
from consultations.models import Reply

from .conftest import own_answer
from .test_api import api_for

pytestmark = pytest.mark.django_db
HEADER = [
    "Abschnitt",
    "Organisation",
    "Votum",
    "Anmerkung",
    "Formulierungsvorschlag",
    "Punkt",
    "Abwägung",
    "Begründung",
]


def pdf_text(data):
    """The PDF's text with line breaks inside table cells as spaces."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def weighed(cycle, coordinator, own_org):
    answer = own_answer(cycle, own_org, 1)
    first = weighing.add_point(answer, actor=coordinator, text="Altersgruppe 0–3")
    weighing.save_point(
        first,
        actor=coordinator,
        base_revision=1,
        text="Altersgruppe 0–3",
        reply=Reply.ADOPTED,
        reasons="Wird ergänzt.",
    )
    weighing.add_point(answer, actor=coordinator, text="=Formel?")
    return cycle


def test_the_xlsx_holds_one_row_per_organisation_section_and_point(client, weighed, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("consultations:weighing_file", args=[weighed.pk, "xlsx"]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    assert values[1] == [
        "1. Demografie",
        "Caritasverband Rhein-Sieg",
        "keine Stellungnahme eingegangen",
        None,
        None,
        None,
        None,
        None,
    ]
    assert values[2][:5] == ["1. Demografie", "Gemeinde Much", "Ablehnung", "Zu grob.", None]
    assert values[3] == [
        "1. Demografie",
        "Stadt Siegburg",
        "Zustimmung mit Änderungen",
        "Altersgruppen feiner.",
        "0–3, 3–6 Jahre",
        "1. Altersgruppe 0–3",
        "Übernommen",
        "Wird ergänzt.",
    ]
    # Text that would start a formula is kept as text.
    assert values[4][5] == "2. =Formel?" and values[4][6] is None
    assert values[5][:3] == [
        "2. Armut",
        "Caritasverband Rhein-Sieg",
        "keine Stellungnahme eingegangen",
    ]
    assert len(values) == 8


def test_the_docx_has_a_table_per_section_with_the_responses(client, weighed, coordinator):
    response = api_for(coordinator).get(
        f"/api/v1/consultations/{weighed.pk}/weighing/file/?format=docx"
    )
    assert response.status_code == 200
    again = api_for(coordinator).get(
        f"/api/v1/consultations/{weighed.pk}/weighing/file/?format=docx"
    )
    assert again.content == response.content
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Abwägungstabelle: Indikatorenset Sozialmonitoring",
        "1. Demografie",
        "2. Armut",
    ]
    first = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert first[0] == [
        "Organisation",
        "Votum",
        "Anmerkung",
        "Formulierungsvorschlag",
        "Punkte und Abwägung",
    ]
    assert first[1][:2] == ["Caritasverband Rhein-Sieg", "keine Stellungnahme eingegangen"]
    assert first[3] == [
        "Stadt Siegburg",
        "Zustimmung mit Änderungen",
        "Altersgruppen feiner.",
        "0–3, 3–6 Jahre",
        "1. Altersgruppe 0–3 – Übernommen: Wird ergänzt.\n2. =Formel? – –",
    ]
    second = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert second[2][:3] == ["Gemeinde Much", "Ablehnung", "Quote fehlt für Much."]


def test_the_pdf_shows_the_table_and_is_built_anew_after_a_change(
    client, weighed, coordinator, own_org
):
    client.force_login(coordinator)
    url = reverse("consultations:weighing_file", args=[weighed.pk, "pdf"])
    text = pdf_text(client.get(url).content)
    for expected in (
        "Abwägungstabelle: Indikatorenset Sozialmonitoring",
        "Caritasverband Rhein-Sieg",
        "keine Stellungnahme eingegangen",
        "Altersgruppen feiner.",
        "Übernommen",
        "Wird ergänzt.",
    ):
        assert expected in text
    point = own_answer(weighed, own_org, 1).points.get(number=1)
    weighing.save_point(
        point,
        actor=coordinator,
        base_revision=2,
        text=point.text,
        reply=Reply.PARTLY_ADOPTED,
        reasons="Nur 0–3.",
    )
    assert client.get(url).content == client.get(url).content  # the same table, the same file
    again = pdf_text(client.get(url).content)
    assert "Teilweise übernommen" in again and "Nur 0–3." in again


def test_the_files_are_for_coordinators_only(client, weighed, member):
    client.force_login(member)
    for file_format in ("xlsx", "docx", "pdf"):
        url = reverse("consultations:weighing_file", args=[weighed.pk, file_format])
        assert client.get(url).status_code == 404
    assert (
        api_for(member)
        .get(f"/api/v1/consultations/{weighed.pk}/weighing/file/?format=xlsx")
        .status_code
        == 404
    )
