"""The catch-up (`resume_unsent`) queues again only what is really stuck: not mail that is
still waiting in Redis, not mail waiting for its backoff after a passing error, and no
invitation of a cancelled event."""

import datetime
import socket

import pytest
import time_machine
from django.utils import timezone

from participation import mail
from participation.events import invitations
from participation.models import OutboundMail
from tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
NO_GRACE = datetime.timedelta(0)  # the catch-up a worker runs when it (re)connects


def later(minutes):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def queued_mail(django_capture_on_commit_callbacks):
    # Its delivery task is queued after commit; not running it leaves it "in Redis".
    with django_capture_on_commit_callbacks(execute=False):
        return mail.queue_mail(
            to="wartet@example.org",
            subject="Hinweis",
            body_text="Text",
            body_html="",
            language="de",
        )


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_regular_catch_up_leaves_mail_waiting_in_redis_alone(
    mailoutbox, django_capture_on_commit_callbacks
):
    queued_mail(django_capture_on_commit_callbacks)
    assert invitations.resume_unsent() == 0
    assert mailoutbox == []
    with later(minutes=11):
        assert invitations.resume_unsent() == 1
    assert [message.to for message in mailoutbox] == [["wartet@example.org"]]
    # Queued again just now: the next regular run leaves it alone again.
    OutboundMail.objects.update(status=OutboundMail.Status.QUEUED)
    assert invitations.resume_unsent() == 0


def test_the_catch_up_leaves_mail_waiting_for_its_backoff_alone(
    mailoutbox, settings, django_capture_on_commit_callbacks
):
    outbound = queued_mail(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    with pytest.raises(ConnectionError):
        mail.deliver(outbound.pk)  # a passing error: the task would retry in 10 seconds
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert invitations.resume_unsent(grace=NO_GRACE) == 0
    assert mailoutbox == []
    with later(minutes=1):
        assert invitations.resume_unsent(grace=NO_GRACE) == 1
    assert len(mailoutbox) == 1


def test_the_catch_up_skips_invitations_of_cancelled_events(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    cancelled, open_one = WorkshopFactory(), WorkshopFactory()
    with django_capture_on_commit_callbacks(execute=False):
        invitations.invite_person(cancelled, email="abgesagt@example.org", actor=coordinator)
        invitations.invite_person(open_one, email="offen@example.org", actor=coordinator)
        invitations.cancel_event(cancelled, actor=coordinator)
    with later(minutes=11):
        assert invitations.resume_unsent() == 1
    assert [message.to for message in mailoutbox] == [["offen@example.org"]]
