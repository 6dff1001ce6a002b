"""A mail server that accepts the connection and never answers (hung, overloaded, a
half-open network path), with a real worker: each attempt gives up after EMAIL_TIMEOUT,
the mail stays queued with the reason and is retried; once the server answers again it is
sent, exactly once. A server that refuses: tests/test_outages.py; a worker killed
mid-batch: tests/participation/test_invitation_worker.py."""

import time

import pytest
from django.db import transaction

from participation import mail
from participation.models import OutboundMail
from tests.outage_support import running_worker
from tests.services_support import (
    PATIENCE,
    free_port,
    own_redis_url,
    sending_tasks_to,
    silent_server,
    smtp_sink,
    wait_until,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_mail_server_that_never_answers_times_out_and_the_mail_goes_once_it_is_back(
    tmp_path,
):
    port = free_port()
    with (
        own_redis_url() as url,
        sending_tasks_to(url),
        running_worker(tmp_path, smtp_port=port, EMAIL_TIMEOUT="1", MAIL_RETRY_SECONDS="1"),
    ):
        with silent_server(port):
            with transaction.atomic():
                queued = mail.queue_mail(
                    to="geduld@extern.example",
                    subject="Einladung",
                    body_text="Hallo",
                    body_html="",
                    language="de",
                )
            wait_until(
                lambda: OutboundMail.objects.get(pk=queued.pk).attempts >= 2,
                timeout=PATIENCE,
                what="two attempts that timed out",
            )
            waiting = OutboundMail.objects.get(pk=queued.pk)
            assert waiting.status == OutboundMail.Status.QUEUED
            assert "timed out" in waiting.last_error

        # The hung server goes away and a working one answers on its port: the worker's
        # next retry delivers the mail.
        with smtp_sink(port) as (_port, sink):
            wait_until(lambda: len(sink) >= 1, timeout=PATIENCE, what="the mail to arrive")
            time.sleep(3)  # time for a second delivery, if anything were to send one

    assert len(sink) == 1
    (message,) = sink.to("geduld@extern.example")
    assert message["Message-ID"] == mail.message_id(queued)
    sent = OutboundMail.objects.get(pk=queued.pk)
    assert sent.status == OutboundMail.Status.SENT
    assert sent.last_error == ""
