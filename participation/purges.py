"""The base's purges (see `purging.py` for the contract): invitees' needs and external
invitees' details after the event, the texts of sent and failed mail, the audit trail and
the security log after their periods.

Writes go through `update()` and `delete()`, which write no audit entry: an entry would
quote the very value that is being removed.

What stays, and why:
- an invitation's row with its reply, place and attendance: the event's record and the
  counts of the committee report. An external invitee's (one without a registry person:
  an address typed into the audience) name goes, and their address becomes
  `invitee-<id>@removed.invalid`, in the invitation, its outbox rows and the audit entries
  that quote it. Invitees who are registry people keep their details with the registry
  (retention key "account").
- a sent mail's outbox row with recipient, subject, state and times: the proof that the
  county informed someone (an invitation, a cancellation) is what the row is kept for; only
  its text, HTML and attachments go. A failed mail keeps them while it may be sent again,
  for the same period counted from when it was written (it has no moment of sending);
  after it `mail.requeue_failed` refuses it and its text goes too."""

import datetime

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from .audit import redact_entries
from .models import (
    AudienceEntry,
    BarrierReport,
    Event,
    Invitation,
    InvitationMessage,
    OutboundMail,
    SecurityEvent,
)
from .purging import Purge

REMOVED_DOMAIN = "@removed.invalid"


def event_models():
    """Every concrete kind of event (a workshop, a meeting), found through the registry."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event) and not model._meta.abstract
    ]


def ended_invitations(before: datetime.datetime):
    """Invitations to events of any kind that ended before `before`."""
    ended = Q(pk__in=[])
    for model in event_models():
        ended |= Q(
            event_type=ContentType.objects.get_for_model(model),
            event_id__in=model.objects.filter(end__lt=before).values("pk"),
        )
    return Invitation.objects.filter(ended)


def remove_event_needs(*, before) -> int:
    """Accessibility needs and dietary wishes (they may tell of health or religion)."""
    return (
        ended_invitations(before)
        .exclude(accessibility_needs="", dietary_wishes="")
        .update(accessibility_needs="", dietary_wishes="")
    )


def remove_external_invitees(*, before) -> int:
    """Names and addresses of invitees without a registry person, wherever they are quoted:
    the invitation, the audience line, the mail sent to them and the audit entries."""
    invitations = list(
        ended_invitations(before)
        .filter(person__isnull=True)
        .exclude(email__iendswith=REMOVED_DOMAIN)
        .values("pk", "email", "name", "event_type_id", "event_id")
    )
    if not invitations:
        return 0
    pseudonyms = {row["pk"]: f"invitee-{row['pk']}{REMOVED_DOMAIN}" for row in invitations}
    redact_entries(
        Invitation,
        {
            row["pk"]: dict.fromkeys([row["name"], row["email"]], pseudonyms[row["pk"]])
            for row in invitations
        },
    )
    # The event's entries quote the address ("invited", "added to the audience").
    quoted_on_event = {}
    for row in invitations:
        key = (row["event_type_id"], row["event_id"])
        quoted_on_event.setdefault(key, {})[row["email"]] = pseudonyms[row["pk"]]
    for (type_id, event_id), addresses in quoted_on_event.items():
        redact_entries(ContentType.objects.get_for_id(type_id).model_class(), {event_id: addresses})
        for email, pseudonym in addresses.items():
            AudienceEntry.objects.filter(
                event_type_id=type_id,
                event_id=event_id,
                kind=AudienceEntry.Kind.EMAIL,
                email__iexact=email,
            ).update(email=pseudonym, name="")
    ids = list(pseudonyms)
    invitation_of_mail = InvitationMessage.objects.filter(mail=OuterRef("pk")).values(
        "invitation_id"
    )
    OutboundMail.objects.filter(invitation_message__invitation_id__in=ids).update(
        to=Concat(
            Value("invitee-"),
            Cast(Subquery(invitation_of_mail), CharField()),
            Value(REMOVED_DOMAIN),
        )
    )
    return Invitation.objects.filter(pk__in=ids).update(
        email=Concat(Value("invitee-"), Cast(F("pk"), CharField()), Value(REMOVED_DOMAIN)),
        name="",
        accessibility_needs="",
        dietary_wishes="",
    )


def remove_mail_bodies(*, before) -> int:
    """The text, HTML and attachments of mail sent before `before`, and of failed mail
    written before it: that is no longer sent again (`mail.requeue_failed` refuses it)."""
    return (
        OutboundMail.objects.filter(
            Q(status=OutboundMail.Status.SENT, sent_at__lt=before)
            | Q(status=OutboundMail.Status.FAILED, created_at__lt=before)
        )
        .filter(~Q(body_text="") | ~Q(body_html="") | ~Q(attachments=[]))
        .update(body_text="", body_html="", attachments=[])
    )


def remove_audit_entries(*, before) -> int:
    return LogEntry.objects.filter(timestamp__lt=before).delete()[0]


def remove_security_events(*, before) -> int:
    return SecurityEvent.objects.filter(at__lt=before).delete()[0]


def remove_barrier_reports(*, before) -> int:
    return BarrierReport.objects.filter(created_at__lt=before).delete()[0]


PURGES = [
    Purge("event_needs", remove_event_needs),
    Purge("external_replies", remove_external_invitees),
    Purge("mail_bodies", remove_mail_bodies),
    Purge("audit", remove_audit_entries),
    Purge("security_log", remove_security_events),
    Purge("barrier_reports", remove_barrier_reports),
]
