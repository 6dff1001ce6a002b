"""Invitation mail in batches: each message rendered for a batch is the message rendered on
its own (subject, text, HTML, calendar file with the personal link and attendee), for every
purpose, language and kind of recipient; a batch is written and sent in a constant number of
SQL statements besides one per message sent; a permanent failure of one recipient does not
stop the batch; a transient one stops it, and the retry sends only what is still unsent."""

import asyncio
import datetime
import logging
import re
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation import mail
from participation.events import invitations
from participation.models import Invitation, InvitationMessage, OutboundMail, Reply
from tests.factories import WorkshopFactory
from tests.invitation_rendering import as_compared, assert_batch_renders_as_one_at_a_time
from tests.services_support import free_port
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db
Purpose = InvitationMessage.Purpose


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(
        title='Fachtag "Wohnen" & Teilhabe; Kreis, <Süd>',
        topic="Barrieren & Wege",
        online_url="https://konferenz.example/raum?id=7&pin=1",
        venue_address="Kaiser-Wilhelm-Platz 1\n53721 Siegburg",
    )
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9), title="Begrüßung")
    AgendaItem.objects.create(
        workshop=workshop, starts_at=datetime.time(9, 30), title="Impuls", presenter="Dr. Ö"
    )
    return workshop


def invite(event, email, *, name="", language="de", **fields):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(event),
        event_id=event.pk,
        email=email,
        name=name,
        language=language,
        **fields,
    )


@pytest.fixture
def recipients(workshop):
    """Invitees in both languages, with and without a name (one with every character HTML
    and calendar files escape), an informed deputy and a deputy invited in the principal's
    place, someone who accepted."""
    principal = invite(workshop, "chefin@kreis.example", name="Dr. Anna Schmidt, MdL <Vorsitz>")
    people = [
        principal,
        invite(workshop, "ohne-name@extern.example"),
        invite(workshop, "eva@extern.example", name="Eva Müller"),
        invite(workshop, "en@extern.example", name='O\'Brien & "Co"; Ltd', language="en"),
        invite(workshop, "en2@extern.example", language="en", reply=Reply.ACCEPTED),
        invite(workshop, "zugesagt@extern.example", name="Zoe Zu", reply=Reply.ACCEPTED),
        invite(
            workshop, "info@kreis.example", name="Ida Info", deputy_for=principal, informed=True
        ),
        invite(
            workshop, "info-en@kreis.example", language="en", deputy_for=principal, informed=True
        ),
        invite(workshop, "vertreter@kreis.example", name="Vera Vertreter", deputy_for=principal),
    ]
    return [Invitation.objects.select_related("deputy_for").get(pk=p.pk) for p in people]


@pytest.mark.parametrize(
    ("purpose", "key"),
    [
        (Purpose.INVITATION, "invitation"),
        (Purpose.UPDATE, "update-1"),
        (Purpose.INFORMATION, "information"),
        (Purpose.PROGRAMME, "programme-1"),
        (Purpose.REMINDER, "reminder-1"),
        (Purpose.PROMOTION, "promotion"),
    ],
)
def test_a_batch_renders_each_message_as_on_its_own(workshop, recipients, purpose, key):
    if purpose == Purpose.UPDATE:
        workshop.sequence = 1
        workshop.start += datetime.timedelta(days=1)
        workshop.end += datetime.timedelta(days=1)
        workshop.save()
    texts = assert_batch_renders_as_one_at_a_time(recipients * 2, workshop, purpose, key)
    assert texts < len(recipients)  # rendered once for several recipients


def test_a_cancellation_renders_as_on_its_own(workshop, recipients):
    workshop.status = "cancelled"
    workshop.sequence = 2
    workshop.save()
    assert_batch_renders_as_one_at_a_time(
        recipients, workshop, Purpose.CANCELLATION, "cancellation"
    )


def test_messages_of_two_events_in_one_batch_keep_their_own_event(workshop, recipients):
    other = WorkshopFactory(title="Zweiter Termin", topic="", online_url="")
    mixed = [*recipients, invite(other, "eva@extern.example", name="Eva Müller")]
    mixed += [invite(other, "en@extern.example", name="Ann", language="en")]
    renderer = invitations.MessageRenderer()
    for invitation in mixed:
        event = invitation.event
        batched = renderer.render(invitation, event, Purpose.INVITATION, None, "invitation")
        alone = invitations.render_message(invitation, event, Purpose.INVITATION, None, "x")
        assert as_compared(batched) == as_compared(alone)


def test_stored_messages_are_the_ones_rendered_on_their_own(workshop, recipients):
    items = [(invitation.pk, Purpose.INVITATION, "invitation") for invitation in recipients]
    messages = invitations.prepare_messages(items)
    assert [message.invitation_id for message in messages] == [pk for pk, *_rest in items]
    for message in messages:
        invitation = Invitation.objects.get(pk=message.invitation_id)
        link = re.search(r"/invitation/([A-Za-z0-9_-]{43})/", message.mail.body_text)
        token = link.group(1) if link else None
        assert (token is None) == invitation.informed
        alone = invitations.render_message(invitation, workshop, message.purpose, token, "")
        stored = OutboundMail.objects.get(pk=message.mail_id)
        assert as_compared(stored) == as_compared(alone)


# --- statements ------------------------------------------------------------------------------


