"""The log of the nightly retention purge, so the data protection officer can see that the
declared periods are kept: when each run started and finished, how many records it purged
per category of personal data, and what failed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..retention import PERIODS


class RetentionRun(models.Model):
    """One run of every purge. `counts` maps a retention key (`participation.retention`) to
    the records it purged; `errors` maps a key whose purge failed to the error, the other
    categories having run all the same. A run without `finished_at` is under way, or was
    cut off (a killed worker); the next night's run does what it left."""

    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    counts = models.JSONField(_("records purged"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def failed(self):
        return bool(self.errors)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def status(self):
        if self.finished_at is None:
            return "running"
        return "failed" if self.errors else "done"

    def lines(self):
        """(category label, records purged, error) per category the run took, in the order
        of the declared periods."""
        keys = [key for key in PERIODS if key in self.counts or key in self.errors]
        return [
            (PERIODS[key].label, self.counts.get(key, 0), self.errors.get(key, "")) for key in keys
        ]
