"""The mail outbox: every e-mail is stored here before it leaves, and sent once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Language


class OutboundMail(models.Model):
    """One e-mail on its way out. Rendered when queued; the send task delivers it once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.GERMAN,
        help_text=_("The language the message is written in (its Content-Language)."),
    )
    scrub_after_sending = models.BooleanField(
        default=False, help_text=_("Forget the content once sent (sign-in codes, reset links).")
    )
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Text attachments: a list of {filename, mimetype, content}."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the pending attempt was handed to the broker or, after a passing error, is due
    # again; empty for the first attempt (then `created_at` says it). The catch-up leaves
    # alone what is younger than its grace period: that waits in Redis or for its backoff.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self):
        return f"{self.to}: {self.subject}"
