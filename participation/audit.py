"""Which records keep an audit trail (who, when, what changed)."""

from auditlog.registry import auditlog

from .models import Body, BodyMembership, Invitation, Membership, Organisation, Person, User

BOOKKEEPING_FIELDS = ["id", "created_at", "updated_at"]


def untracked_fields(model):
    """Reverse relations (a body's seats, a seat's deputies) are not facts of the record
    itself; ids and timestamps are bookkeeping the entry already holds."""
    reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
    return reverse + BOOKKEEPING_FIELDS


for model in (Organisation, Person, Membership, Body, BodyMembership):
    auditlog.register(model, exclude_fields=untracked_fields(model))
auditlog.register(User, include_fields=["email", "is_coordinator", "is_active", "is_staff"])
# Replies, places and attendance; accessibility needs and dietary wishes may tell of a
# person's health and stay out of the log, which is kept longer than the event.
auditlog.register(
    Invitation,
    include_fields=["reply", "waitlisted_at", "deputy_for", "checked_in_at", "organisation"],
)
