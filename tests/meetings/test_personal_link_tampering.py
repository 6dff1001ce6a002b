"""Every personal link of the meetings (poll invitees, task owners, calendar subscriptions)
refuses its token with one character changed, at the start, in the middle or at the end, on
the page and over the API; the genuine token still works, so the refusal is the tampering's."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import calendar_subscriptions
from meetings.models import PollVote, TaskStatus
from tests.factories import MembershipFactory
from tests.personal_link_support import tampered

from .test_polls import new_poll, sent_links
from .test_task_links import _mails_to, _task, _token

pytestmark = pytest.mark.django_db

WHERE = ["first", "middle", "last"]
NEUTRAL = "Dieser Link ist nicht (mehr) gültig"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def with_header(scheme, token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {token}")
    return client


@pytest.mark.parametrize("where", WHERE)
def test_a_poll_link_with_one_character_changed_is_refused(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks, where
):
    """Catches: part of the poll token ignored (its first, a middle or its last character)."""
    poll = new_poll(series, coordinator)
    link = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)[
        member.email
    ]
    raw = link.rstrip("/").rsplit("/", 1)[1]
    token = tampered(raw)[where]
    assert client.get(reverse("meetings:poll_link", args=[token])).status_code == 404
    answers = {"answers": [{"slot": s.pk, "answer": "yes"} for s in poll.slots.all()]}
    url = reverse("meetings_api:poll-answer")
    assert with_header("Poll", token).get(url).status_code == 404
    refused = with_header("Poll", token).post(url, answers, format="json")
    assert refused.status_code == 404
    assert not PollVote.objects.exists()

    invitee = poll.invitees.get(person__user=member)
    assert client.get(reverse("meetings:poll_link", args=[raw]))["Location"] == reverse(
        "meetings:poll_answer", args=[invitee.pk]
    )
    assert with_header("Poll", raw).get(url).status_code == 200


@pytest.mark.parametrize("where", WHERE)
def test_a_task_link_with_one_character_changed_is_refused(
    series, coordinator, own_org, client, where
):
    """Catches: part of the task token ignored (its first, a middle or its last character)."""
    owner = MembershipFactory(organisation=own_org).person
    task = _task(series.meetings.order_by("start").first(), owner, coordinator=coordinator)
    raw = _token(_mails_to(owner)[0])
    token = tampered(raw)[where]
    page = client.get(reverse("meetings:task_link_open", args=[token]))
    assert page.status_code == 404 and NEUTRAL in page.content.decode()
    url = "/api/v1/meeting-task-link/"
    assert with_header("TaskLink", token).get(url).status_code == 404
    assert (
        with_header("TaskLink", token).post(url, {"status": "done"}, format="json").status_code
        == 404
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN

    assert client.get(reverse("meetings:task_link_open", args=[raw])).status_code == 302
    assert with_header("TaskLink", raw).get(url).status_code == 200


@pytest.mark.parametrize("where", WHERE)
def test_a_calendar_address_with_one_character_changed_is_refused(series, member, client, where):
    """Catches: part of the feed token ignored (its first, a middle or its last character)."""
    _subscription, raw = calendar_subscriptions.create(member, actor=member)
    token = tampered(raw)[where]
    assert client.get(reverse("meetings:person_calendar", args=[token])).status_code == 404
    body_feed = reverse("meetings:person_body_calendar", args=[token, series.body_id])
    assert client.get(body_feed).status_code == 404

    feed = client.get(reverse("meetings:person_calendar", args=[raw]))
    assert feed.status_code == 200 and re.search(r"BEGIN:VEVENT", feed.content.decode())
