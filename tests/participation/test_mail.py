"""The one mail path: stored, delivered once, failures kept with their reason."""

import socket
from email.policy import compat32

import pytest
from django.core import mail as django_mail

from participation import mail
from participation.models import OutboundMail
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_templated_mail_is_rendered_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = PersonFactory(first_name="Eva", last_name="Englisch", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_templated_mail(
            "participation/mail/account_invitation",
            to="eva@example.org",
            context={"person": person},
            language="en",
        )
    assert mailoutbox[0].subject == "Your access to mitplanen"
    assert "Hello Eva Englisch" in mailoutbox[0].body
    assert "Hello Eva Englisch" in mailoutbox[0].alternatives[0][0]
    assert mailoutbox[0].message()["Content-Language"] == "en"


def test_a_message_is_delivered_only_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail.queue_mail(
            to="a@example.org",
            subject="Betreff",
            body_text="Text",
            body_html="<p>Text</p>",
            language="de",
        )
    assert len(mailoutbox) == 1
    assert mail.deliver(queued.pk) is False  # a retried or duplicated task
    assert len(mailoutbox) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sent", 1)


def test_an_unreachable_server_keeps_the_message_queued_with_the_reason(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    queued = OutboundMail.objects.create(
        to="b@example.org", subject="S", body_text="T", body_html="<p>T</p>", language="de"
    )
    with pytest.raises(ConnectionRefusedError):
        mail.deliver(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "queued" and queued.attempts == 1
    assert "Connection refused" in queued.last_error
    assert django_mail.outbox == []


def test_inline_delivery_does_not_retry_inside_the_request_and_records_the_failure(
    settings, django_capture_on_commit_callbacks
):
    # Inline (the embedded mode) has no worker to retry later and no catch-up: its one
    # attempt is the last, so the coordinator sees the failure and can resend it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail.queue_mail(
            to="c@example.org", subject="S", body_text="T", body_html="<p>T</p>", language="de"
        )
    queued.refresh_from_db()
    assert queued.status == "failed" and queued.attempts == 1
    assert "Connection refused" in queued.last_error


def test_a_repeated_attempt_carries_the_same_message_id(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail.queue_mail(
            to="a@example.org",
            subject="Betreff",
            body_text="Text",
            body_html="<p>Text</p>",
            language="de",
        )
    # As after a worker killed between the server's "250" and the commit of "sent".
    OutboundMail.objects.filter(pk=queued.pk).update(status=OutboundMail.Status.QUEUED)
    assert mail.deliver(queued.pk) is True
    other = mail.queue_mail(
        to="a@example.org",
        subject="Betreff",
        body_text="Text",
        body_html="<p>Text</p>",
        language="de",
    )
    mail.deliver(other.pk)

    first, repeat, different = (m.message()["Message-ID"] for m in mailoutbox)
    assert first == repeat
    assert first != different
    assert first.startswith(f"<mail-{queued.pk}.")


def test_a_message_is_written_as_the_email_package_writes_it_header_by_header():
    """The headers of the messages of a batch are folded once per process: each message's
    bytes stay those of the email package's own `compat32` policy, Django's, whatever the
    headers repeat, their non-ASCII text (encoded words) or their length (folded lines)."""
    subjects = [
        "Einladung: Fachtag Wohnen",
        "Einladung: Fachtag „Wohnen & Teilhabe“ im Kreishaus, Großer Saal – mit Anmeldung"
        " bis Freitag und einem Betreff, der über eine Zeile hinausgeht",
        "Invitation: a subject long enough to be folded by the policy at its line length of"
        " seventy-eight characters",
    ]
    written = []
    for n, subject in enumerate(subjects * 2):
        outbound = mail.store_mail(
            to=f"gast{n}@extern.example",
            subject=subject,
            body_text="Hallo Zoë,\nText",
            body_html="<p>Hallo Zoë,</p>",
            language="de",
            attachments=[
                {
                    "filename": "einladung.ics",
                    "mimetype": "text/calendar; method=REQUEST; charset=utf-8",
                    "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                }
            ],
        )
        message = mail._as_message(outbound).message()
        ours = message.as_bytes(linesep="\r\n")
        message.policy = compat32
        assert ours == message.as_bytes(linesep="\r\n"), subject
        written.append(ours)
    assert b"\r\n =?utf-8?q?Einladung=3A_Fachtag" in written[1]  # encoded, folded
