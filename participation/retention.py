"""How long each category of personal data is kept, and from when the period runs.

One list serves the nightly purge, the records of processing (Art. 30 GDPR) and the privacy
notice, so what the county declares and what the platform does cannot drift apart. An
installation may shorten or lengthen a period through `settings.RETENTION_DAYS`."""

from dataclasses import dataclass

from django.conf import settings
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
            _("Texts of sent mail"),
            90,
            _("days after the mail was sent"),
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
