"""The minutes as PDF and Word files, from the page and the API: what a reader must see
(attendance, items with their minutes, decisions with numbers and votes, tasks with owner
and due date), the status marked (a draft says so on every page), the same bytes on every
download, the print page's permissions, nothing fetched from the network, and a clear 503
where PDF files cannot be made."""

import datetime
import io
import sys

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

import participation.documents
from meetings import minutes, services
from meetings.models import Decision, Task
from tests.documents_support import counting_server

from .conftest import make_series

pytestmark = pytest.mark.django_db

TEMPLATE = "Begrüßung\nBericht der Projektgruppe\nOffene Aufgaben\nVerschiedenes"
AFTER_FIRST = datetime.datetime(2027, 1, 12, 13, 0, tzinfo=datetime.UTC)
LONG_REPORT = "\n\n".join(
    f"Absatz {number}: Die Projektgruppe berichtet über den Stand der Kita-Bedarfsplanung "
    "in den Sozialräumen, die Rückmeldungen der Träger und die nächsten Schritte."
    for number in range(1, 41)
)


@pytest.fixture
def series(clock, body, coordinator):
    return make_series(body, actor=coordinator, agenda_template=TEMPLATE)


@pytest.fixture
def first(series):
    return series.meetings.order_by("start")[0]


@pytest.fixture
def written(first, coordinator, member, seated_person):
    """Minutes with attendance, a decision with votes and a task."""
    items = list(minutes.agenda(minutes.ensure_agenda(first).meeting))
    minutes.save_minutes(
        items[0],
        minutes="Die Vorsitzende **begrüßt** alle und stellt die *Tagesordnung* fest.",
        outcome="information",
        base_revision=0,
        actor=coordinator,
    )
    minutes.save_minutes(
        items[1], minutes=LONG_REPORT, outcome="decision", base_revision=0, actor=coordinator
    )
    minutes.save_attendance(
        first,
        {member.person.pk: ("deputy", "Erika Muster"), seated_person.pk: ("excused", "")},
        actor=coordinator,
    )
    decision = services.record_decision(
        Decision(
            body=first.series.body,
            meeting=first,
            title="Kita-Bedarfsplanung fortschreiben",
            text="Die Lenkungsgruppe beschließt die Fortschreibung.",
            decided_on=first.start.date(),
            votes_for=7,
            votes_against=1,
            abstentions=0,
        ),
        actor=coordinator,
    )
    services.save_task(
        Task(
            meeting=first,
            decision=decision,
            title="Kita-Daten liefern",
            owner_person=seated_person,
            due_date=datetime.date(2027, 3, 1),
        ),
        actor=coordinator,
        notify_owner=False,
    )
    return first


def page_file(client, meeting, file_format):
    return client.get(reverse("meetings:minutes_file", args=[meeting.pk, file_format]))


def api_file(client, meeting, file_format):
    return client.get(f"/api/v1/meetings/{meeting.pk}/minutes/file/", {"format": file_format})


