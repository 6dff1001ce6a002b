"""Links in mail come from SITE_URL only: a request naming a foreign host (Host or
X-Forwarded-Host) never puts that host into a mail (Host-header poisoning)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from participation.events import audiences
from participation.models import AudienceEntry
from tests.factories import UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://mitplanen.rhein-sieg-kreis.example"
FOREIGN = {"HTTP_HOST": "evil.example", "HTTP_X_FORWARDED_HOST": "evil.example"}


@pytest.fixture(autouse=True)
def site_url():
    cache.clear()
    with override_settings(SITE_URL=SITE_URL):
        yield
    cache.clear()


def links(message):
    bodies = [message.body] + [body for body, _kind in getattr(message, "alternatives", [])]
    return [url for body in bodies for url in re.findall(r"https?://[^\s\"'<>]+", body)]


def assert_links_on_site_url(message):
    found = links(message)
    assert found
    assert all(url.startswith(SITE_URL + "/") or url == SITE_URL for url in found), found
    assert "evil.example" not in message.body


def test_a_password_reset_for_a_foreign_host_links_to_the_site_url(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="anna@kreis.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email}, **FOREIGN)

    assert response.status_code == 302
    [message] = mailoutbox
    assert f"{SITE_URL}/accounts/password/reset/key/" in message.body
    assert_links_on_site_url(message)


def test_an_invitation_sent_from_a_foreign_host_links_to_the_site_url(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Fachworkshop Wohnen")
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.EMAIL, email="gast@example.org"
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workshops:audience_send", args=[workshop.pk]), {"expected": "1"}, **FOREIGN
        )

    assert response.status_code == 302
    [message] = mailoutbox
    assert f"{SITE_URL}/invitation/" in message.body
    assert_links_on_site_url(message)


@override_settings(ALLOWED_HOSTS=["mitplanen.rhein-sieg-kreis.example"])
def test_a_host_not_allowed_is_refused(client, mailoutbox):
    assert settings.USE_X_FORWARDED_HOST is False
    response = client.post(
        reverse("account_reset_password"), {"email": "anna@kreis.example"}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert mailoutbox == []
