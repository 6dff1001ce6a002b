"""The abstract shape of a record someone sets up (a meeting series, a task, a date poll, a
consultation): who created it, and when it was created and last changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CreatedRecord(models.Model):
    """Who created a record and when it was created and last changed."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
