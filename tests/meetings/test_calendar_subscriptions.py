"""A person's subscribable calendar: the secret address (shown once, stored hashed) gives
the meetings of their bodies without a session, as a feed a calendar program expands to the
platform's dates; per body too. A revoked or rotated address answers 404, as does a body
the person does not sit in. The same over the API."""

import hashlib
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import calendar_subscriptions, services
from meetings.models import CalendarSubscription

from .conftest import make_series
from .test_api import api
from .test_feed import expanded, platform_dates

pytestmark = pytest.mark.django_db

URL = re.compile(r'value="(https?://[^"]+/meetings/calendar/[A-Za-z0-9_-]{43}\.ics)"')


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def other_series(other_body, coordinator, clock):
    return make_series(other_body, actor=coordinator, code="ARGE", title="Quartalsgespräch")


def test_member_creates_an_address_shown_once_and_the_feed_works_without_session(
    series, other_series, client, member, coordinator
):
    client.force_login(member)
    page = client.post(reverse("meetings:calendar_subscribe")).content.decode()
    url = URL.search(page).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    # Stored hashed only, and not shown again.
    stored = CalendarSubscription.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get(reverse("meetings:calendar_subscribe")).content.decode()
    client.logout()

    # A moved meeting shows in the feed as on the platform.
    meetings = list(series.meetings.order_by("start"))
    services.cancel_meeting(meetings[1], actor=coordinator)
    response = client.get(_path(url))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert expanded(ics) == platform_dates(series)
    assert "Quartalsgespräch" not in ics  # not the member's body

    body_url = reverse("meetings:person_body_calendar", args=[token, series.body_id])
    assert expanded(client.get(body_url).content.decode()) == platform_dates(series)
    other_url = reverse("meetings:person_body_calendar", args=[token, other_series.body_id])
    assert client.get(other_url).status_code == 404


def test_coordinator_feed_covers_every_body(series, other_series, coordinator, client):
    _subscription, raw = calendar_subscriptions.create(coordinator, actor=coordinator)
    ics = client.get(reverse("meetings:person_calendar", args=[raw])).content.decode()
    assert sorted(expanded(ics)) == sorted(platform_dates(series) + platform_dates(other_series))


def test_rotated_and_revoked_addresses_answer_404(series, client, member):
    _first, old = calendar_subscriptions.create(member, actor=member)
    _second, new = calendar_subscriptions.create(member, actor=member)
    assert client.get(reverse("meetings:person_calendar", args=[old])).status_code == 404
    assert client.get(reverse("meetings:person_calendar", args=[new])).status_code == 200
    client.force_login(member)
    response = client.post(reverse("meetings:calendar_revoke"), follow=True)
    assert "Ihre Kalenderadresse ist widerrufen" in response.content.decode()
    client.logout()
    assert client.get(reverse("meetings:person_calendar", args=[new])).status_code == 404
    assert client.get(reverse("meetings:person_calendar", args=["x" * 43])).status_code == 404


def test_an_inactive_account_loses_its_feed(series, client, member):
    _subscription, raw = calendar_subscriptions.create(member, actor=member)
    member.is_active = False
    member.save()
    assert client.get(reverse("meetings:person_calendar", args=[raw])).status_code == 404


def test_subscription_over_the_api(series, client, member):
    url = "/api/v1/meeting-calendar-subscription/"
    assert api(member).get(url).json() == {"active": False, "created_at": None}
    assert api(member).delete(url).status_code == 404
    created = api(member).post(url)
    assert created.status_code == 201
    data = created.json()
    assert [entry["body"] for entry in data["bodies"]] == [series.body_id]
    assert client.get(_path(data["url"])).status_code == 200
    assert api(member).get(url).json()["active"] is True
    assert api(member).delete(url).status_code == 204
    assert client.get(_path(data["url"])).status_code == 404
    assert APIClient().post(url).status_code in (401, 403)
