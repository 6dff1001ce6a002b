"""The REST API /api/v1/: its schema and its documentation page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from participation.api.schema import SchemaView
from tests.api_support import RESOURCES

pytestmark = pytest.mark.django_db


def test_schema_endpoint_lists_all_paths(client):
    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/memberships/{id}/end/" in paths
    assert "/api/v1/body-memberships/{id}/end/" in paths
    assert "/api/v1/me/" in paths
    assert "delete" not in paths["/api/v1/organisations/{id}/"]


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert "/api/v1/people/" in (tmp_path / "schema.yml").read_text()


def test_docs_page_served_from_sidecar_without_cdn(client):
    response = client.get(reverse("api-docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"https?://[^\"'\s]*cdn", html)
    # Every script is loaded from a URL, none inline, so a strict CSP can hold.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_docs_script_is_served(client):
    response = client.get(reverse("api-docs"), {"script": ""})

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()


def test_docs_script_sends_nothing_off_site(client):
    script = client.get(reverse("api-docs"), {"script": ""}).content.decode()

    assert '"validatorUrl": null' in script
    assert not re.search(r"https?://", script)


GERMAN_HELP = "Die Sprache, in der die Nachricht verfasst ist (ihre Content-Language)."
ENGLISH_HELP = "The language the message is written in (its Content-Language)."


@pytest.fixture
def builds(monkeypatch):
    """How often the schema is generated: the view's generator, counting its calls."""
    calls = []

    class CountingGenerator(SchemaView.generator_class):
        def get_schema(self, *args, **kwargs):
            calls.append(1)
            return super().get_schema(*args, **kwargs)

    monkeypatch.setattr(SchemaView, "generator_class", CountingGenerator)
    SchemaView.forget()
    yield calls
    SchemaView.forget()


def test_the_schema_is_built_once_per_language_and_format_and_served_alike(builds, coordinator):
    anonymous = APIClient()
    first = anonymous.get("/api/schema/", {"format": "json"})
    again = anonymous.get("/api/schema/", {"format": "json"})
    signed_in = APIClient()
    signed_in.force_login(coordinator)
    as_coordinator = signed_in.get("/api/schema/", {"format": "json"})

    assert len(builds) == 1
    assert first.status_code == again.status_code == 200
    assert first.content == again.content == as_coordinator.content
    assert first["Content-Type"] == again["Content-Type"]
    assert first["Content-Disposition"] == 'inline; filename="mitplanen API.json"'
    assert GERMAN_HELP in first.content.decode()

    yaml = [anonymous.get("/api/schema/", {"format": "yaml"}) for _ in range(2)]
    assert len(builds) == 2
    assert yaml[0].content == yaml[1].content
    assert yaml[0].content.startswith(b"openapi: 3")

    english = [anonymous.get("/api/schema/", {"format": "json", "lang": "en"}) for _ in "12"]
    assert len(builds) == 3
    assert english[0].content == english[1].content
    assert ENGLISH_HELP in english[0].content.decode()

    # Neither an unknown language nor a version makes another build.
    unknown = anonymous.get("/api/schema/", {"format": "json", "lang": "xx", "version": "9"})
    assert unknown.content == first.content
    assert len(builds) == 3
