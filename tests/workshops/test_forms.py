"""Workshop forms and validation: Berlin time, end after start, deadline before start, a
place to publish, external addresses named when invalid, documents checked by content."""

import datetime
import io
import zipfile
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from participation import uploads
from participation.markdown import render_markdown
from workshops import services
from workshops.forms import DocumentForm, ExternalAddressesForm, WorkshopForm
from workshops.models import Workshop

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def workshop_data(**overrides):
    data = {
        "title": "Fachworkshop Kinderarmut",
        "topic": "Kinderarmut",
        "kind": "thematic",
        "description": "",
        "start": "2030-05-06T09:30",
        "end": "2030-05-06T13:00",
        "venue_name": "Kreishaus Siegburg",
        "venue_address": "",
        "online_url": "",
        "capacity": "40",
        "registration_deadline": "2030-04-29T12:00",
    }
    return data | overrides


def test_workshop_form_reads_times_as_berlin_time():
    form = WorkshopForm(workshop_data())
    assert form.is_valid(), form.errors
    start = form.cleaned_data["start"]
    assert start == datetime.datetime(2030, 5, 6, 9, 30, tzinfo=BERLIN)
    assert start == datetime.datetime(2030, 5, 6, 7, 30, tzinfo=datetime.UTC)  # summer time


def test_workshop_form_shows_stored_times_in_berlin_time():
    workshop = Workshop(
        title="x",
        start=datetime.datetime(2030, 12, 1, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2030, 12, 1, 12, 0, tzinfo=datetime.UTC),
    )
    html = str(WorkshopForm(instance=workshop)["start"])
    assert 'type="datetime-local"' in html
    assert 'value="2030-12-01T09:00"' in html  # CET: UTC+1


def test_workshop_form_refuses_an_end_before_the_start():
    form = WorkshopForm(workshop_data(end="2030-05-06T09:00"))
    assert not form.is_valid()
    assert form.errors["end"] == ["Das Ende muss nach dem Beginn liegen."]


def test_workshop_form_refuses_a_deadline_after_the_start():
    form = WorkshopForm(workshop_data(registration_deadline="2030-05-07T12:00"))
    assert not form.is_valid()
    assert form.errors["registration_deadline"] == ["Die Anmeldefrist muss vor dem Beginn liegen."]


def test_a_draft_may_lack_a_place_but_a_published_workshop_may_not():
    form = WorkshopForm(workshop_data(venue_name=""))
    assert form.is_valid(), form.errors
    published = Workshop(status="published")
    form = WorkshopForm(workshop_data(venue_name=""), instance=published)
    assert not form.is_valid()
    assert form.errors["venue_name"] == [
        "Bitte geben Sie einen Veranstaltungsort oder einen Online-Link an, bevor Sie "
        "veröffentlichen."
    ]


def test_an_online_link_alone_is_a_place():
    form = WorkshopForm(
        workshop_data(venue_name="", online_url="konferenz.example/raum"),
        instance=Workshop(status="published"),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["online_url"] == "https://konferenz.example/raum"


def test_external_addresses_accept_names_and_merge_case():
    form = ExternalAddressesForm(
        {"addresses": "Erika Muster <Erika@Example.org>\n\n  gast@extern.example  \n"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["addresses"] == [
        ("erika@example.org", "Erika Muster"),
        ("gast@extern.example", ""),
    ]


def test_external_addresses_name_every_invalid_one():
    form = ExternalAddressesForm({"addresses": "ok@example.org\nkein-at.example\nzwei@@x.de"})
    assert not form.is_valid()
    assert form.errors["addresses"] == [
        "„kein-at.example“ ist keine gültige E-Mail-Adresse.",
        "„zwei@@x.de“ ist keine gültige E-Mail-Adresse.",
    ]


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Einladung.pdf", b"%PDF-1.7\n...", "pdf"),
        ("Protokoll.docx", _docx_bytes(), "docx"),
        ("Teilnehmende.csv", "Name;Organisation\nMüller;AWO\n".encode("cp1252"), "csv"),
        ("Foto.JPEG", b"\xff\xd8\xff\xe0rest", "jpg"),
        ("Plakat.png", b"\x89PNG\r\n\x1a\nrest", "png"),
    ],
)
def test_uploads_are_recognised_by_content(name, content, expected):
    uploaded = SimpleUploadedFile(name, content)
    assert uploads.check_upload(uploaded, allowed=services.DOCUMENT_TYPES, max_bytes=1000) == (
        expected
    )


MISMATCH = "Der Inhalt dieser Datei passt nicht zu ihrem Typ ({})."
TYPES = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, PNG, JPG"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Einladung.pdf", b"<html>nope</html>", MISMATCH.format("PDF")),
        ("Tabelle.xlsx", _docx_bytes(), MISMATCH.format("XLSX")),
        ("Programm.exe", b"MZ\x90\x00", f"Bitte eine Datei dieser Typen hochladen: {TYPES}."),
        ("leer.pdf", b"", "Die übermittelte Datei ist leer."),  # Django refuses it first
    ],
)
def test_uploads_are_refused_with_a_reason(name, content, message):
    form = DocumentForm(data={"title": ""}, files={"file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert form.errors["file"] == [message]


def test_uploads_over_the_limit_are_refused():
    uploaded = SimpleUploadedFile("gross.pdf", b"%PDF-" + b"x" * 2048)
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(uploaded, allowed=["pdf"], max_bytes=1024 * 1024 // 1024)
    assert refused.value.code == "file_size"


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown(
        "# Ergebnisse\n\n* **eins** [Link](https://example.org)\n"
        '* <script>alert(1)</script><img src=x onerror="alert(1)"> [böse](javascript:alert(1))'
    )
    assert "<h3>Ergebnisse</h3>" in html  # below the page's h1 and the section's h2
    assert "<strong>eins</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert "javascript:" not in html


def test_publishing_needs_a_future_start(coordinator):
    workshop = services.save_workshop(
        Workshop(
            title="Rückblick",
            start=timezone.now() - datetime.timedelta(days=1),
            end=timezone.now() - datetime.timedelta(hours=20),
            venue_name="Kreishaus",
        ),
        actor=coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        services.publish_workshop(workshop, actor=coordinator)
    assert refused.value.messages == [
        "Der Workshop beginnt in der Vergangenheit; bitte ändern Sie zuerst das Datum."
    ]
