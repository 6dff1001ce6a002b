"""The weighing table as XLSX, DOCX and PDF, built from the database every time: read back
cell by cell (openpyxl, python-docx) and as text (pypdf)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations import weighing
from consultations.models import Reply, SectionAnswer, Statement, WeighingPoint
from participation.models import Organisation

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


# --- a large table: paged, and the same number of queries at any size --------------------------


def add_organisations(consultation, count, *, released):
    """`count` more consulted organisations, the first `released` of them with a released
    statement agreeing on every section, and a point on its first section."""
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Zweckverband {n:03d}", kind="other") for n in range(count)
    )
    consultation.organisations.add(*organisations)
    sections = list(consultation.sections.all())
    for organisation in organisations[:released]:
        statement = Statement.objects.create(
            consultation=consultation,
            organisation=organisation,
            status=Statement.Status.SUBMITTED,
        )
        for section in sections:
            answer = SectionAnswer.objects.create(
                response=statement, question=section, value={"position": "agree"}
            )
            if section.number == 1:
                WeighingPoint.objects.create(answer=answer, number=1, text="Punkt")
    return organisations


def queries_of(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_the_table_page_is_paged_by_organisation(client, weighed, coordinator, monkeypatch):
    monkeypatch.setattr(weighing, "PAGE_SIZE", 2)
    client.force_login(coordinator)
    url = reverse("consultations:weighing", args=[weighed.pk])
    second = client.get(url, {"page": 2}).content.decode()
    # Caritasverband, Gemeinde Much | Stadt Siegburg, in every section
    assert "Stadt Siegburg" in second and "Gemeinde Much" not in second
    assert second.count('scope="row" class="kern-table__cell">Stadt Siegburg<') == 2
    first = client.get(url).content.decode()
    assert "Gemeinde Much" in first and "Stadt Siegburg</th>" not in first
    # Saving a point comes back to the page that shows it.
    point = own_answer(weighed, weighed.organisations.get(name="Stadt Siegburg"), 1)
    point = point.points.get(number=1)
    saved = client.post(
        reverse("consultations:save_point", args=[weighed.pk, point.pk]),
        {"text": "Altersgruppe 0–3", "reply": "noted", "reasons": "", "revision": 2},
    )
    assert saved["Location"].endswith(f"weighing/?page=2#point-{point.pk}")


def test_the_table_page_and_its_files_read_as_many_queries_for_many_organisations(
    client, weighed, coordinator
):
    client.force_login(coordinator)
    url = reverse("consultations:weighing", args=[weighed.pk])
    xlsx = reverse("consultations:weighing_file", args=[weighed.pk, "xlsx"])
    api = api_for(coordinator)
    client.get(url)  # the session and 2FA checks warm up

    answer = own_answer(weighed, weighed.organisations.get(name="Stadt Siegburg"), 1)
    point = answer.points.first()
    row = reverse("consultations:answer_row", args=[weighed.pk, answer.pk])

    def counts():
        return [
            queries_of(lambda: client.get(url)),
            queries_of(lambda: client.get(url, {"page": 2})),
            queries_of(lambda: client.get(url, {"section": 1, "edit": point.pk})),
            queries_of(lambda: client.get(row, {"edit": point.pk}, HTTP_HX_REQUEST="true")),
            queries_of(lambda: client.get(xlsx)),
            queries_of(lambda: api.get(f"/api/v1/consultations/{weighed.pk}/weighing/")),
        ]

    few = counts()
    # The page: the session, its user and second factor, the consultation, its sections,
    # the organisations' count and page, the table's rows in one query, the version and
    # the publications (there is none yet). The row: the same up to the consultation,
    # the answer, the point, the page it is on and its rows.
    assert few[:4] == [11, 11, 11, 8]
    add_organisations(weighed, 120, released=100)
    assert counts() == few


def test_the_table_page_reads_one_query_more_once_a_version_is_published(
    client, weighed, coordinator
):
    client.force_login(coordinator)
    url = reverse("consultations:weighing", args=[weighed.pk])
    client.get(url)  # the session and 2FA checks warm up
    unpublished = queries_of(lambda: client.get(url))
    weighing.publish(weighed, actor=coordinator, notify=False)
    page = client.get(url).content.decode()
    assert "Version 2 der Tabelle." in page and "Version 1, veröffentlicht am" in page
    # Whether the table changed since: the publication with its summary (read before as
    # well, finding none) and the revised draft.
    assert queries_of(lambda: client.get(url)) == unpublished + 1


def test_the_files_and_the_publication_read_what_the_table_shows(weighed, coordinator):
    add_organisations(weighed, 5, released=3)
    table = weighing.table(weighed)
    entries = list(weighing.plain_entries(weighed))
    assert [(e.section, e.organisation, e.received, e.declined) for e in entries] == [
        (str(rows.section), entry.organisation.name, entry.answer is not None, entry.declined)
        for rows in table
        for entry in rows.entries
    ]
    assert [[p.text for p in e.points] for e in entries] == [
        [point.text for point in entry.points] for rows in table for entry in rows.entries
    ]


def test_the_api_gives_the_table_a_page_of_organisations_at_a_time(weighed, coordinator):
    add_organisations(weighed, 120, released=100)
    api = api_for(coordinator)
    url = f"/api/v1/consultations/{weighed.pk}/weighing/"
    consulted = list(weighing.consulted(weighed).values_list("name", flat=True))

    first = api.get(url).json()
    last = api.get(url, {"limit": 50, "offset": 100}).json()

    assert first["count"] == last["count"] == len(consulted) == 123
    assert first["previous"] is None and "offset=100" in first["next"]
    assert last["next"] is None and "offset=50" in last["previous"]
    assert len(first["results"]) == len(last["results"]) == weighed.sections.count()
    for table, names in ((first, consulted[:100]), (last, consulted[100:])):
        for section in table["results"]:
            assert [entry["organisation_name"] for entry in section["entries"]] == names
    siegburg = next(
        entry
        for entry in first["results"][0]["entries"]
        if entry["organisation_name"] == "Stadt Siegburg"
    )
    assert [point["text"] for point in siegburg["points"]] == ["Altersgruppe 0–3", "=Formel?"]
