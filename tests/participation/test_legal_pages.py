"""The imprint, privacy notice and accessibility statement: public in the reader's language,
sanitised Markdown, edited by coordinators only (with an audit entry), and the same over the
API."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from participation.models import LegalPage
from participation.services import save_legal_page
from tests.factories import member_of

pytestmark = pytest.mark.django_db

PAGES = {
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "accessibility": "/barrierefreiheit/",
}


@pytest.fixture
def imprint(coordinator):
    return save_legal_page(
        LegalPage(
            kind="imprint",
            body_de="## Angaben gemäß § 5 DDG\n\nRhein-Sieg-Kreis\nKaiser-Wilhelm-Platz 1",
            body_en="## Information under § 5 DDG\n\nRhein-Sieg County",
        ),
        actor=coordinator,
    )


def test_legal_pages_are_public_with_footer_links_on_every_page(client):
    for kind, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, kind
        text = response.content.decode()
        assert "Diese Seite ist noch nicht verfasst." in text
    footer = client.get("/accounts/login/").content.decode()
    for label, url in [("Impressum", "/impressum/"), ("Datenschutz", "/datenschutz/")]:
        assert f'href="{url}">{label}</a>' in footer
    assert 'href="/barrierefreiheit/">Barrierefreiheit</a>' in footer


def test_the_page_shows_german_by_default_and_english_to_english_readers(client, imprint):
    german = client.get("/impressum/").content.decode()
    assert '<html lang="de">' in german
    assert "<h1" in german and "Impressum</h1>" in german
    assert "<h2>Angaben gemäß § 5 DDG</h2>" in german
    assert "Rhein-Sieg-Kreis<br>" in german  # an address keeps its lines

    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/impressum/").content.decode()
    assert '<html lang="en">' in english
    assert "Imprint</h1>" in english
    assert "<h2>Information under § 5 DDG</h2>" in english
    assert "available in German only" not in english


def test_english_readers_get_the_german_text_with_a_note_when_there_is_no_english_one(client):
    save_legal_page(LegalPage(kind="privacy", body_de="## Verantwortliche Stelle"), actor=None)
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/datenschutz/").content.decode()
    assert "Privacy notice</h1>" in english
    assert "This text is available in German only." in english
    assert '<div class="legal-text" lang="de"><h2>Verantwortliche Stelle</h2>' in english


def test_the_page_is_never_cached_for_another_language_or_reader(client, imprint):
    response = client.get("/impressum/")
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert response["Content-Language"] == "de"


def test_markdown_in_the_text_is_sanitised(client, coordinator):
    save_legal_page(
        LegalPage(
            kind="imprint",
            body_de=(
                "Hallo <script>alert('x')</script> [böse](javascript:alert(1)) "
                '<a href="javascript:alert(2)">roh</a> <img src=x onerror="alert(3)"> '
                "[gut](https://www.rhein-sieg-kreis.de)"
            ),
        ),
        actor=coordinator,
    )
    text = client.get("/impressum/").content.decode()
    main = text.split('<div class="legal-text"')[1].split("</div>")[0]
    assert "<script" not in main
    assert "javascript:" not in main
    assert "onerror" not in main and "<img" not in main
    assert 'href="https://www.rhein-sieg-kreis.de"' in main


def test_a_coordinator_edits_the_imprint_with_an_audit_entry(client, coordinator, imprint):
    client.force_login(coordinator)
    page = client.get("/legal-pages/imprint/edit/")
    assert page.status_code == 200
    assert "Impressum bearbeiten" in page.content.decode()

    preview = client.post(
        "/legal-pages/imprint/edit/",
        {"body_de": "## Neu\n\n**fett**", "body_en": "", "action": "preview"},
    )
    assert "<h4>Neu</h4>" in preview.content.decode()
    assert "<strong>fett</strong>" in preview.content.decode()
    imprint.refresh_from_db()
    assert imprint.body_de.startswith("## Angaben")  # a preview saves nothing

    response = client.post(
        "/legal-pages/imprint/edit/",
        {"body_de": "## Neu\n\nGeänderter Text", "body_en": "Changed", "action": "save"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/impressum/"
    assert "Impressum gespeichert und veröffentlicht." in response.content.decode()
    assert "Geänderter Text" in response.content.decode()
    imprint.refresh_from_db()
    assert imprint.updated_by == coordinator
    entry = LogEntry.objects.get_for_object(imprint).order_by("-timestamp").first()
    assert entry.actor == coordinator
    assert entry.changes_dict["body_de"][1] == "## Neu\n\nGeänderter Text"


def test_a_new_page_is_created_by_its_first_save(client, coordinator):
    client.force_login(coordinator)
    client.post(
        "/legal-pages/accessibility/edit/",
        {"body_de": "## Stand der Vereinbarkeit", "body_en": "", "action": "save"},
    )
    assert LegalPage.objects.get(kind="accessibility").body_de == "## Stand der Vereinbarkeit"
    assert client.get("/legal-pages/unknown/edit/").status_code == 404


def test_an_empty_german_text_is_refused_with_a_translated_error(client, coordinator, imprint):
    client.force_login(coordinator)
    response = client.post(
        "/legal-pages/imprint/edit/",
        {"body_de": "   ", "body_en": "Only English", "action": "save"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte korrigieren Sie" in text or "kern-alert--danger" in text
    assert "Dieses Feld ist zwingend erforderlich." in text
    assert 'aria-invalid="true"' in text
    imprint.refresh_from_db()
    assert imprint.body_en.startswith("## Information")

    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(coordinator)
    response = english.post(
        "/legal-pages/imprint/edit/", {"body_de": "x" * 60_001, "body_en": "", "action": "save"}
    )
    assert "Ensure this value has at most 60000 characters" in response.content.decode()
    imprint.refresh_from_db()
    assert imprint.body_de.startswith("## Angaben")


def test_the_model_rule_for_the_german_text_is_translated():
    page = LegalPage(kind="imprint", body_de="  ")
    with pytest.raises(Exception) as refused:
        save_legal_page(page, actor=None)
    assert "Bitte schreiben Sie den deutschen Text" in str(refused.value)


def test_members_and_anonymous_visitors_cannot_edit(client, member, imprint):
    anonymous = client.get("/legal-pages/imprint/edit/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(member)
    assert client.get("/legal-pages/imprint/edit/").status_code == 404
    response = client.post(
        "/legal-pages/imprint/edit/", {"body_de": "Gekapert", "body_en": "", "action": "save"}
    )
    assert response.status_code == 404
    imprint.refresh_from_db()
    assert imprint.body_de.startswith("## Angaben")
    assert "bearbeiten" not in client.get("/impressum/").content.decode()


def test_a_coordinator_without_totp_can_still_read_the_legal_pages(client, county_office):
    coordinator = member_of(county_office, is_coordinator=True)
    client.force_login(coordinator)
    assert client.get("/barrierefreiheit/").status_code == 200
    assert client.get("/legal-pages/imprint/edit/").status_code == 302  # to the 2FA set-up


# --- API -----------------------------------------------------------------------------------


def test_the_api_reads_the_legal_pages_without_credentials(imprint):
    api = APIClient()
    listing = api.get("/api/v1/legal-pages/")
    assert listing.status_code == 200
    assert [page["kind"] for page in listing.json()] == ["imprint", "privacy", "accessibility"]
    detail = api.get("/api/v1/legal-pages/imprint/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert detail["title"] == "Impressum"
    assert detail["body_de"].startswith("## Angaben")
    assert detail["url"].endswith("/impressum/")
    assert api.get("/api/v1/legal-pages/unknown/").status_code == 404


def test_only_coordinators_change_the_legal_pages_over_the_api(coordinator, member, imprint):
    api = APIClient()
    assert api.put("/api/v1/legal-pages/imprint/", {"body_de": "x"}).status_code == 401
    api.force_authenticate(member)
    assert api.patch("/api/v1/legal-pages/imprint/", {"body_de": "x"}).status_code == 403
    imprint.refresh_from_db()
    assert imprint.body_de.startswith("## Angaben")

    api.force_authenticate(coordinator)
    refused = api.patch("/api/v1/legal-pages/imprint/", {"body_de": " "}, format="json")
    assert refused.status_code == 400 and "body_de" in refused.json()
    response = api.put(
        "/api/v1/legal-pages/imprint/",
        {"body_de": "## Über die API", "body_en": "## Via the API"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["body_de"] == "## Über die API"
    imprint.refresh_from_db()
    assert imprint.updated_by == coordinator
    assert LogEntry.objects.get_for_object(imprint).filter(actor=coordinator).count() == 2


def test_the_legal_pages_are_in_the_api_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "/api/v1/legal-pages/" in paths
    assert {"get", "put", "patch"} <= set(paths["/api/v1/legal-pages/{kind}/"])


# --- demo ----------------------------------------------------------------------------------


def test_the_demo_seeds_the_three_pages_once_and_keeps_edits(coordinator):
    call_command("seed_demo", stdout=StringIO())
    assert LegalPage.objects.count() == 3
    statement = LegalPage.objects.get(kind="accessibility")
    assert "Ombudsstelle für barrierefreie Informationstechnik" in statement.body_de
    assert "Kaiser-Wilhelm-Platz 1, 53721 Siegburg" in statement.body_de
    assert "(Demo)" in statement.body_de
    statement.body_de = "Geändert"
    save_legal_page(statement, actor=coordinator)
    call_command("seed_demo", stdout=StringIO())
    assert LegalPage.objects.count() == 3
    assert LegalPage.objects.get(kind="accessibility").body_de == "Geändert"
