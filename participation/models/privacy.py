"""A person's download of their own data (Art. 15 and 20 GDPR): asked for by a signed-in
person or by an invitee through their personal link, built by the worker into one ZIP held
on the row, downloadable only by whoever asked, until it expires."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    invitation = models.ForeignKey(
        "participation.Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    downloaded_at = models.DateTimeField(_("last downloaded"), null=True, blank=True)
    archive = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("download of one's own data")
        verbose_name_plural = _("downloads of one's own data")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(invitation__isnull=True),
                name="data_export_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="data_export_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at
