"""How long each category of personal data is kept, and from when the period runs.

One list serves the nightly purge, the records of processing (Art. 30 GDPR) and the privacy
notice, so what the county declares and what the platform does cannot drift apart. An
installation may shorten or lengthen a period through `settings.RETENTION_DAYS`."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    days: int | None  # None: kept while the record it belongs to exists
    runs_from: str

    @property
    def kept_days(self) -> int | None:
        return getattr(settings, "RETENTION_DAYS", {}).get(self.key, self.days)

    @property
    def overridden(self) -> bool:
        return self.kept_days != self.days

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        """The moment before which the period has passed (for data whose period runs from
        a moment before it); None for data kept while its record exists."""
        days = self.kept_days
        return None if days is None else now - datetime.timedelta(days=days)


PERIODS = {
    period.key: period
    for period in (
        Period(
            "account",
            _("Accounts and the registry"),
            None,
            _("kept while the person holds an account or a seat; removed on erasure"),
        ),
        Period(
            "event_needs",
            _("Accessibility needs and dietary wishes"),
            30,
            _("days after the event ends"),
        ),
        Period(
            "external_replies",
            _("Replies of invitees without an account"),
            365,
            _("days after the event ends"),
        ),
        Period(
            "live_names",
            _("Display names in live sessions"),
            30,
            _("days after the live session ends"),
        ),
        Period(
            "mail_bodies",
            _("Texts of sent and failed mail"),
            90,
            _("days after the mail was sent; for a mail that failed, after it was written"),
        ),
        Period(
            "audit",
            _("Audit trail"),
            3 * 365,
            _("days after the entry was written"),
        ),
        Period(
            "security_log",
            _("Security log"),
            365,
            _("days after the event was logged"),
        ),
        Period(
            "data_exports",
            _("Downloads of one's own data"),
            7,
            _("days after the download was built"),
        ),
        Period(
            "barrier_reports",
            _("Reported barriers"),
            2 * 365,
            _("days after the report was received"),
        ),
        Period(
            "records",
            _("The county's files (responses, statements, decisions, minutes)"),
            None,
            _("kept as the county's records; names are replaced on erasure"),
        ),
    )
}


@checks.register(checks.Tags.compatibility)
def check_retention_days(app_configs=None, **kwargs):
    """A mistyped key or period in RETENTION_DAYS would silently keep data longer than
    declared: the project refuses to start with one."""
    errors = []
    for key, days in getattr(settings, "RETENTION_DAYS", {}).items():
        if key not in PERIODS:
            errors.append(
                checks.Error(
                    f"RETENTION_DAYS names {key!r}, which is no retention key.",
                    hint=f"Use one of: {', '.join(PERIODS)}.",
                    id="participation.E101",
                )
            )
        elif not (isinstance(days, int) and not isinstance(days, bool) and days >= 0):
            errors.append(
                checks.Error(
                    f"RETENTION_DAYS[{key!r}] must be a whole number of days, not {days!r}.",
                    id="participation.E102",
                )
            )
    return errors
