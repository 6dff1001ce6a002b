"""The personal data the social monitoring holds, for the records of processing and the
download of one's own data (the contract: `participation/privacy/inventory.py`). Spaces and
indicators describe places and figures; only who proposed, confirmed or defined them is
personal."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import NoPersonalData, authored

PLACE_NAME = _("the name of a place (a social space or neighbourhood), not of a person")
FIGURE_NAME = _("the name of a figure of the monitoring, not of a person")

DECLARATIONS = [
    authored(
        "space_created",
        "monitoring.Space",
        "created_by",
        context=("key", "valid_from", "created_at"),
        purpose=_("Knowing who proposed a social space or neighbourhood"),
        exempt={"name": PLACE_NAME},
    ),
    authored(
        "space_confirmed",
        "monitoring.Space",
        "confirmed_by",
        context=("key", "valid_from", "confirmed_at"),
        purpose=_("Knowing who confirmed a space for the county"),
        exempt={"name": PLACE_NAME},
    ),
    NoPersonalData(
        "monitoring.SpaceSuccession", _("how figures carry over between versions of a space")
    ),
    authored(
        "indicator_created",
        "monitoring.Indicator",
        "created_by",
        context=("code", "created_at"),
        purpose=_("Knowing who defined an indicator"),
        exempt={"name": FIGURE_NAME},
    ),
    authored(
        "indicator_set_created",
        "monitoring.IndicatorSet",
        "created_by",
        context=("created_at",),
        purpose=_("Knowing who put an indicator set together"),
        exempt={"name": _("the name of a set of figures, not of a person")},
    ),
]
