"""Redis down and back for the limits counted in it: the personal links' failure limit, the
API's throttle for personal tokens and allauth's sign-in limits. Each fails closed (503
with Retry-After, never "unlimited") while Redis is away, and works again in the same
process once it is back, its limit still counting. Redis as the broker and as the channel
layer: tests/test_outages.py and tests/workshops/live/test_redis_outage.py."""

import time

import pytest
from django.conf import settings
from django.test import override_settings

from participation.events import invitations
from participation.models import BarrierReport, Invitation, OutboundMail, Reply
from tests.factories import WorkshopFactory
from tests.outage_support import browser, cache_on, link_token
from tests.services_support import silent_server

pytestmark = [pytest.mark.services, pytest.mark.django_db]

UNKNOWN_TOKEN = "A" * 43


@pytest.fixture
def invitation_link(mailoutbox, django_capture_on_commit_callbacks):
    """An invitation and the token of its personal link."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite_person(WorkshopFactory(), email="link@extern.example")
    return invitation, link_token(mailoutbox[-1])


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@override_settings(INVITATION_LINK_RATE_LIMIT=2)
def test_with_redis_down_a_personal_link_answers_503_and_opens_once_it_is_back(
    throwaway_redis, invitation_link
):
    invitation, token = invitation_link
    with cache_on(throwaway_redis.url):
        visitor = browser()
        throwaway_redis.stop()
        refused = visitor.get(f"/invitation/{token}/")

        assert_unavailable(refused)
        assert "Vorübergehend nicht erreichbar" in refused.content.decode()
        assert Invitation.objects.get(pk=invitation.pk).messages.get().used_at is None

        throwaway_redis.start()  # empty: the counts start over
        opened = visitor.get(f"/invitation/{token}/")
        assert opened.status_code == 302
        assert opened["Location"] == f"/invitation/{invitation.pk}/"
        # The limit counts again: two failures, then the address is refused.
        guesser = browser()
        assert [guesser.get(f"/invitation/{UNKNOWN_TOKEN}/").status_code for _ in "12"] == [
            404,
            404,
        ]
        assert guesser.get(f"/invitation/{token}/").status_code == 429


def test_with_redis_down_the_personal_link_api_answers_503_and_works_once_it_is_back(
    throwaway_redis, invitation_link
):
    invitation, token = invitation_link
    caller = browser(HTTP_AUTHORIZATION=f"Invitation {token}", HTTP_ACCEPT_LANGUAGE="en")
    reply = {"reply": Reply.ACCEPTED}
    with cache_on(throwaway_redis.url):
        throwaway_redis.stop()
        refused = caller.post("/api/v1/invitation-reply/", reply, content_type="application/json")

        assert_unavailable(refused)
        assert "cannot be reached" in refused.json()["detail"]
        assert Invitation.objects.get(pk=invitation.pk).reply == Reply.NONE

        throwaway_redis.start()
        answered = caller.post("/api/v1/invitation-reply/", reply, content_type="application/json")
        assert answered.status_code == 200
        assert Invitation.objects.get(pk=invitation.pk).reply == Reply.ACCEPTED
        # The throttle counts again (read by DRF when the module is loaded: 30 a minute).
        assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["invitation_reply"] == "30/minute"
        calls = [caller.get("/api/v1/invitation-reply/").status_code for _ in range(30)]
        assert calls == [200] * 29 + [429]


def test_a_redis_that_hangs_holds_no_request_longer_than_its_timeout(invitation_link, settings):
    """Accepting the connection and never answering is worse than refusing it: without a
    socket timeout every request checking a limit would hang."""
    _invitation, token = invitation_link
    with silent_server() as port, cache_on(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        response = browser().get(f"/invitation/{token}/")
        waited = time.monotonic() - started

    assert_unavailable(response)
    assert waited < settings.REDIS_TIMEOUT_SECONDS + 2


def test_with_redis_down_healthz_says_the_cache_is_down_and_recovers(client, throwaway_redis):
    with cache_on(throwaway_redis.url):
        assert client.get("/healthz").json()["cache"] == {"ok": True, "backend": "RedisCache"}
        throwaway_redis.stop()
        down = client.get("/healthz")
        assert down.status_code == 503
        assert down.json()["cache"]["ok"] is False
        throwaway_redis.start()
        assert client.get("/healthz").json()["cache"]["ok"] is True


def test_with_redis_down_a_barrier_report_is_refused_and_nothing_is_stored_or_sent(
    throwaway_redis, mailoutbox
):
    """The report limit counts in Redis: without it the public form would send unlimited
    mail, so it refuses (on the web and over the API) until Redis is back."""
    report = {"page": "/workshops/", "description": "Die Tabelle ist nicht lesbar."}
    with cache_on(throwaway_redis.url):
        throwaway_redis.stop()
        on_the_web = browser().post("/barrierefreiheit/barriere-melden/", report)
        over_the_api = browser(HTTP_ACCEPT_LANGUAGE="en").post(
            "/api/v1/barrier-reports/", report, content_type="application/json"
        )

        assert_unavailable(on_the_web)
        assert "Vorübergehend nicht erreichbar" in on_the_web.content.decode()
        assert_unavailable(over_the_api)
        assert "cannot be reached" in over_the_api.json()["detail"]
        assert not BarrierReport.objects.exists()
        assert not OutboundMail.objects.exists() and not mailoutbox

        throwaway_redis.start()
        sent = browser().post("/barrierefreiheit/barriere-melden/", report)
        assert "Vielen Dank, Ihre Meldung wurde gesendet." in sent.content.decode()
        assert BarrierReport.objects.count() == 1
