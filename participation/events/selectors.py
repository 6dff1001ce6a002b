"""Reads of the event pipeline: an event's audience entries and invitations, and how far
their delivery has come."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from ..models import AudienceEntry, Invitation, InvitationMessage, OutboundMail

# The key of an invitation's first message, the invitation itself.
INVITATION_KEY = "invitation"


def invitations_of(event):
    return Invitation.objects.filter(
        event_type=ContentType.objects.get_for_model(event), event_id=event.pk
    )


def entries_of(event):
    return AudienceEntry.objects.filter(
        event_type=ContentType.objects.get_for_model(event), event_id=event.pk
    ).select_related("body", "organisation", "person")


def _first_message(field):
    return Subquery(
        InvitationMessage.objects.filter(invitation=OuterRef("pk"), key=INVITATION_KEY).values(
            field
        )[:1]
    )


def with_delivery_status(queryset):
    """Each invitation with `delivery_status` (queued, sent or failed), `delivery_error` and
    `delivery_attempts` of its invitation mail: queued until the mail has left."""
    return queryset.annotate(
        delivery_status=Coalesce(
            _first_message("mail__status"),
            Value(OutboundMail.Status.QUEUED),
            output_field=CharField(),
        ),
        delivery_error=Coalesce(
            _first_message("mail__last_error"), Value(""), output_field=TextField()
        ),
        delivery_attempts=Coalesce(
            _first_message("mail__attempts"), Value(0), output_field=IntegerField()
        ),
    )


def delivery_counts(event) -> dict:
    """How many invitation mails are sent, failed and still queued (one query)."""
    sent, failed = OutboundMail.Status.SENT, OutboundMail.Status.FAILED
    first = InvitationMessage.objects.filter(key=INVITATION_KEY)
    counts = invitations_of(event).aggregate(
        total=Count("pk", distinct=True),
        sent=Count("pk", distinct=True, filter=Q(messages__in=first.filter(mail__status=sent))),
        failed=Count("pk", distinct=True, filter=Q(messages__in=first.filter(mail__status=failed))),
    )
    counts["queued"] = counts["total"] - counts["sent"] - counts["failed"]
    return counts
