"""The one path every e-mail takes: render text and HTML in the recipient's language, store
it in the outbox, queue one delivery task after commit. Every message says its language
(Content-Language). The task delivers each message at most once,
guarded by the row's status in the database."""

import contextlib
import datetime
import functools
import logging
import secrets
import smtplib
from email.policy import Compat32

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from . import queueing
from .models import OutboundMail
from .retention import PERIODS

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 600
# Messages per delivery task: sent over one SMTP connection, read and claimed together.
# What a task costs whatever its size (rendering each kind of message once, the calendar's
# shared lines, a dozen statements, Celery's own work) is spread over this many; at 100
# an invitation of 150 people still keeps two worker processes busy.
BATCH_SIZE = 100

# The database is unreachable (restarting, say): the task is tried again, the mail unchanged.
DATABASE_DOWN = (OperationalError, InterfaceError)

# Errors worth another attempt later; anything else is recorded as a permanent failure.
TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def queue_mail(
    *, to, subject, body_text, body_html, language, scrub_after_sending=False
) -> OutboundMail:
    """Store one message and queue its delivery once the surrounding transaction commits."""
    mail = store_mail(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        scrub_after_sending=scrub_after_sending,
    )
    queue_delivery([mail.pk])
    return mail


def store_mail(
    *, to, subject, body_text, body_html, language, attachments=(), scrub_after_sending=False
) -> OutboundMail:
    """Store one message in the outbox without queueing it: for callers that deliver it
    themselves right after their transaction (the invitation pipeline)."""
    mail = outbound_mail(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        attachments=attachments,
        scrub_after_sending=scrub_after_sending,
    )
    mail.save()
    return mail


def outbound_mail(
    *, to, subject, body_text, body_html, language, attachments=(), scrub_after_sending=False
) -> OutboundMail:
    """The outbox row of one message, not saved yet (`bulk_create` stores many at once)."""
    return OutboundMail(
        to=to,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        language=language,
        attachments=list(attachments),
        scrub_after_sending=scrub_after_sending,
    )


def queue_delivery(mail_ids):
    calls = [(batch,) for batch in batches(list(mail_ids))]
    transaction.on_commit(lambda: queueing.enqueue_each(deliver_mails, calls))


def batches(items, size=None):
    """`items` in lists of at most `size` (BATCH_SIZE): one delivery task each."""
    size = size or BATCH_SIZE
    return [items[start : start + size] for start in range(0, len(items), size)]