def audience(workshop, count, *, start=0):
    return [
        invite(
            workshop,
            f"gast{n:03d}@extern.example",
            name=f"Gast {n}",
            language="de en"[n % 2 * 3 : n % 2 * 3 + 2],
        )
        for n in range(start, start + count)
    ]


def statements(callable_, *args):
    """What `callable_` sends the database, but the savepoints: the test's transaction makes
    a savepoint of each transaction of the code, which is otherwise its BEGIN and COMMIT."""
    with CaptureQueriesContext(connection) as captured:
        result = callable_(*args)
    sql = [query["sql"] for query in captured.captured_queries]
    return result, [text for text in sql if not re.match(r"(RELEASE )?SAVEPOINT ", text)]


# Writing a batch: lock the invitations, read their messages, read the events (one kind),
# the workshop's agenda once per language (two here), store the mails, store the messages.
PREPARE = 7
# Sending it: commits not waiting for the disk, claim the outbox rows, read them, release
# them, the setting back; and per message its "sent". The embedded SQLite has no claims: it
# reads the rows only.
DELIVER = {"postgresql": 5, "sqlite": 1}


@pytest.mark.parametrize("count", [10, 50, mail.BATCH_SIZE])
def test_a_batch_takes_a_constant_number_of_statements_besides_one_per_mail_sent(
    workshop, count, mailoutbox
):
    items = [(i.pk, Purpose.INVITATION, "invitation") for i in audience(workshop, count)]

    messages, prepared = statements(invitations.prepare_messages, items)
    assert len(messages) == count
    assert len(prepared) == PREPARE

    sent, delivered = statements(mail.deliver_many, [m.mail_id for m in messages])
    assert sent == count == len(mailoutbox)
    assert len(delivered) == DELIVER[connection.vendor] + count
    marking = [sql for sql in delivered if sql.startswith("UPDATE")]
    assert len(marking) == count
    assert all("\"status\" = 'sent'" in sql for sql in marking)

    # A repeated batch (a duplicated or resumed task) writes and sends nothing, in fewer.
    sent, again = statements(invitations.deliver_messages, items)
    assert sent == 0 and len(mailoutbox) == count
    assert len(again) == 3 + DELIVER[connection.vendor]  # lock, messages, events; nothing to send


# --- failures --------------------------------------------------------------------------------


class Refusing:
    """An SMTP server that refuses the recipients in `refused` for good (550) and drops the
    connection at the message to `dropping` (a passing failure), keeping what it accepts."""

    def __init__(self):
        self.refused, self.dropping, self.received = set(), set(), []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if set(envelope.rcpt_tos) & self.dropping:
            server.transport.close()
            await asyncio.sleep(0)
            return "421 closing"
        with self._lock:
            self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    quiet = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    handler = Refusing()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        controller.port,
        5,
    )
    try:
        yield handler
    finally:
        mail._drop_connection()
        controller.stop()
        quiet.setLevel(level)


def test_a_recipient_refused_for_good_fails_alone(
    workshop, smtp, django_capture_on_commit_callbacks
):
    people = audience(workshop, 5)
    smtp.refused.add(people[2].email)
    items = [(i.pk, Purpose.INVITATION, "invitation") for i in people]

    assert invitations.deliver_messages(items) == 4

    assert sorted(smtp.received) == sorted(p.email for p in people if p != people[2])
    status = dict(InvitationMessage.objects.values_list("invitation__email", "mail__status"))
    assert status[people[2].email] == "failed"
    assert list(status.values()).count("sent") == 4
    failed = OutboundMail.objects.get(status="failed")
    assert "no such mailbox" in failed.last_error
    # The coordinator sends it again: one more attempt for that one, nothing else.
    smtp.refused.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.resend_failed(workshop, actor=None) == 1
    assert smtp.received.count(people[2].email) == 1 and len(smtp.received) == 5


def test_a_passing_failure_stops_the_batch_and_the_retry_sends_only_the_unsent(workshop, smtp):
    people = audience(workshop, 5)
    smtp.dropping.add(people[2].email)
    items = [(i.pk, Purpose.INVITATION, "invitation") for i in people]

    with pytest.raises(mail.TRANSIENT_ERRORS):
        invitations.deliver_messages(items)

    assert smtp.received == [people[0].email, people[1].email]
    mails = {
        message.invitation.email: message.mail
        for message in InvitationMessage.objects.select_related("invitation", "mail")
    }
    assert [mails[p.email].status for p in people] == ["sent", "sent", "queued", "queued", "queued"]
    assert mails[people[2].email].attempts == 1 and mails[people[2].email].last_error
    # Those after it were not tried; they wait for the retry (the catch-up leaves them).
    assert [mails[p.email].attempts for p in people[3:]] == [0, 0]
    assert all(mails[p.email].next_attempt_at for p in people[2:])

    smtp.dropping.clear()
    assert invitations.deliver_messages(items) == 3  # the task's retry, same items
    assert sorted(smtp.received) == sorted(p.email for p in people)
    assert OutboundMail.objects.filter(status="sent").count() == 5


def test_on_the_last_attempt_a_passing_failure_is_final_and_the_rest_is_sent(workshop, smtp):
    people = audience(workshop, 4)
    smtp.dropping.add(people[1].email)
    items = [(i.pk, Purpose.INVITATION, "invitation") for i in people]

    assert invitations.deliver_messages(items, last_attempt=True) == 3

    assert sorted(smtp.received) == sorted(p.email for i, p in enumerate(people) if i != 1)
    failed = OutboundMail.objects.get(status="failed")
    assert failed.to == people[1].email
