"""A document for an agenda item while the storage cannot write (a real failed write, see
tests/outage_support.py): the coordinator gets the form again with a clear, translated
error and the title kept; no document record, no partial file; the API answers 400 with
the same reason; once there is room again the same upload works."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import minutes
from meetings.models import AgendaDocument
from tests.outage_support import storage_that_cannot_write

pytestmark = pytest.mark.django_db

BIG_PDF = b"%PDF-1.7\n" + b"%" * (300 * 1024)
REASON = "Die Datei konnte nicht gespeichert werden"


@pytest.fixture
def item(series):
    meeting = series.meetings.order_by("start")[0]
    minutes.ensure_agenda(meeting)
    return minutes.agenda(meeting)[0]


def files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_with_the_storage_full_a_document_is_refused_clearly_and_nothing_half_saved(
    item, client, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    url = reverse("meetings:agenda_document", args=[item.pk])

    def post():
        pdf = SimpleUploadedFile("vorlage.pdf", BIG_PDF, content_type="application/pdf")
        return client.post(url, {"title": "Vorlage Kita-Planung", "file": pdf})

    def post_api():
        pdf = SimpleUploadedFile("vorlage.pdf", BIG_PDF, content_type="application/pdf")
        return client.post(f"/api/v1/agenda-items/{item.pk}/documents/", {"file": pdf})

    with storage_that_cannot_write():
        refused = post()
        refused_api = post_api()
        still_there = client.get(url)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert REASON in page
    assert 'value="Vorlage Kita-Planung"' in page  # what was typed is kept
    assert refused_api.status_code == 400
    assert REASON in str(refused_api.json())
    assert still_there.status_code == 200
    assert not AgendaDocument.objects.exists()
    assert files(tmp_path) == []

    assert post().status_code == 302
    [stored] = files(tmp_path)
    assert stored.read_bytes() == BIG_PDF
    assert AgendaDocument.objects.get().file.name == str(stored.relative_to(tmp_path))