def render_templated_mail(template_name, *, context, language) -> tuple[str, str, str]:
    """Subject, text and HTML of `<template_name>_subject.txt`, `.txt` and `.html` in the
    given language."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"{template_name}_subject.txt", context)
        body_text = render_to_string(f"{template_name}.txt", context)
        body_html = render_to_string(f"{template_name}.html", context)
    return subject, body_text, body_html


def text_as_html(body_text, *, subject, language) -> str:
    """A text-only message (allauth's) as HTML in the mails' layout: paragraphs and links."""
    with translation.override(language):
        return render_to_string(
            "participation/mail/text_as_html.html", {"subject": subject, "body_text": body_text}
        )


def send_templated_mail(template_name, *, to, context, language) -> OutboundMail:
    """Render `<template_name>_subject.txt`, `.txt` and `.html` and queue them."""
    subject, body_text, body_html = render_templated_mail(
        template_name, context=context, language=language
    )
    return queue_mail(
        to=to, subject=subject, body_text=body_text, body_html=body_html, language=language
    )


class CannotResend(Exception):
    """The failed mails asked for were written longer ago than the retention period of mail
    texts: their text is removed (tonight at the latest), so they are not sent again."""

    def __init__(self, count):
        super().__init__(count)
        self.count = count

    @property
    def message(self) -> str:
        return ngettext(
            "The failed e-mail was written more than %(days)d days ago. Its text has been "
            "removed as the retention rules require, so it cannot be sent again.",
            "The %(count)d failed e-mails were written more than %(days)d days ago. Their "
            "texts have been removed as the retention rules require, so they cannot be sent "
            "again.",
            self.count,
        ) % {"count": self.count, "days": PERIODS["mail_bodies"].kept_days}


def resend_cutoff() -> datetime.datetime:
    """A failed mail written before this moment is not sent again: its retention period
    ("mail_bodies", from when it was written) has passed."""
    return PERIODS["mail_bodies"].cutoff(timezone.now())


def requeue_failed(mail_ids) -> int:
    """Give failed messages another attempt; messages sent or still queued are left alone,
    and so are failed ones past the retention period of their text. Raises CannotResend
    when every failed message asked for is past it."""
    failed = OutboundMail.objects.filter(pk__in=list(mail_ids), status=OutboundMail.Status.FAILED)
    ids = list(failed.filter(created_at__gte=resend_cutoff()).values_list("pk", flat=True))
    if not ids:
        expired = failed.count()
        if expired:
            raise CannotResend(expired)
        return 0
    OutboundMail.objects.filter(pk__in=ids, status=OutboundMail.Status.FAILED).update(
        status=OutboundMail.Status.QUEUED, next_attempt_at=timezone.now()
    )
    queue_delivery(ids)
    return len(ids)


def resume_queued(*, since, grace) -> int:
    """Queue again the mails still queued (created after `since`) whose attempt was handed
    to the broker, or fell due after a passing error, longer than `grace` ago: younger ones
    are waiting in Redis or for their backoff. Returns how many were queued."""
    cutoff = timezone.now() - grace
    due = OutboundMail.objects.filter(
        Q(next_attempt_at__isnull=True, created_at__lte=cutoff) | Q(next_attempt_at__lte=cutoff),
        status=OutboundMail.Status.QUEUED,
        created_at__gte=since,
    )
    ids = list(due.values_list("pk", flat=True))
    OutboundMail.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
    queueing.enqueue_each(deliver_mails, [(batch,) for batch in batches(ids)])
    return len(ids)


def deliver(mail_id, *, last_attempt=False) -> bool:
    """Send one queued message. Returns True if it was sent now, False if it was already
    sent, is being sent elsewhere, or failed for good. Transient errors propagate so the
    task retries (the row stays queued for that retry), except on the `last_attempt`: then
    the message has failed for good, with the reason."""
    return deliver_many([mail_id], last_attempt=last_attempt) == 1


def deliver_many(mail_ids, *, last_attempt=False) -> int:
    """Send the queued messages among `mail_ids` over one connection, each at most once;
    returns how many left now. Those another process is sending, or has sent, are skipped.

    Exactly once: the rows are claimed together (a lock per row that lasts across the
    commits below and ends with the database session, so a killed worker leaves nothing
    claimed), their status is read after the claim, and each message is marked sent in its
    own commit right after the server's "250". The one statement per message is that
    commit: marking the batch sent at its end would put the whole batch, not one message,
    in the window where a killed worker sends again what the server had accepted (the
    repeat carries the same Message-ID).

    A permanent failure of one recipient is recorded and the rest is sent. A transient
    error stops the batch: the message is recorded with the reason and the error
    propagates, so that the task retries; the retry finds the ones already sent marked so.
    On the `last_attempt` every message gets its attempt and a transient error is final."""
    ids = sorted({int(pk) for pk in mail_ids})
    if not ids:
        return 0
    claimed = _claim(ids)
    try:
        mails = list(
            OutboundMail.objects.filter(pk__in=claimed, status=OutboundMail.Status.QUEUED).order_by(
                "pk"
            )
        )
        sent = 0
        for position, mail in enumerate(mails):
            try:
                _send(_as_message(mail))
            except TRANSIENT_ERRORS as error:
                _record_failure(mail.pk, error, final=last_attempt)
                if last_attempt:
                    continue
                _postpone([later.pk for later in mails[position + 1 :]], mail.attempts)
                raise
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(mail.pk, error, final=True)
                continue
            _mark_sent(mail)
            sent += 1
        return sent
    finally:
        _release(claimed)


# The namespace of the outbox rows' claims among PostgreSQL's advisory locks.
CLAIM_NAMESPACE = 0x6D61696C  # "mail"


def _claim(ids) -> list[int]:
    """Claim the rows `ids` for this database session (PostgreSQL advisory locks), skipping
    those another session holds, and let this session's commits of "sent" return before
    they are flushed to disk (see `_mark_sent`). Returns the ids claimed. The embedded
    SQLite database has one writer at a time and runs tasks inline: there the claim is the
    status read after it."""
    if connection.vendor != "postgresql":
        return ids
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
        cursor.execute(
            "SELECT id FROM unnest(%s::bigint[]) AS id"
            " WHERE pg_try_advisory_lock(%s, (id %% 2147483648)::integer)",
            [ids, CLAIM_NAMESPACE],
        )
        return [row[0] for row in cursor.fetchall()]


def _release(ids):
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            if ids:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, (id %% 2147483648)::integer)"
                    " FROM unnest(%s::bigint[]) AS id",
                    [CLAIM_NAMESPACE, ids],
                )
            cursor.execute("RESET synchronous_commit")
    except DATABASE_DOWN:
        # A session that broke meanwhile has lost its claims and its setting with it. One
        # that only failed these statements must not keep them into the worker's next task
        # (it keeps its connection across tasks): closing it ends the session.
        with contextlib.suppress(*DATABASE_DOWN):
            connection.close()


def _mark_sent(mail):
    """Record "sent": one statement, committed at once (autocommit). The commit does not
    wait for the disk (`_claim`): a worker killed after sending it has recorded "sent" all
    the same; only a crash of PostgreSQL itself within a fraction of a second may forget
    it, and then the mail goes once more, with the same Message-ID, never not at all.

    A plain statement rather than a queryset's `update()`: it runs once per mail sent, and
    building the queryset and compiling its SQL cost five times the statement itself."""
    fields = {
        "status": OutboundMail.Status.SENT,
        "sent_at": timezone.now(),
        "attempts": mail.attempts + 1,
        "last_error": "",
    }
    if mail.scrub_after_sending:
        # Everything that carried the content, the calendar file's link included.
        fields |= {"body_text": "", "body_html": "", "attachments": []}
    columns = [OutboundMail._meta.get_field(name) for name in fields]
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(columns, fields.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_update_by_id(tuple(field.column for field in columns)), [*params, mail.pk])


def _update_by_id(columns) -> str:
    """`UPDATE <outbox> SET <column> = %s, … WHERE id = %s`."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    model = OutboundMail._meta
    return f"UPDATE {quote(model.db_table)} SET {assignments} WHERE {quote(model.pk.column)} = %s"  # noqa: S608


def _postpone(mail_ids, attempts):
    """The messages a transient error kept from their attempt wait for the task's retry:
    the catch-up leaves them alone meanwhile."""
    if mail_ids:
        later = timezone.now() + datetime.timedelta(seconds=retry_countdown(attempts))
        OutboundMail.objects.filter(pk__in=mail_ids).update(next_attempt_at=later)


def deliver_with_retries(task, deliver_now, *args):
    """Run `deliver_now(*args, last_attempt=...)` inside a bound task: a transient error is
    retried with a growing pause; after MAIL_SEND_RETRIES retries it is final and the mail
    is recorded as failed with the reason, so the coordinator sees it and can send it again.
    An inline run (no worker) must not retry inside the user's request: it has one attempt."""
    last_attempt = task.request.is_eager or task.request.retries >= settings.MAIL_SEND_RETRIES
    try:
        return deliver_now(*args, last_attempt=last_attempt)
    except DATABASE_DOWN as error:
        if task.request.is_eager:
            raise
        # The same attempt again once the database is back (a restart takes seconds).
        # Usually the row could not even be locked, so nothing was sent; lost between the
        # server's "250" and the commit of "sent", the mail goes again with the same
        # Message-ID, as after a worker killed there.
        raise task.retry(
            exc=error,
            countdown=retry_countdown(task.request.retries),
            max_retries=settings.MAIL_SEND_RETRIES,
        ) from error
    except TRANSIENT_ERRORS as error:
        raise task.retry(
            exc=error,
            countdown=retry_countdown(task.request.retries),
            max_retries=settings.MAIL_SEND_RETRIES,
        ) from error


def retry_countdown(retries) -> int:
    """Seconds before the next attempt after `retries` earlier retries: 10 s, 20 s, 40 s …,
    at most 10 minutes."""
    return min(MAX_BACKOFF_SECONDS, settings.MAIL_RETRY_SECONDS * 2**retries)


# The name is the one tasks already queued in Redis carry.
@shared_task(name="participation.tasks.deliver_mail", bind=True, acks_late=True)
def deliver_mail(self, mail_id):
    return deliver_with_retries(self, deliver, mail_id)


@shared_task(name="participation.tasks.deliver_mails", bind=True, acks_late=True)
def deliver_mails(self, mail_ids):
    """Up to BATCH_SIZE messages over one connection (`deliver_many`)."""
    return deliver_with_retries(self, deliver_many, mail_ids)


def message_id(mail) -> str:
    """The same Message-ID on every attempt to send this outbox row. A worker killed after
    the server accepted a mail but before "sent" was committed sends it once more; with the
    same Message-ID the recipient's mail system can recognise the repeat as one message."""
    stamp = int(mail.created_at.timestamp())
    return f"<mail-{mail.pk}.{stamp}@{settings.MITPLANEN_CALENDAR_DOMAIN}>"


@functools.lru_cache(maxsize=256)
def _folded(name, value, linesep, max_line_length, cte_type) -> bytes:
    policy = Compat32(linesep=linesep, max_line_length=max_line_length, cte_type=cte_type)
    return policy.fold_binary(name, value)


class _FoldingOnce(Compat32):
    """The email package's `compat32` policy (the one Django's messages use), folding each
    header it has folded before from a cache: most headers of a batch's messages are the
    same (From, Subject, Content-Language, each part's Content-Type, MIME-Version and
    Content-Transfer-Encoding), and folding one costs about as much as writing a body.
    Folding is a function of the header and the policy's settings alone, so the bytes are
    the same."""

    def fold_binary(self, name, value):
        if not isinstance(value, str):  # a Header object: folded each time
            return super().fold_binary(name, value)
        return _folded(name, value, self.linesep, self.max_line_length, self.cte_type)


class _Message(EmailMultiAlternatives):
    """Django's message with the MIME boundaries chosen here: a random one that none of the
    parts contains, found without the email package's search (a regular expression compiled
    per message over all of its text), which costs about as much as the rest of the MIME;
    and written with the headers folded once per process (`_FoldingOnce`)."""

    def message(self):
        message = super().message()
        for part in message.walk():
            if part.is_multipart():
                part.set_boundary(self._boundary())
        # The generator writing the message passes its policy on to the parts.
        message.policy = _FOLDING_ONCE
        return message

    def _boundary(self):
        contents = [self.body, *(content for content, _type in self.alternatives)]
        contents += [str(content) for _name, content, _type in self.attachments]
        while True:
            boundary = f"==============={secrets.token_hex(16)}=="
            if not any(boundary in content for content in contents):
                return boundary


_FOLDING_ONCE = _FoldingOnce()


def _as_message(mail):
    message = _Message(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Message-ID": message_id(mail), "Content-Language": mail.language},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


_connection = None
_connection_settings = None


def _send(message):
    """Send over one connection kept open per process: a new SMTP connection per message
    costs about a quarter of the throughput. A connection the server closed while idle is
    reopened once."""
    message.connection = _open_connection()
    try:
        message.send()
    except smtplib.SMTPServerDisconnected:
        _drop_connection()
        message.connection = _open_connection()
        message.send()
    except TRANSIENT_ERRORS:
        _drop_connection()
        raise


def _open_connection():
    global _connection, _connection_settings
    wanted = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if _connection is not None and _connection_settings != wanted:
        _drop_connection()
    if _connection is None:
        connection = get_connection()
        connection.open()
        _connection, _connection_settings = connection, wanted
    return _connection


def _drop_connection():
    global _connection
    if _connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            _connection.close()
    _connection = None


def _record_failure(mail_id, error, *, final):
    logger.warning("mail %s not delivered: %s", mail_id, error)
    fields = {"last_error": str(error)[:2000], "attempts": F("attempts") + 1}
    if final:
        fields["status"] = OutboundMail.Status.FAILED
    else:
        earlier = OutboundMail.objects.filter(pk=mail_id).values_list("attempts", flat=True)
        backoff = retry_countdown(earlier.first() or 0)
        fields["next_attempt_at"] = timezone.now() + datetime.timedelta(seconds=backoff)
    OutboundMail.objects.filter(pk=mail_id).update(**fields)
