"""Files answering questions: checked by content before storing, stored outside any served
URL, downloaded only by those who may read the response, kept when replaced; and the
printable view of one organisation's response."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from surveys import services
from surveys.models import Answer, AnswerChange, Question
from surveys.uploads import UploadSizeLimit
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory, member_of
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def build_survey(coordinator, audience):
    survey = SurveyFactory(title="Fachplanungen", actor=coordinator, audience=audience)
    documents = SectionFactory(version=survey.draft_version, position=1, title="Unterlagen")
    QuestionFactory(
        section=documents,
        position=1,
        key="report",
        kind="file",
        text="Laden Sie die Fachplanung hoch.",
        config={"max_size_mb": 1, "types": ["pdf"]},
    )
    QuestionFactory(
        section=documents, position=2, key="notes", kind="long_text", text="Anmerkungen"
    )
    details = SectionFactory(version=survey.draft_version, position=2, title="Details")
    QuestionFactory(
        section=details,
        position=1,
        key="rating",
        kind="matrix",
        text="Wie bewerten Sie die Angebote?",
        config={
            "rows": [{"value": "kita", "label": "Kita"}, {"value": "jugend", "label": "Jugend"}],
            "columns": [{"value": "gut", "label": "Gut"}, {"value": "schlecht", "label": "Mau"}],
        },
    )
    QuestionFactory(
        section=details,
        position=2,
        key="plans",
        kind="table",
        text="Welche Planungen gibt es?",
        config={
            "columns": [
                {"key": "title", "label": "Planung", "kind": "short_text"},
                {"key": "year", "label": "Jahr", "kind": "integer"},
            ]
        },
    )
    QuestionFactory(
        section=details, position=3, key="has_office", kind="yes_no", text="Gibt es ein Amt?"
    )
    QuestionFactory(
        section=details,
        position=4,
        key="office_name",
        kind="short_text",
        text="Wie heißt das Amt?",
        condition={"question": "has_office", "equals": "yes"},
    )
    services.publish(survey, actor=coordinator)
    return survey


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def english(client):
    # New messages are English until translated; the tests read them in English.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield
    translation.deactivate()  # the locale middleware leaves English active for later tests


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org):
    return services.response_for(survey, own_org)


@pytest.fixture
def colleague(own_org):
    """Also belongs to own_org."""
    return member_of(own_org)


def file_url(response, key="report"):
    return reverse("surveys:answer_file", args=[response.pk, key])


def upload(client, response, content, name="Fachplanung 2025.pdf", revision=0, key="report"):
    data = {
        f"q-{key}": SimpleUploadedFile(name, content, content_type="application/pdf"),
        f"q-{key}-revision": revision,
        "upload": key,
    }
    return client.post(file_url(response, key), data)


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def downloaded(result):
    return b"".join(result.streaming_content)


def report_answer(response):
    return Answer.objects.filter(response=response, question__key="report").first()


def test_pdf_is_stored_outside_any_url_and_downloads_for_colleague_and_coordinator(
    client, member, colleague, coordinator, response, media_root, settings
):
    client.force_login(member)
    result = upload(client, response, PDF)
    section = Question.objects.get(section__version=response.version, key="report").section_id
    assert result.status_code == 302
    assert result["Location"].endswith(f"?section={section}#question-report")

    value = report_answer(response).value
    assert value["name"] == "Fachplanung 2025.pdf"
    assert value["size"] == len(PDF) and value["content_type"] == "application/pdf"
    key = value["storage_key"]
    assert re.fullmatch(rf"survey-uploads/{response.survey_id}/{response.pk}/[0-9a-f]{{32}}", key)
    [path] = stored_files(media_root)
    assert path == media_root / key and path.read_bytes() == PDF
    assert client.get(settings.MEDIA_URL + key).status_code == 404

    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert f'href="{file_url(response)}"' in page and "Fachplanung 2025.pdf" in page

    for reader in (colleague, coordinator):
        client.force_login(reader)
        result = client.get(file_url(response))
        assert result.status_code == 200
        assert downloaded(result) == PDF
        assert result["Content-Type"] == "application/pdf"
        assert result["Content-Disposition"] == 'attachment; filename="Fachplanung 2025.pdf"'
        assert result["X-Content-Type-Options"] == "nosniff"


def test_file_keeps_the_name_with_quotes_as_given(client, member, response, media_root):
    client.force_login(member)
    # A browser sends a file name's quotes as %22 (HTML's multipart/form-data encoding).
    upload(client, response, PDF, name="Plan %22Sozialräume%22.pdf")

    assert report_answer(response).value["name"] == 'Plan "Sozialräume".pdf'
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert "Plan &quot;Sozialräume&quot;.pdf" in page
    result = client.get(file_url(response))
    assert result["Content-Disposition"] == (
        "attachment; filename*=utf-8''Plan%20%22Sozialr%C3%A4ume%22.pdf"
    )


def test_exe_renamed_pdf_is_refused_and_nothing_stored(client, member, response, media_root):
    client.force_login(member)
    result = upload(client, response, EXE, name="bericht.pdf")
    assert result.status_code == 400
    assert "The content of this file does not match its type (PDF)." in result.content.decode()
    assert stored_files(media_root) == []
    assert report_answer(response) is None


def test_oversized_upload_is_refused_naming_the_limit(client, member, response, media_root):
    client.force_login(member)
    big = PDF + b"0" * (1024 * 1024 + 100 * 1024)  # 1.1 MB, the question takes 1 MB
    result = upload(client, response, big)
    assert result.status_code == 400
    assert "The file is larger than 1 MB." in result.content.decode()
    assert stored_files(media_root) == []
    assert report_answer(response) is None


def test_a_request_too_large_for_any_upload_is_refused_unread(client, member, response):
    client.force_login(member)
    result = client.post(
        file_url(response), {"upload": "report"}, CONTENT_LENGTH=str(500 * 1024 * 1024)
    )
    assert result.status_code == 400
    assert "The file is larger than 1 MB." in result.content.decode()
    assert report_answer(response) is None


def test_the_size_guard_reads_only_the_questions_file_and_stops_at_the_limit():
    guard = UploadSizeLimit("q-report", 10)
    guard.new_file("q-report", "a.pdf", "application/pdf", None)
    assert guard.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(SkipFile):
        guard.receive_data_chunk(b"123456", 5)
    assert guard.exceeded
    with pytest.raises(SkipFile):
        UploadSizeLimit("q-report", 10).new_file("q-other", "b.pdf", "application/pdf", None)


def test_upload_without_the_csrf_token_is_refused(member, response, media_root):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    assert upload(client, response, PDF).status_code == 403
    assert stored_files(media_root) == []
    assert report_answer(response) is None


def test_other_municipality_gets_404_for_upload_and_download(
    client, member, outsider, response, media_root
):
    client.force_login(member)
    upload(client, response, PDF)
    client.force_login(outsider)
    assert client.get(file_url(response)).status_code == 404
    assert upload(client, response, PDF, name="fremd.pdf", revision=1).status_code == 404
    assert len(stored_files(media_root)) == 1
    assert report_answer(response).value["name"] == "Fachplanung 2025.pdf"


def test_coordinator_cannot_upload_for_a_municipality(client, coordinator, response, media_root):
    client.force_login(coordinator)
    assert upload(client, response, PDF).status_code == 404
    assert stored_files(media_root) == []
    assert report_answer(response) is None


def test_replacing_a_file_keeps_the_old_one_retrievable(
    client, member, colleague, coordinator, response, media_root
):
    client.force_login(member)
    upload(client, response, PDF, name="alt.pdf")
    new_pdf = PDF.replace(b"/Count 0", b"/Count 00")
    client.force_login(colleague)
    assert upload(client, response, new_pdf, name="neu.pdf", revision=1).status_code == 302

    answer = report_answer(response)
    assert answer.value["name"] == "neu.pdf" and answer.revision == 2
    change = AnswerChange.objects.get(answer=answer, revision=2)
    assert change.old_value["name"] == "alt.pdf"
    assert default_storage.exists(change.old_value["storage_key"])
    assert len(stored_files(media_root)) == 2

    client.force_login(coordinator)
    assert downloaded(client.get(file_url(response))) == new_pdf
    old = client.get(file_url(response), {"revision": 1})
    assert downloaded(old) == PDF and 'filename="alt.pdf"' in old["Content-Disposition"]
    assert client.get(file_url(response), {"revision": 7}).status_code == 404


def test_upload_from_an_old_revision_is_a_conflict_and_its_file_removed(
    client, member, colleague, response, media_root
):
    client.force_login(member)
    upload(client, response, PDF, name="erste.pdf")
    client.force_login(colleague)
    result = upload(client, response, PDF, name="zweite.pdf", revision=0)
    assert result.status_code == 400
    page = result.content.decode()
    assert "Someone else saved the file “erste.pdf” for this question" in page
    assert report_answer(response).value["name"] == "erste.pdf"
    assert len(stored_files(media_root)) == 1


def test_forged_storage_key_is_not_served(
    client, member, outsider, survey, response, other_org, media_root
):
    theirs = services.response_for(survey, other_org)
    client.force_login(outsider)
    upload(client, theirs, PDF, name="intern.pdf")
    their_key = report_answer(theirs).value["storage_key"]
    question = Question.objects.get(section__version=response.version, key="report")
    forged = {"name": "x.pdf", "size": 1, "content_type": "application/pdf"}
    client.force_login(member)
    for revision, key in enumerate([their_key, "../../../etc/passwd", "survey-uploads/x"]):
        services.save_answer(
            response, question, forged | {"storage_key": key}, actor=member, base_revision=revision
        )
        assert client.get(file_url(response)).status_code == 404


def test_no_upload_once_submitted(client, member, response, media_root):
    services.submit_response(response, actor=member)
    client.force_login(member)
    result = upload(client, response, PDF)
    assert result.status_code == 400
    assert "This response has been submitted" in result.content.decode()
    assert stored_files(media_root) == []


def test_enter_in_a_text_field_through_the_upload_button_saves_the_section(
    client, member, response, media_root
):
    # The upload button is the section form's first submit button, so Enter uses it.
    client.force_login(member)
    data = {"q-notes": "Per Enter gespeichert", "q-notes-revision": 0, "upload": "report"}
    result = client.post(file_url(response), data)
    assert result.status_code == 302
    assert Answer.objects.get(response=response, question__key="notes").value == (
        "Per Enter gespeichert"
    )
    assert report_answer(response) is None


def test_response_page_offers_the_upload_button_and_the_print_view(client, member, response):
    client.force_login(member)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert f'formaction="{file_url(response)}"' in page
    assert 'formenctype="multipart/form-data"' in page
    assert f'href="{reverse("surveys:response_print", args=[response.pk])}"' in page


def test_print_view_shows_every_visible_answer_and_404s_for_another_municipality(
    client, member, outsider, coordinator, response
):
    version = response.version

    def answer(key, value):
        question = Question.objects.get(section__version=version, key=key)
        services.save_answer(response, question, value, actor=member, base_revision=0)

    client.force_login(member)
    upload(client, response, PDF)
    answer("notes", "Zeile eins\nZeile zwei")
    answer("rating", {"kita": "gut", "jugend": "schlecht"})
    answer("plans", [{"title": "Kita-Bedarfsplan", "year": "2024"}, {"title": "Jugendhilfe"}])
    answer("has_office", "no")
    services.submit_response(response, actor=member)

    url = reverse("surveys:response_print", args=[response.pk])
    page = client.get(url).content.decode()
    assert "Stadt Siegburg" in page and "Submitted" in page
    assert member.person.full_name in page
    assert f'href="{file_url(response)}">Fachplanung 2025.pdf</a>' in page
    assert "Zeile eins<br>Zeile zwei" in page
    assert re.search(r'<th scope="row"[^>]*>Kita</th><td[^>]*>Gut</td>', page)
    assert re.search(r'<th scope="row"[^>]*>Jugend</th><td[^>]*>Mau</td>', page)
    assert re.search(r"<td[^>]*>Kita-Bedarfsplan</td><td[^>]*>2024</td>", page)
    assert re.search(r"<td[^>]*>Jugendhilfe</td><td[^>]*>–</td>", page)
    assert "Gibt es ein Amt?" in page and '<p class="print-answer">No</p>' in page
    assert "Wie heißt das Amt?" not in page  # hidden: the office question was answered no
    assert page.count("Last changed by") == 5

    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_member_uploads_a_file_in_the_browser_and_prints_the_response(
    page, live_server, coordinator, member, own_org, tmp_path
):
    survey = build_survey(coordinator, audience=[own_org])
    response = services.response_for(survey, own_org)
    document = tmp_path / "upload" / "Fachplanung 2025.pdf"
    document.parent.mkdir()
    document.write_bytes(PDF)
    sign_in(page, live_server, member)
    # New messages are English until translated.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )

    page.goto(f"{live_server.url}{response.get_absolute_url()}")
    notes = page.locator("#question-notes").get_by_role("textbox")
    notes.fill("Vor dem Hochladen getippt")
    notes.press("Tab")
    expect(page.locator("#question-notes .answer-meta")).to_contain_text(member.person.full_name)
    question = page.locator("#question-report")
    question.get_by_label("Laden Sie die Fachplanung hoch.").set_input_files(document)
    question.get_by_role("button", name=re.compile(r"^Upload the file")).click()
    expect(page.locator(".message-success")).to_contain_text("Fachplanung 2025.pdf")
    link = page.locator("#question-report").get_by_role("link", name="Fachplanung 2025.pdf")
    expect(link).to_be_visible()
    expect(page.locator("#question-notes").get_by_role("textbox")).to_have_value(
        "Vor dem Hochladen getippt"
    )
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Fachplanung 2025.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    question = page.locator("#question-report")
    question.get_by_label("Laden Sie die Fachplanung hoch.").set_input_files(
        {"name": "virus.pdf", "mimeType": "application/pdf", "buffer": EXE}
    )
    question.get_by_role("button", name=re.compile(r"^Upload the file")).click()
    expect(page.locator("#q-report-error")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Print view").click()
    expect(page.locator("h1")).to_have_text(survey.title)
    expect(page.get_by_text("Vor dem Hochladen getippt")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-hide")).to_be_hidden()
