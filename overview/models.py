"""The committee reports requested: the period, who asked, how far the build has come, and
the finished files, kept for download. The files are built once, by the worker, from the
parts the apps give (`committee.py`); the same period gives the same bytes, so keeping them
only spares the waiting."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CommitteeReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    failure = models.TextField(_("reason of the failure"), blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    docx = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="committee_report_period_in_order",
                violation_error_message=_(
                    "The last day of the period must not be before the first day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="committee_report_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("overview:committee_report_detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
