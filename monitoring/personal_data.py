"""The personal data the social monitoring holds, for the records of processing and the
download of one's own data (the contract: `participation/privacy/inventory.py`). Spaces and
indicators describe places and figures; only who proposed, confirmed or defined them is
personal. A delivery's figures are the supplier's; who entered, changed, submitted and
reviewed them is personal, and so is who was reminded."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import PUBLIC_TASK, Declaration, NoPersonalData, authored

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
    # Delivery rounds: a delivery is the supplier's; who submitted, reviewed or typed a
    # figure, and whom the county told or reminded, is personal.
    authored(
        "delivery_round_created",
        "monitoring.Round",
        "created_by",
        context=("reference_date", "created_at"),
        purpose=_("Knowing who opened a delivery round"),
        exempt={"name": _("the name of a collection of figures, not of a person")},
    ),
    authored(
        "delivery_submitted",
        "monitoring.Delivery",
        "submitted_by",
        context=("round", "organisation", "status", "submitted_at"),
        purpose=_("Knowing who submitted a supplier's figures"),
    ),
    authored(
        "delivery_reviewed",
        "monitoring.Delivery",
        "reviewed_by",
        fields=("review_comment",),
        context=("round", "organisation", "review", "reviewed_at"),
        purpose=_("Knowing who approved or sent back a delivery, and why"),
    ),
    authored(
        "delivery_value",
        "monitoring.Value",
        "updated_by",
        fields=("value",),
        context=("response", "indicator", "space", "updated_at"),
        purpose=_("The figures a person entered for their organisation"),
        exempt={"number": _("a figure about a place, not about a person")},
    ),
    authored(
        "delivery_value_change",
        "monitoring.ValueChange",
        "changed_by",
        fields=("old_value", "new_value"),
        context=("answer", "changed_at"),
        purpose=_("The history of a figure: who changed it, and how"),
    ),
    Declaration(
        key="delivery_reminder",
        model="monitoring.DeliveryReminder",
        fields=("person",),
        context=("round", "organisation", "kind", "sent_on"),
        category=_("Reminders"),
        purpose=_("Reminding contact people of a delivery's deadline, once a day at most"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators"),
        retention="records",
        subject=("person",),
    ),
    authored(
        "delivery_reminder_requested",
        "monitoring.DeliveryReminder",
        "requested_by",
        context=("round", "organisation", "sent_on"),
        purpose=_("Knowing who sent a reminder"),
    ),
    Declaration(
        key="delivery_notice",
        model="monitoring.DeliveryNotice",
        fields=("person",),
        context=("delivery", "kind", "sent_back_at", "sent_at"),
        category=_("Notices to contact people"),
        purpose=_(
            "Telling a supplier's contact people that a round is open or a delivery was sent back"
        ),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators"),
        retention="records",
        subject=("person",),
    ),
]
