"""Erasure in uploads: office files (DOCX, XLSX: ZIP archives of XML) have the person
replaced in each entry, the other entries unchanged; an archive too large to unpack, and a
PDF the person uploaded or whose record named them, are kept and listed for the
coordinator on the erasure's page and in the API's answer."""

import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from participation import erasure_files
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    PersonFactory,
    UserFactory,
    WorkshopFactory,
)
from workshops.models import Document

FIRST, LAST = "Quirinella", "Zwetschgenbaum"
FULL = f"{FIRST} {LAST}"
EMAIL = "q.zwetschgenbaum@siegburg.example"
ROLE = "Mitglied (Jugend & Familie)"  # "&" must be escaped in the XML


@pytest.fixture
def person(own_org):
    user = UserFactory(email=EMAIL)
    person = PersonFactory(first_name=FIRST, last_name=LAST, email=EMAIL, user=user)
    body = BodyFactory(name="Jugendhilfeausschuss", short_name="Jugend & Familie")
    BodyMembershipFactory(body=body, person=person, represents=own_org)
    return person


def _docx() -> bytes:
    document = docx.Document()
    document.core_properties.author = FULL
    document.add_paragraph(f"Protokoll: {FULL} berichtet. {LAST} sagt zu ({EMAIL}).")
    document.add_paragraph("Der Ausschuss stimmt zu.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Ansprechpartnerin"
    book.active["B1"] = FULL
    book.active["B2"] = f"{LAST} fragt nach"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(workshop, content, *, title, by=None, name="upload"):
    return Document.objects.create(
        workshop=workshop,
        title=title,
        file=ContentFile(content, name=name),
        original_name=name,
        uploaded_by=by,
    )


def _entries(document) -> dict[str, bytes]:
    document.file.open("rb")
    with document.file, zipfile.ZipFile(document.file) as archive:
        return {entry: archive.read(entry) for entry in archive.namelist()}


def _traces(entries) -> list[str]:
    return [
        name
        for name, content in entries.items()
        if LAST.lower() in content.decode("utf-8", "replace").lower()
        or EMAIL in content.decode("utf-8", "replace")
    ]


@pytest.mark.django_db
def test_office_files_lose_the_name_and_keep_the_rest(
    client, settings, tmp_path, person, coordinator
):
    settings.MEDIA_ROOT = str(tmp_path)
    workshop = WorkshopFactory()
    word = _upload(workshop, _docx(), title="Protokoll", name="protokoll.docx")
    excel = _upload(workshop, _xlsx(), title="Kontakte", name="kontakte.xlsx")
    before = {"word": _entries(word), "excel": _entries(excel)}
    assert _traces(before["word"]) and _traces(before["excel"])  # the test can fail

    client.force_login(coordinator)
    client.post(reverse("participation:person_erase", args=[person.pk]))

    for key, document in (("word", word), ("excel", excel)):
        after = _entries(document)
        assert list(after) == list(before[key])
        assert _traces(after) == [], key
        changed = {name for name in after if after[name] != before[key][name]}
        assert changed and all(name.endswith(".xml") for name in changed)
    word.file.open("rb")
    with word.file:
        opened = docx.Document(word.file)
    assert opened.paragraphs[0].text == (
        f"Protokoll: {ROLE} berichtet. {ROLE} sagt zu (erased@invalid)."
    )
    assert opened.paragraphs[1].text == "Der Ausschuss stimmt zu."
    assert opened.core_properties.author == ROLE
    excel.file.open("rb")
    with excel.file:
        sheet = openpyxl.load_workbook(excel.file).active
    assert [sheet["A1"].value, sheet["B1"].value, sheet["B2"].value] == [
        "Ansprechpartnerin",
        ROLE,
        f"{ROLE} fragt nach",
    ]


def _too_large() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f"<w:t>{FULL}</w:t>")
        with archive.open("media/padding.bin", "w", force_zip64=True) as padding:
            chunk = bytes(1024 * 1024)
            for _step in range(erasure_files.ARCHIVE_LIMIT // len(chunk) + 1):
                padding.write(chunk)
    return buffer.getvalue()


def _pdf(text) -> bytes:
    return b"%PDF-1.4\n" + text.encode("latin-1") + b"\n\x00\xff\xfe%%EOF\n"


@pytest.mark.django_db
def test_kept_files_are_listed_for_a_check_by_hand(client, settings, tmp_path, person, coordinator):
    settings.MEDIA_ROOT = str(tmp_path)
    workshop = WorkshopFactory()
    bomb = _upload(workshop, _too_large(), title="Großes Archiv", name="gross.docx")
    bomb.file.open("rb")
    with bomb.file:
        content = bomb.file.read()
    _upload(workshop, _pdf("x"), title="Handout", by=person.user, name="handout.pdf")
    _upload(workshop, _pdf("y"), title=f"Notizen {FULL}", name=f"Notizen {LAST}.pdf")
    _upload(workshop, _pdf("z"), title="Lageplan", name="lageplan.pdf")

    client.force_login(coordinator)
    page = client.post(reverse("participation:person_erase", args=[person.pk]), follow=True)

    bomb.file.open("rb")
    with bomb.file:
        assert bomb.file.read() == content  # left as it was
    html = page.content.decode()
    assert page.status_code == 200
    listed = html.split('class="kern-list kern-list--bullet erasure-files-to-check"')[1]
    listed = listed.split("</ul>")[0]
    with translation.override("de"):
        too_large, uploaded = (str(erasure_files.REASONS[key]) for key in ("too_large", "uploaded"))
    assert f"Großes Archiv</a> (gross.docx) – {too_large}" in listed
    assert f"Handout</a> (handout.pdf) – {uploaded}" in listed
    assert f"Notizen {escape(ROLE)}</a> (Notizen {escape(ROLE)}.pdf)" in listed
    assert "Lageplan" not in listed and LAST not in html
    assert workshop.get_absolute_url() in listed


@pytest.mark.django_db
def test_the_api_answer_lists_the_files_to_check(settings, tmp_path, person, coordinator):
    settings.MEDIA_ROOT = str(tmp_path)
    workshop = WorkshopFactory()
    _upload(workshop, _pdf("x"), title="Handout", by=person.user, name="handout.pdf")
    api = APIClient()
    api.force_login(coordinator)

    erased = api.post(f"/api/v1/people/{person.pk}/erase/")

    assert erased.status_code == 200
    assert [(f["title"], f["file_name"]) for f in erased.data["files_to_check"]] == [
        ("Handout", "handout.pdf")
    ]
    schema = api.get("/api/schema/").content.decode()
    assert "files_to_check" in schema
