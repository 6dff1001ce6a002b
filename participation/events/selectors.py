"""Reads of the event pipeline: an event's audience entries and invitations, and how far
their delivery has come."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import (
    AudienceEntry,
    Event,
    EventStatus,
    Invitation,
    InvitationMessage,
    OutboundMail,
    Reply,
)

# The key of an invitation's first message, the invitation itself.
INVITATION_KEY = "invitation"


def event_models():
    """Every concrete kind of event the installed apps define."""
    return [model for model in apps.get_models() if issubclass(model, Event)]


def invitations_of(event):
    return Invitation.objects.filter(
        event_type=ContentType.objects.get_for_model(event), event_id=event.pk
    )


def told_of_changes(invitations):
    """Of these invitations, those whose people hear about a change of their event (a new
    date, its cancellation, a new programme): every invitee who has not declined, and the
    informed deputies, who are told for their information."""
    return invitations.exclude(reply=Reply.DECLINED)


def update_recipients(event):
    """Who hears about a change of the event (see `told_of_changes`)."""
    return told_of_changes(invitations_of(event))


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


def _delivery_status():
    """The status of an invitation's first mail; queued until that mail has left (or while
    it is not even written)."""
    return Coalesce(
        _first_message("mail__status"), Value(OutboundMail.Status.QUEUED), output_field=CharField()
    )


def with_delivery_status(queryset):
    """Each invitation with `delivery_status` (queued, sent or failed), `delivery_error` and
    `delivery_attempts` of its invitation mail."""
    return queryset.annotate(
        delivery_status=_delivery_status(),
        delivery_error=Coalesce(
            _first_message("mail__last_error"), Value(""), output_field=TextField()
        ),
        delivery_attempts=Coalesce(
            _first_message("mail__attempts"), Value(0), output_field=IntegerField()
        ),
    )


def delivery_counts(event) -> dict:
    """How many invitation mails are sent, failed and still queued, by the same status as
    `with_delivery_status` (one query; the progress bar asks for it every two seconds)."""
    sent, failed = OutboundMail.Status.SENT, OutboundMail.Status.FAILED
    counts = (
        invitations_of(event)
        .annotate(delivery_status=_delivery_status())
        .aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(delivery_status=sent)),
            failed=Count("pk", filter=Q(delivery_status=failed)),
        )
    )
    counts["queued"] = counts["total"] - counts["sent"] - counts["failed"]
    return counts


def own_invitation(user, event) -> Invitation | None:
    """The user's own invitation to the event (through their registry person), or None."""
    if not (user and user.is_authenticated):
        return None
    return invitations_of(event).filter(person__user=user).select_related("deputy_for").first()


def waiting_invitations(user, *, now=None) -> list[tuple[Invitation, Event]]:
    """The user's invitations (through their registry person) without a reply, to events
    that are published and still take replies, soonest first: one query per kind of event."""
    if not (user and user.is_authenticated):
        return []
    now = now or timezone.now()
    pending = Invitation.objects.filter(person__user=user, reply=Reply.NONE, informed=False)
    found = []
    for model in event_models():
        event_type = ContentType.objects.get_for_model(model)
        invitations = {
            invitation.event_id: invitation for invitation in pending.filter(event_type=event_type)
        }
        if not invitations:
            continue
        events = model.objects.filter(pk__in=invitations, status=EventStatus.PUBLISHED)
        for event in events:
            if event.replies_open(now):
                found.append((invitations[event.pk], event))
    return sorted(found, key=lambda pair: pair[1].start)
