"""Which records keep an audit trail (who, when, what changed), and entries written by hand
for what no audit signal sees."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from .models import (
    Body,
    BodyMembership,
    Invitation,
    LegalPage,
    Membership,
    Organisation,
    Person,
    User,
)

BOOKKEEPING_FIELDS = ["id", "created_at", "updated_at"]

# What a hand-written entry records besides model fields, with the label the history shows.
ACTION_LABELS = {
    "invitations_sent": _("Invitations sent"),
    "invited": _("Invited"),
    "updates_sent": _("Updates sent"),
    "cancellations_sent": _("Cancellations sent"),
    "messages_resent": _("Messages sent again"),
    "audience_added": _("Added to the audience"),
    "audience_removed": _("Removed from the audience"),
    "programme_sent": _("Programme update sent"),
    "reply_recorded": _("Reply recorded for the invitee"),
}


def untracked_fields(model):
    """Reverse relations (a body's seats, a seat's deputies) are not facts of the record
    itself; ids and timestamps are bookkeeping the entry already holds."""
    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    return reverse + BOOKKEEPING_FIELDS


for model in (Organisation, Person, Membership, Body, BodyMembership):
    auditlog.register(model, exclude_fields=untracked_fields(model))
# The legal pages: who changed the imprint, the privacy notice or the accessibility statement
# and what they wrote is part of the record a public body must be able to show.
auditlog.register(LegalPage, include_fields=["body_de", "body_en"])
auditlog.register(User, include_fields=["email", "is_coordinator", "is_active", "is_staff"])
# Replies, places and attendance; accessibility needs and dietary wishes may tell of a
# person's health and stay out of the log, which is kept longer than the event.
auditlog.register(
    Invitation,
    include_fields=[
        "reply",
        "reply_recorded_by",
        "waitlisted_at",
        "deputy_for",
        "checked_in_at",
        "organisation",
    ],
)


def record_action(obj, *, actor, changes) -> LogEntry:
    """One entry on `obj` for a write no audit signal sees: `bulk_create` and `update()`
    (sending invitations, cancelling) and records without a trail of their own (audience
    lines). `changes` maps a field or a key of ACTION_LABELS to [before, after]."""
    who = {"actor": actor, "actor_email": actor.email} if actor is not None else {}
    return LogEntry.objects.log_create(
        obj,
        action=LogEntry.Action.UPDATE,
        changes={key: [_text(before), _text(after)] for key, (before, after) in changes.items()},
        **who,
    )


def _text(value):
    return "" if value is None else str(value)
