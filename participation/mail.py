"""The one path every e-mail takes: render in the recipient's language, store it in the
outbox, queue one delivery task after commit. The task delivers each message at most once,
guarded by the row's status in the database."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundMail

logger = logging.getLogger(__name__)

# Errors worth another attempt later; anything else is recorded as a permanent failure.
TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def queue_mail(*, to, subject, body_text, body_html="", scrub_after_sending=False) -> OutboundMail:
    """Store one message and queue its delivery once the surrounding transaction commits."""
    from .tasks import deliver_mail

    mail = OutboundMail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        scrub_after_sending=scrub_after_sending,
    )
    transaction.on_commit(lambda: deliver_mail.delay(mail.pk))
    return mail


def send_templated_mail(template_name, *, to, context, language=None) -> OutboundMail:
    """Render `<template_name>_subject.txt`, `.txt` and (if present) `.html` and queue them."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_name}_subject.txt", context)
        body_text = render_to_string(f"{template_name}.txt", context)
        try:
            body_html = render_to_string(f"{template_name}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    return queue_mail(to=to, subject=subject, body_text=body_text, body_html=body_html)


def deliver(mail_id) -> bool:
    """Send one queued message. Returns True if it was sent now, False if it was already
    sent, is being sent elsewhere, or failed for good. Transient errors propagate so the
    task retries; the row stays queued for that retry."""
    try:
        with transaction.atomic():
            mail = (
                OutboundMail.objects.select_for_update(skip_locked=True)
                .filter(pk=mail_id, status=OutboundMail.Status.QUEUED)
                .first()
            )
            if mail is None:
                return False
            _as_message(mail).send()
            mail.status = OutboundMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.attempts += 1
            mail.last_error = ""
            if mail.scrub_after_sending:
                mail.body_text = mail.body_html = ""
            mail.save()
        return True
    except TRANSIENT_ERRORS as error:
        _record_failure(mail_id, error, final=False)
        raise
    except (smtplib.SMTPException, OSError) as error:
        _record_failure(mail_id, error, final=True)
        return False


def _as_message(mail):
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    return message


def _record_failure(mail_id, error, *, final):
    logger.warning("mail %s not delivered: %s", mail_id, error)
    fields = {"last_error": str(error)[:2000], "attempts": F("attempts") + 1}
    if final:
        fields["status"] = OutboundMail.Status.FAILED
    OutboundMail.objects.filter(pk=mail_id).update(**fields)
