"""Which records keep an audit trail (who, when, what changed), and entries written by hand
for what no audit signal sees."""

import re

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
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


def redact_entries(model, replacements) -> int:
    """Rewrites the entries on objects of `model` that quote personal data whose period
    has passed: `replacements` maps an object's pk to {text quoted: text instead}, applied
    (ignoring case) to the entry's representation and its recorded changes. Returns the
    number of entries rewritten."""
    replacements = {
        str(pk): {old: new for old, new in texts.items() if old}
        for pk, texts in replacements.items()
    }
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_pk__in=[pk for pk, texts in replacements.items() if texts],
    )
    changed = []
    for entry in entries:
        texts = replacements[entry.object_pk]
        before = (entry.object_repr, entry.changes, entry.changes_text)
        entry.object_repr = _replace(entry.object_repr, texts)
        entry.changes = _replace(entry.changes, texts)
        entry.changes_text = _replace(entry.changes_text, texts)
        if (entry.object_repr, entry.changes, entry.changes_text) != before:
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr", "changes", "changes_text"])
    return len(changed)


def _replace(value, texts):
    if isinstance(value, str):
        for old, new in texts.items():
            value = re.sub(re.escape(old), lambda _match, new=new: new, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_replace(item, texts) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, texts) for key, item in value.items()}
    return value
