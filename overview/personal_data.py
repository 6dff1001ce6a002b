"""The personal data the overview holds (the contract: `participation/privacy/inventory.py`):
who asked for a committee report. The report itself counts, it names nobody."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import authored

DECLARATIONS = [
    authored(
        "committee_report",
        "overview.CommitteeReport",
        "requested_by",
        context=("start", "end", "status", "requested_at"),
        purpose=_("Knowing who asked for a report to the committee"),
    ),
]