def pdf_pages(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_minutes_pdf_shows_what_a_reader_must_see_and_draft_on_every_page(
    written, client, member, seated_person
):
    client.force_login(member)
    response = page_file(client, written, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    pages = pdf_pages(response.content)
    assert len(pages) >= 2
    for text in pages:
        assert "Entwurf: nicht genehmigt" in text
    text = "\n".join(pages)
    for expected in (
        "Protokoll: Lenkungsgruppe",
        "Lenkungsgruppe Sozialplanung",
        "Kreishaus Siegburg, Raum 1.04",
        "1. Begrüßung",
        "2. Bericht der Projektgruppe",
        "Die Vorsitzende begrüßt alle",
        "Absatz 40:",
        "Ergebnis: Beschluss",
        "LG-2027-01 Kita-Bedarfsplanung fortschreiben",
        "7 dafür, 1 dagegen, 0 Enthaltungen",
        "Kita-Daten liefern",
        "01.03.2027",
        "Vertreten durch Erika Muster",
        "Entschuldigt",
        str(seated_person),
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title.startswith("Protokoll: Lenkungsgruppe")


def test_minutes_docx_has_headings_and_the_attendance_table_cell_by_cell(
    written, client, member, seated_person, own_org
):
    client.force_login(member)
    response = page_file(client, written, "docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0][1] == "ENTWURF: NICHT GENEHMIGT"
    assert document.sections[0].header.paragraphs[0].text == "ENTWURF: NICHT GENEHMIGT"
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings[0].startswith("Protokoll: Lenkungsgruppe")
    for heading in (
        "Anwesenheit",
        "1. Begrüßung",
        "2. Bericht der Projektgruppe",
        "LG-2027-01 Kita-Bedarfsplanung fortschreiben",
        "Aufgaben",
    ):
        assert heading in headings
    attendance = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in attendance.rows]
    assert rows[0] == ["Person", "Organisation", "Anwesenheit"]
    assert sorted(rows[1:]) == sorted(
        [
            [str(member.person), str(own_org), "Vertreten durch Erika Muster"],
            [str(seated_person), "–", "Entschuldigt"],
        ]
    )
    tasks = document.tables[1]
    assert [cell.text for cell in tasks.rows[1].cells] == [
        "Kita-Daten liefern",
        str(seated_person),
        "01.03.2027",
        Task.objects.get().get_status_display(),
    ]
    welcome = next(p for p in document.paragraphs if p.text.startswith("Die Vorsitzende"))
    assert {run.text for run in welcome.runs if run.bold} == {"begrüßt"}
    assert document.core_properties.language == "de-DE"


def test_approved_minutes_carry_no_draft_mark(written, client, coordinator, member, clock):
    clock.move_to(AFTER_FIRST)
    minutes.circulate(written, actor=coordinator)
    client.force_login(member)
    circulated = "\n".join(pdf_pages(page_file(client, written, "pdf").content))
    assert "Entwurf: zur Korrektur versandt, nicht genehmigt" in circulated
    minutes.approve(written, actor=coordinator)
    text = "\n".join(pdf_pages(page_file(client, written, "pdf").content))
    assert "Entwurf" not in text
    assert "Genehmigt am 12.01.2027" in text
    document = docx.Document(io.BytesIO(page_file(client, written, "docx").content))
    assert "ENTWURF" not in document.paragraphs[0].text
    assert "ENTWURF" not in document.sections[0].header.paragraphs[0].text
    assert any("Genehmigt am 12.01.2027" in p.text for p in document.paragraphs)


def test_minutes_files_are_the_same_bytes_on_every_download(written, client, member, clock):
    client.force_login(member)
    first_pdf, first_docx = page_file(client, written, "pdf"), api_file(client, written, "docx")
    clock.move_to(AFTER_FIRST + datetime.timedelta(days=30))
    client.force_login(member)
    assert api_file(client, written, "pdf").content == first_pdf.content
    assert page_file(client, written, "docx").content == first_docx.content


def test_files_answer_404_where_the_print_page_does(written, client, member, outsider, participant):
    for user in (outsider, participant):
        client.force_login(user)
        assert client.get(reverse("meetings:minutes_print", args=[written.pk])).status_code == 404
        for file_format in ("pdf", "docx"):
            assert page_file(client, written, file_format).status_code == 404
            response = api_file(client, written, file_format)
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"
    client.logout()
    assert page_file(client, written, "pdf").status_code == 302
    assert api_file(client, written, "docx").status_code in (401, 403)
    client.force_login(member)
    assert page_file(client, written, "xlsx").status_code == 404
    assert api_file(client, written, "docx").status_code == 200


def test_minutes_page_offers_the_files(written, client, member):
    client.force_login(member)
    page = client.get(reverse("meetings:minutes", args=[written.pk])).content.decode()
    assert reverse("meetings:minutes_file", args=[written.pk, "pdf"]) in page
    assert reverse("meetings:minutes_file", args=[written.pk, "docx"]) in page
    assert "Word (DOCX)" in page


def test_an_image_written_into_the_minutes_is_not_fetched(first, client, coordinator):
    item = minutes.agenda(minutes.ensure_agenda(first).meeting)[0]
    with counting_server() as (address, requests):
        minutes.save_minutes(
            item,
            minutes=f"Siehe ![Karte]({address}/karte.png) und ![Datei](file:///etc/passwd).",
            outcome="information",
            base_revision=0,
            actor=coordinator,
        )
        client.force_login(coordinator)
        text = "\n".join(pdf_pages(page_file(client, first, "pdf").content))
        docx_response = page_file(client, first, "docx")
    assert requests == []
    assert "Siehe" in text
    assert "root:" not in text
    assert docx_response.status_code == 200


def test_without_pango_the_pdf_answers_a_clear_503_and_word_still_works(
    written, client, member, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.delitem(sys.modules, "participation.documents.pdf_engine", raising=False)
    monkeypatch.delattr(participation.documents, "pdf_engine", raising=False)
    client.force_login(member)
    response = page_file(client, written, "pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert "PDF-Dateien können auf diesem Server gerade nicht erstellt werden" in page
    assert reverse("meetings:minutes", args=[written.pk]) in page
    api = api_file(client, written, "pdf")
    assert api.status_code == 503
    assert "PDF-Dateien" in api.json()["detail"]
    assert page_file(client, written, "docx").status_code == 200


def test_the_api_schema_lists_the_minutes_file(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/meetings/{id}/minutes/file/"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
