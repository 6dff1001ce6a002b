"""A form over Django's limits (too many files, too many fields, too much data) is answered
with a translated message naming the limit, on a page or, for the API, as JSON; nothing
changes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from participation.models import Organisation
from tests.factories import WorkshopFactory
from workshops.models import Document

pytestmark = pytest.mark.django_db


def files(count):
    return [SimpleUploadedFile(f"scan-{n}.pdf", b"%PDF-1.4 x") for n in range(count)]


def browser_client(user, language=None):
    """Signed in, with the CSRF check on and a valid token, as a browser posts."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    client.get(reverse("participation:organisation_create"))
    return client, client.cookies["csrftoken"].value


def text(response):
    return response.content.decode()


def test_500_files_in_one_request_get_a_page_naming_the_limit(coordinator):
    client, token = browser_client(coordinator)
    response = client.post(
        reverse("participation:organisation_create"),
        {"csrfmiddlewaretoken": token, "name": "Neu", "kind": "other", "file": files(500)},
    )
    assert response.status_code == 400
    assert (
        "Es wurden zu viele Dateien auf einmal gesendet. Höchstens 100 Dateien können "
        "gesendet werden." in text(response)
    )
    assert re.search(r"<h1[^>]*>Nicht gesendet</h1>", text(response))
    assert not Organisation.objects.filter(name="Neu").exists()


def test_too_many_fields_in_english(coordinator):
    client, token = browser_client(coordinator, language="en")
    data = {"csrfmiddlewaretoken": token, **{f"field{n}": "x" for n in range(1001)}}
    response = client.post(reverse("participation:organisation_create"), data)
    assert response.status_code == 400
    assert "Too many fields were sent at once. At most 1000 fields can be sent." in text(response)


def test_too_much_form_data_is_413_naming_the_size(coordinator):
    client, token = browser_client(coordinator, language="en")
    body = f"csrfmiddlewaretoken={token}&name=" + "x" * (3 * 1024 * 1024)
    response = client.post(
        reverse("participation:organisation_create"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "At most 2.5\xa0MB can be sent (files not counted)." in text(response)


def test_an_upload_view_that_reads_its_form_itself_answers_the_same(coordinator):
    # The documents page checks the CSRF token only after it has set up its upload limit,
    # so its form is read inside the view.
    workshop = WorkshopFactory()
    client, token = browser_client(coordinator, language="en")
    response = client.post(
        reverse("workshops:documents", args=[workshop.pk]),
        {"csrfmiddlewaretoken": token, "title": "Scans", "file": files(101)},
    )
    assert response.status_code == 400
    assert "At most 100 files can be sent." in text(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize("signed_in_by", ["session", "token"])
def test_the_api_answers_json_in_drf_style(coordinator, signed_in_by):
    client = APIClient(enforce_csrf_checks=True)
    headers = {}
    if signed_in_by == "session":
        client.force_login(coordinator)
        token = _get_new_csrf_string()
        client.cookies["csrftoken"] = token
        headers["HTTP_X_CSRFTOKEN"] = token
    else:
        client.force_authenticate(coordinator)
    response = client.post(
        reverse("api:organisation-list"),
        {"name": "Neu", "kind": "other", "file": files(101)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Too many files were sent at once. At most 100 files can be sent."
    }
    assert not Organisation.objects.filter(name="Neu").exists()
