"""A file answer while the storage cannot write (a real failed write, see
tests/outage_support.py): the organisation sees a clear, translated error on its response
page, its other answers stay, no answer points at a missing file, no partial file stays,
and the next upload works once there is room again."""

import pytest
from django.urls import reverse

from surveys import services
from tests.outage_support import storage_that_cannot_write

from .test_files import PDF, build_survey, report_answer, stored_files, upload

pytestmark = pytest.mark.django_db

BIG_PDF = PDF + b"%" * (300 * 1024)  # within the question's 1 MB, over the write limit


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_with_the_storage_full_a_file_answer_is_refused_clearly_and_nothing_half_saved(
    client, coordinator, member, own_org, media_root
):
    survey = build_survey(coordinator, audience=[own_org])
    response = services.response_for(survey, own_org)
    notes = response.version.sections.get(position=1).questions.get(key="notes")
    services.save_answer(response, notes, "Bitte beachten", actor=member, base_revision=0)
    client.force_login(member)

    with storage_that_cannot_write():
        refused = upload(client, response, BIG_PDF)
        page = client.get(reverse("surveys:response", args=[response.pk]))

    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Die Datei konnte nicht gespeichert werden" in text
    assert "Bitte beachten" in text  # the other answer is still there
    assert report_answer(response) is None
    assert stored_files(media_root) == []
    assert page.status_code == 200  # the site goes on answering

    assert upload(client, response, BIG_PDF).status_code == 302
    [stored] = stored_files(media_root)
    assert stored.read_bytes() == BIG_PDF
    assert report_answer(response).value["storage_key"] == str(stored.relative_to(media_root))
