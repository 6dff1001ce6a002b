"""The error pages with DEBUG off: the site's look, the reader's language, the right status,
no technical detail and no echo of the address, and ways on (home, accessibility contact).
The 500 page renders even when the database cannot be reached."""

import re

import pytest
from django.test import Client

from tests.test_outages import database_down

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]

WAYS_ON = ['href="/"', 'href="/barrierefreiheit/"', 'href="/impressum/"']


def browser(language="de", **options):
    # The test client re-raises a view's exception by default; a browser sees the response.
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language, **options)


def assert_error_page(response, status, *, language, heading, secrets=()):
    text = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in text
    assert f">{heading}</h1>" in text
    assert 'class="kern-alert' in text
    for link in WAYS_ON:
        assert link in text
    # What a reader sees: the text without tags (the language switch may carry the address
    # back to this page in a hidden, escaped field; the page never shows it).
    visible = re.sub(r"<[^>]*>", " ", text)
    for secret in ("Traceback", "Exception", "Server Error", *secrets):
        assert secret not in visible
    assert "<script>alert" not in text


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Seite nicht gefunden"), ("en", "Page not found")]
)
def test_404_in_the_readers_language_without_echoing_the_address(settings, language, heading):
    assert settings.DEBUG is False
    response = browser(language).get("/gibt-es-nicht/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert_error_page(
        response, 404, language=language, heading=heading, secrets=["gibt-es-nicht", "alert(1)"]
    )


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Zugriff verweigert"), ("en", "Access denied")]
)
def test_403_in_the_readers_language_without_the_reason(language, heading):
    response = browser(language).get("/test-forbidden/")
    assert_error_page(response, 403, language=language, heading=heading, secrets=["Regel 42"])


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Ein Fehler ist aufgetreten"), ("en", "Something went wrong")]
)
def test_500_in_the_readers_language_without_the_exception(language, heading):
    response = browser(language).get("/test-broken/")
    assert_error_page(
        response, 500, language=language, heading=heading, secrets=["RuntimeError", "secret.py"]
    )
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_500_renders_with_the_database_unreachable():
    with database_down():
        response = browser("de").get("/test-broken/")
    assert_error_page(
        response, 500, language="de", heading="Ein Fehler ist aufgetreten", secrets=["secret.py"]
    )
    assert "Impressum" in response.content.decode()  # the frame's footer, from no database


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_stale_form_answers_403_in_the_sites_look_with_a_clear_sentence(language):
    response = browser(language, enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "a@example.org", "password": "x"}
    )
    sentence = {
        "de": "Die Seite war zu lange offen oder Ihr Browser blockiert Cookies",
        "en": "The page was open for too long, or your browser blocks cookies",
    }[language]
    heading = {"de": "Das Formular ist abgelaufen", "en": "The form has expired"}[language]
    assert_error_page(response, 403, language=language, heading=heading, secrets=["CSRF token"])
    assert sentence in response.content.decode()
