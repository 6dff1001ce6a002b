"""Services that are down or busy: many replies at once through one personal link, a database
that refuses connections, a Redis that is gone. What a user sees is an answer (a saved
reply, or a 503 page saying the service is back soon), never a bare "Server Error (500)"."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from participation import api_tokens
from participation.events import audiences, invitations, selectors
from participation.models import AudienceEntry, Invitation, OutboundMail, Reply
from tests.factories import WorkshopFactory, member_of
from tests.outage_support import (
    browser,
    cache_on,
    database_down,
    in_parallel,
    link_token,
    running_worker,
)
from tests.services_support import (
    PATIENCE,
    free_port,
    own_redis_url,
    sending_tasks_to,
    smtp_sink,
    wait_until,
)
from workshops.live import services as live
from workshops.live.models import LiveSession

PARALLEL = 20


@pytest.fixture
def invited(mailoutbox):
    """A workshop with one place and an invitation to it, with its personal link's token."""
    cache.clear()  # rate limits and throttles count per address in the shared cache
    workshop = WorkshopFactory(capacity=1)
    invitation = invitations.invite_person(workshop, email="viele@example.org")
    yield invitation, link_token(mailoutbox[-1])
    cache.clear()


ANSWERS = [Reply.ACCEPTED, Reply.DECLINED, Reply.TENTATIVE]


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_replies_through_one_link_on_the_web_are_all_saved(invited):
    invitation, token = invited

    def reply(n):
        client = Client()
        opened = client.get(f"/invitation/{token}/")
        answered = client.post(
            f"/invitation/{invitation.pk}/",
            {"reply": ANSWERS[n % 3], "dietary_wishes": f"Wunsch {n}"},
        )
        return opened.status_code, answered.status_code

    results = in_parallel(reply, PARALLEL)

    assert results == [(302, 302)] * PARALLEL
    saved = Invitation.objects.get(pk=invitation.pk)
    last = int(saved.dietary_wishes.split()[-1])
    assert saved.reply == ANSWERS[last % 3]
    assert saved.has_place == (saved.reply == Reply.ACCEPTED)


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_replies_through_one_link_over_the_api_are_all_saved(invited):
    invitation, token = invited

    def reply(n):
        response = Client().post(
            "/api/v1/invitation-reply/",
            {"reply": ANSWERS[n % 3], "dietary_wishes": f"Wunsch {n}"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Invitation {token}",
        )
        return response.status_code

    results = in_parallel(reply, PARALLEL)

    assert results == [200] * PARALLEL
    saved = Invitation.objects.get(pk=invitation.pk)
    last = int(saved.dietary_wishes.split()[-1])
    assert saved.reply == ANSWERS[last % 3]
    assert saved.has_place == (saved.reply == Reply.ACCEPTED)


# --- the database is down ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_pages_answer_503_in_german_with_retry_after(coordinator):
    signed_in = browser()
    signed_in.force_login(coordinator)
    with database_down():
        for page in ("/", "/workshops/", "/accounts/login/"):
            response = signed_in.get(page)
            assert response.status_code == 503, page
            assert response["Retry-After"] == "30"
            text = response.content.decode()
            assert '<html lang="de">' in text
            assert "Vorübergehend nicht erreichbar" in text
            assert "Server Error" not in text


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_english_readers_get_the_page_in_english(coordinator):
    reader = browser(HTTP_ACCEPT_LANGUAGE="en")
    reader.force_login(coordinator)
    with database_down():
        response = reader.get("/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_the_api_answers_503_json(coordinator):
    caller = browser(HTTP_ACCEPT_LANGUAGE="en")
    caller.force_login(coordinator)
    with database_down():
        response = caller.get("/api/v1/workshops/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot be reached" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_healthz_answers_503_json(coordinator):
    anonymous, signed_in = browser(), browser()
    signed_in.force_login(coordinator)  # its session is read before the view: a query
    with database_down():
        responses = [anonymous.get("/healthz"), signed_in.get("/healthz")]
    for response in responses:
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["database"]["ok"] is False


# --- Redis is down ---------------------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db
def test_with_redis_down_sign_in_answers_503_instead_of_skipping_its_rate_limit(
    throwaway_redis, own_org
):
    user = member_of(own_org)
    user.set_password("Ein-langes-Passwort-2026")
    user.save()
    credentials = {"login": user.email, "password": "Ein-langes-Passwort-2026"}
    with cache_on(throwaway_redis.url):
        visitor = browser()
        assert visitor.get("/accounts/login/").status_code == 200
        throwaway_redis.stop()
        response = visitor.post("/accounts/login/", credentials)

        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "Vorübergehend nicht erreichbar" in response.content.decode()
        assert "_auth_user_id" not in visitor.session

        # Back again: the same process signs in, no restart needed.
        throwaway_redis.start()
        response = visitor.post("/accounts/login/", credentials)
    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(user.pk)


@pytest.mark.services
@pytest.mark.django_db
def test_with_redis_down_api_tokens_answer_503_instead_of_skipping_their_rate_limit(
    throwaway_redis, own_org
):
    user = member_of(own_org)
    _token, key = api_tokens.create_token(user, name="Skript")
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    with override_settings(CACHES={"default": {**cache, "LOCATION": throwaway_redis.url}}):
        caller = browser(HTTP_AUTHORIZATION=f"Token {key}")
        assert caller.get("/api/v1/me/").status_code == 200
        throwaway_redis.stop()
        responses = [
            caller.get("/api/v1/me/"),
            browser(HTTP_AUTHORIZATION="Token mp_x").get("/api/v1/me/"),
        ]
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"] == "30"


# --- the mail queue and the mail server are down (a real worker) ------------------------------


def external_audience(workshop, count, *, prefix):
    addresses = [f"{prefix}{n}@extern.example" for n in range(count)]
    for address in addresses:
        audiences.add_audience_entry(
            workshop, actor=None, kind=AudienceEntry.Kind.EMAIL, email=address
        )
    return addresses


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_invitations_sent_while_redis_is_down_are_saved_and_go_out_once_it_is_back(
    throwaway_redis, coordinator, tmp_path
):
    by_web, by_api, cancelled = WorkshopFactory(), WorkshopFactory(), WorkshopFactory()
    addresses = external_audience(by_web, 3, prefix="web") + external_audience(
        by_api, 2, prefix="api"
    )
    invitations.invite_person(cancelled, email="abgesagt@extern.example")  # sent inline
    office = browser()
    office.force_login(coordinator)
    with (
        smtp_sink() as (port, sink),
        sending_tasks_to(throwaway_redis.url),
        running_worker(tmp_path, smtp_port=port) as worker,
    ):
        throwaway_redis.stop()
        wait_until(
            lambda: "Connection to broker lost" in worker.log.read_text(),
            timeout=PATIENCE,
            what="the worker to notice",
        )

        page = office.post(f"/workshops/{by_web.pk}/audience/send/", {"expected": 3}, follow=True)
        answer = office.post(
            f"/api/v1/workshops/{by_api.pk}/send-invitations/",
            {"expected": 2},
            content_type="application/json",
        )

        assert page.status_code == 200
        text = page.content.decode()
        assert "3 Einladungen sind gespeichert." in text
        assert "Die Mail-Warteschlange ist im Moment nicht erreichbar" in text
        assert answer.status_code == 202
        assert answer.json()["count"] == 2
        assert answer.json()["delivery"] == "deferred"
        # A cancellation, too: its message is not an invitation the catch-up could find.
        cancelling = office.post(f"/workshops/{cancelled.pk}/cancel/", follow=True)
        assert (
            "Die Mail-Warteschlange ist im Moment nicht erreichbar" in cancelling.content.decode()
        )
        assert Invitation.objects.count() == 6
        assert len(sink) == 0

        throwaway_redis.start()
        # The worker reconnects by itself (its retry interval grows by 2 s per attempt, up to
        # kombu's 30 s) and then queues what is unsent: well before the five-minute catch-up.
        # On a loaded machine the outage above lasts long enough for the interval to grow.
        wait_until(lambda: len(sink.per_recipient()) == 6, timeout=PATIENCE, what="all 6 mails")
        # And this process hands its tasks to the broker again, without a restart.
        later = WorkshopFactory()
        addresses += external_audience(later, 1, prefix="later")
        queued = office.post(
            f"/api/v1/workshops/{later.pk}/send-invitations/",
            {"expected": 1},
            content_type="application/json",
        )
        assert (queued.status_code, queued.json()["delivery"]) == (200, "queued")
        wait_until(lambda: len(sink.per_recipient()) == 7, timeout=60, what="the 7th mail")

    assert sorted(sink.per_recipient()) == sorted([*addresses, "abgesagt@extern.example"])
    assert set(sink.per_recipient().values()) == {1}  # each once
    (cancellation,) = sink.to("abgesagt@extern.example")
    assert "CANCEL" in cancellation.as_string()
    assert OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED).count() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_refuses_ends_as_failed_after_the_last_retry(coordinator, tmp_path):
    workshop = WorkshopFactory(title="Fachworkshop Wohnen")
    refusing = free_port()  # nobody listens there: every connect is refused
    with (
        own_redis_url() as url,
        sending_tasks_to(url),
        running_worker(tmp_path, smtp_port=refusing, MAIL_SEND_RETRIES="2", MAIL_RETRY_SECONDS="0"),
    ):
        invitation = invitations.invite_person(workshop, email="nie@extern.example")
        wait_until(
            lambda: OutboundMail.objects.filter(status=OutboundMail.Status.FAILED).exists(),
            timeout=PATIENCE,
            what="the mail to fail for good",
        )

    failed = OutboundMail.objects.get(to="nie@extern.example")
    assert failed.attempts == 3  # the first attempt and two retries
    assert "Connection refused" in failed.last_error
    assert selectors.delivery_counts(workshop) == {
        "total": 1,
        "sent": 0,
        "failed": 1,
        "queued": 0,
    }
    office = browser()
    office.force_login(coordinator)
    page = office.get(f"/workshops/{workshop.pk}/invitations/").content.decode()
    assert "Connection refused" in page
    # "Resend failed" now applies to it.
    assert invitations.resend_failed(workshop, actor=coordinator, invitation=invitation) == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_a_password_reset_mail_is_saved_and_the_page_says_so(
    throwaway_redis, member
):
    """allauth's mails take the same path: not a 500, the mail waits in the outbox."""
    with sending_tasks_to(throwaway_redis.url):
        throwaway_redis.stop()
        page = browser().post("/accounts/password/reset/", {"email": member.email}, follow=True)

    assert page.status_code == 200
    assert "Die Mail-Warteschlange ist im Moment nicht erreichbar" in page.content.decode()
    waiting = OutboundMail.objects.get(to=member.email)
    assert waiting.status == OutboundMail.Status.QUEUED


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_with_the_channel_layer_down_marking_a_workshop_done_still_works(
    throwaway_redis, coordinator
):
    """The live session's sockets are told through Redis; the workshop's state is in the
    database and must not depend on it."""
    workshop = WorkshopFactory(start=timezone.now() - datetime.timedelta(hours=1))
    live.ensure_live_session(workshop, actor=coordinator)
    office = browser()
    office.force_login(coordinator)
    layers = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": throwaway_redis.url}]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        throwaway_redis.stop()
        response = office.post(f"/workshops/{workshop.pk}/done/")

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == "done"
    assert LiveSession.objects.get(workshop=workshop).status == LiveSession.Status.CLOSED
