"""The base's document machinery: PDF through WeasyPrint (tagged, with language and title,
the same bytes for the same inputs, and nothing fetched but our own static files) and Word
files through python-docx (headings, our Markdown, tables, properties, the same bytes)."""

import datetime
import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import time_machine
from pypdf import PdfReader

import participation.documents
from participation.documents import pdf, word
from tests.documents_support import counting_server

CREATED = datetime.datetime(2027, 1, 12, 9, 0, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2027, 1, 14, 16, 30, tzinfo=datetime.UTC)


def document(body: str, *, lang="de", title="Protokoll der Sitzung") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<link rel="stylesheet" href="participation/documents.css"></head>'
        f"<body>{body}</body></html>"
    )


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def leaky_server():
    with counting_server() as server:
        yield server


def test_pdf_is_tagged_with_language_title_and_the_records_dates():
    data = pdf.html_to_pdf(
        document("<h1>Protokoll</h1><p>Begrüßung durch die Vorsitzende</p>"),
        created=CREATED,
        modified=CHANGED,
    )
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "de"
    assert reader.metadata.title == "Protokoll der Sitzung"
    assert reader.metadata.creation_date == CREATED
    assert reader.metadata.modification_date == CHANGED
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert "Begrüßung durch die Vorsitzende" in text_of(data)


def test_pdf_embeds_the_vendored_fira_sans():
    data = pdf.html_to_pdf(document("<p>Text</p>"), created=CREATED)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Fira-Sans" in name for name in fonts), fonts


def test_pdf_is_the_same_bytes_for_the_same_inputs():
    html = document("<h1>Protokoll</h1><table><thead><tr><th>A</th></tr></thead></table>")
    with time_machine.travel(CREATED):
        first = pdf.html_to_pdf(html, created=CREATED)
    with time_machine.travel(CHANGED):
        second = pdf.html_to_pdf(html, created=CREATED)
    assert first == second
    assert pdf.html_to_pdf(html, created=CHANGED) != first


def test_pdf_fetches_nothing_but_our_static_files(leaky_server, tmp_path, caplog):
    address, requests = leaky_server
    local_css = tmp_path / "local.css"
    local_css.write_text('body::after { content: "LEAKED" }')
    body = (
        f'<link rel="stylesheet" href="{address}/style.css">'
        f'<link rel="stylesheet" href="file://{local_css}">'
        f'<img src="{address}/image.png" alt="Bild">'
        '<img src="file:///etc/passwd" alt="Passwort">'
        '<link rel="stylesheet" href="https://static.invalid/../../../../etc/passwd.css">'
        "<p>Inhalt</p>"
    )
    with caplog.at_level(logging.WARNING, logger="participation.documents.pdf_engine"):
        data = pdf.html_to_pdf(document(body), created=CREATED)
    assert requests == []
    text = text_of(data)
    assert "Inhalt" in text
    assert "LEAKED" not in text
    refused = caplog.text
    assert f"{address}/style.css" in refused
    assert "file:///etc/passwd" in refused
    assert str(local_css) in refused


def without_weasyprint(monkeypatch):
    """As on a machine without Pango: importing WeasyPrint fails."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.delitem(sys.modules, "participation.documents.pdf_engine", raising=False)
    monkeypatch.delattr(participation.documents, "pdf_engine", raising=False)


def test_pdf_unavailable_without_weasyprint(monkeypatch):
    """A machine without Pango: WeasyPrint cannot be imported, nothing else breaks."""
    without_weasyprint(monkeypatch)
    assert not pdf.available()
    with pytest.raises(pdf.PdfUnavailable):
        pdf.html_to_pdf(document("<p>x</p>"), created=CREATED)


# --- Word -------------------------------------------------------------------------------------

MARKDOWN = """Die Projektgruppe **berichtet** über *Kita-Daten*, siehe [Sozialbericht](https://kreis.example/bericht).

- erstens
- zweitens
    - genauer

1. Antrag stellen
2. Bescheid abwarten

# Ergebnis

![Bild](http://127.0.0.1:9/x.png)
"""


def build(created=CREATED):
    document = word.new_document(
        title="Protokoll der Sitzung", language="de-DE", created=created, modified=CHANGED
    )
    word.add_heading(document, "Protokoll der Sitzung", 1)
    word.add_markdown(document, MARKDOWN, heading_level=3)
    word.add_table(document, ["Person", "Anwesenheit"], [("Anna Beispiel", "Anwesend")])
    return word.to_bytes(document)


def test_docx_has_headings_markdown_and_a_table_with_a_header_row():
    document = docx.Document(io.BytesIO(build()))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert paragraphs[0] == ("Heading 1", "Protokoll der Sitzung")
    assert paragraphs[1] == (
        "Normal",
        "Die Projektgruppe berichtet über Kita-Daten, siehe Sozialbericht "
        "(https://kreis.example/bericht).",
    )
    assert ("List Bullet", "erstens") in paragraphs
    assert ("List Bullet 2", "genauer") in paragraphs
    assert ("List Number", "Bescheid abwarten") in paragraphs
    assert ("Heading 3", "Ergebnis") in paragraphs
    runs = {run.text: run for run in document.paragraphs[1].runs}
    assert runs["berichtet"].bold
    assert runs["Kita-Daten"].italic
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Person", "Anwesenheit"]
    assert [cell.text for cell in table.rows[1].cells] == ["Anna Beispiel", "Anwesend"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1


def test_docx_properties_title_language_and_dates():
    document = docx.Document(io.BytesIO(build()))
    properties = document.core_properties
    assert properties.title == "Protokoll der Sitzung"
    assert properties.language == "de-DE"
    assert properties.created == CREATED
    assert properties.modified == CHANGED
    assert 'w:val="de-DE"' in document.styles.element.xml


def test_docx_is_the_same_bytes_for_the_same_inputs():
    with time_machine.travel(CREATED):
        first = build()
    with time_machine.travel(CHANGED + datetime.timedelta(days=3)):
        second = build()
    assert first == second
    assert build(created=CHANGED) != first


def test_the_site_starts_without_weasyprint():
    """`make run` on a machine without Pango: settings, URLs, ASGI app and checks load
    without importing WeasyPrint."""
    script = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "import django; django.setup()\n"
        "import config.asgi, config.urls\n"
        "from django.core.management import call_command; call_command('check')\n"
        "print('started')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
