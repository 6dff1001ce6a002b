"""The REST API /api/v1/: its schema and its documentation page."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

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
