"""The invitation pipeline, for any kind of event: invite the audience, send one message per
invitation through Celery, tell invitees about changes and cancellations, resend failures.

Nothing is sent twice: each message has a key that is unique per invitation (the database
refuses a second row), and its mail leaves the outbox once (`mail.deliver` locks the row and
checks its status). Nothing is lost: the database says what is still to send, and
`resume_unsent` queues it again whenever a worker (re)connects to the broker and every few
minutes."""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import mail, queueing
from ..audit import record_action
from ..models import EventStatus, Invitation, InvitationMessage, OutboundMail, Reply
from . import calendar
from .audiences import audience_state
from .links import new_token
from .selectors import INVITATION_KEY, event_models, invitations_of, update_recipients

Purpose = InvitationMessage.Purpose
CANCELLATION_KEY = "cancellation"
INFORMATION_KEY = "information"
MAIL_TEMPLATE = "participation/mail/invitation"
# What is older than this is not picked up again by `resume_unsent`.
RESUME_WINDOW = datetime.timedelta(days=7)
# What was queued more recently than this is waiting in Redis (or for its backoff): the
# regular catch-up leaves it alone. The catch-up when a worker (re)connects has no grace,
# since a killed worker's tasks are held back by Redis for an hour.
RESUME_GRACE = datetime.timedelta(minutes=10)


def send_invitations(event, *, actor) -> int:
    """Invite everyone the audience names today who is not invited yet; returns how many.
    A seat's registered deputy is informed instead (and invited when the principal
    declines; at once if the principal has declined already). One delivery task per
    invitation is queued after commit; the event's audit trail names who sent how many."""
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Publish the event before sending invitations."))
    event_type = ContentType.objects.get_for_model(event)
    with transaction.atomic():
        # Two coordinators pressing "send" at once must not invite anybody twice.
        type(event).objects.select_for_update().get(pk=event.pk)
        state = audience_state(event)
        to_invite = state.to_invite

        def invitation(recipient, **extra):
            return Invitation(
                event_type=event_type,
                event_id=event.pk,
                email=recipient.email,
                name=recipient.name,
                language=recipient.language,
                person=recipient.person,
                organisation=recipient.organisation,
                **extra,
            )

        created = Invitation.objects.bulk_create(
            [invitation(recipient) for recipient in to_invite if not recipient.informed]
        )
        principals = {
            principal.email.lower(): principal
            for principal in invitations_of(event).filter(
                email__in={r.deputy_of for r in to_invite if r.informed}
            )
        }
        deputies = []
        for recipient in to_invite:
            if not recipient.informed:
                continue
            principal = principals.get(recipient.deputy_of)
            informed = principal is not None and principal.reply != Reply.DECLINED
            deputies.append(invitation(recipient, deputy_for=principal, informed=informed))
        created += Invitation.objects.bulk_create(deputies)
        _queue([_first_message(invitation) for invitation in created])
        if created:
            record_action(event, actor=actor, changes={"invitations_sent": [None, len(created)]})
    return sum(1 for invitation in created if not invitation.informed)


def _first_message(invitation):
    if invitation.informed:
        return (invitation.pk, Purpose.INFORMATION, INFORMATION_KEY)
    return (invitation.pk, Purpose.INVITATION, INVITATION_KEY)


def invite_informed_deputies(principal) -> int:
    """Under the event's lock, after `principal` declined: their informed deputies are
    invited now. The row lock and the flag make it once, however many declines arrive at
    the same moment; the message key makes it one mail."""
    deputies = list(
        Invitation.objects.select_for_update().filter(deputy_for=principal, informed=True)
    )
    for deputy in deputies:
        deputy.informed = False
        deputy.save(update_fields=["informed"])
        _queue([(deputy.pk, Purpose.INVITATION, INVITATION_KEY)])
    if deputies:
        record_action(
            principal.event,
            actor=None,
            changes={"deputies_invited": [None, [deputy.email for deputy in deputies]]},
        )
    return len(deputies)


def invite_person(
    event,
    *,
    email,
    name="",
    person=None,
    organisation=None,
    language="de",
    deputy_for=None,
    actor=None,
) -> Invitation:
    """Invite one more person (a deputy, a late addition) and queue their invitation.
    `actor` is None when the invitee names a deputy through their personal link."""
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Publish the event before sending invitations."))
    email = email.strip().lower()
    if invitations_of(event).filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already invited.") % {"email": email})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            event_type=ContentType.objects.get_for_model(event),
            event_id=event.pk,
            email=email,
            name=name,
            person=person,
            organisation=organisation,
            language=language,
            deputy_for=deputy_for,
        )
        record_action(event, actor=actor, changes={"invited": [None, email]})
        _queue([(invitation.pk, Purpose.INVITATION, INVITATION_KEY)])
    return invitation


def queue_message(invitation, purpose, key) -> None:
    """Queue one message of `purpose` to `invitation` after commit, once per `key`."""
    _queue([(invitation.pk, purpose, key)])


def announce_change(event, *, actor) -> int:
    """After a change of date, time or place: raise the calendar sequence and send an
    update to everyone invited who has not declined, and, for their information, to the
    informed deputies (without a calendar file or a reply link: they are not invited)."""
    with transaction.atomic():
        type(event).objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
        event.refresh_from_db(fields=["sequence"])
        key = f"update-{event.sequence}"
        ids = list(update_recipients(event).values_list("pk", flat=True))
        _queue([(pk, Purpose.UPDATE, key) for pk in ids])
        if ids:
            record_action(event, actor=actor, changes={"updates_sent": [None, len(ids)]})
    return len(ids)


def send_programme_update(event, *, actor, key) -> int:
    """Send the current programme (`Event.programme_update(key)`, its changes marked) to
    everyone invited who has not declined and to the informed deputies; one message per
    invitation and `key`, however often this is called. The caller names the programme's
    version in `key` (and holds the rule of when there is one to send)."""
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Only a published event's invitees can be sent an update."))
    with transaction.atomic():
        ids = list(update_recipients(event).exclude(messages__key=key).values_list("pk", flat=True))
        _queue([(pk, Purpose.PROGRAMME, key) for pk in ids])
        if ids:
            record_action(event, actor=actor, changes={"programme_sent": [None, len(ids)]})
    return len(ids)


def cancel_event(event, *, actor) -> int:
    """Cancel the event and send every invitee who has not declined a calendar cancellation
    (an informed deputy is told without a calendar file). Personal links stop working."""
    if event.status == EventStatus.CANCELLED:
        return 0
    before = event.status
    with transaction.atomic():
        type(event).objects.filter(pk=event.pk).update(
            status=EventStatus.CANCELLED, sequence=F("sequence") + 1
        )
        event.refresh_from_db(fields=["status", "sequence"])
        ids = list(update_recipients(event).values_list("pk", flat=True))
        _queue([(pk, Purpose.CANCELLATION, CANCELLATION_KEY) for pk in ids])
        record_action(
            event,
            actor=actor,
            changes={
                "status": [before, EventStatus.CANCELLED],
                "cancellations_sent": [None, len(ids)],
            },
        )
    return len(ids)


def resend_failed(event, *, actor, invitation=None) -> int:
    """Another attempt for every failed message of the event (or of one invitation)."""
    messages = InvitationMessage.objects.filter(
        invitation__in=invitations_of(event), mail__status=OutboundMail.Status.FAILED
    )
    if invitation is not None:
        messages = messages.filter(invitation=invitation)
    with transaction.atomic():
        resent = mail.requeue_failed(messages.values_list("mail_id", flat=True))
        if resent:
            record_action(event, actor=actor, changes={"messages_resent": [None, resent]})
    return resent


def _queue(items):
    items = list(items)
    if items:
        transaction.on_commit(lambda: _dispatch(items))


def _dispatch(items):
    if not queueing.enqueue_each(send_invitation_message, items):
        # The broker is down. `resume_unsent` finds invitations without their invitation
        # message again; other messages (updates, cancellations, reminders) it could not
        # tell from the rows, so they are written to the outbox now, where it finds them.
        for item in items:
            if item[2] not in (INVITATION_KEY, INFORMATION_KEY):
                prepare_message(*item)


# --- in the worker ---------------------------------------------------------------------------


# The task names are the ones tasks already queued in Redis and stored beat schedules carry.
@shared_task(name="participation.tasks.send_invitation_message", bind=True, acks_late=True)
def send_invitation_message(self, invitation_id, purpose, key):
    return mail.deliver_with_retries(self, deliver_message, invitation_id, purpose, key)


@shared_task(name="participation.tasks.resume_unsent")
def resume_unsent_task(grace_seconds=None):
    grace = RESUME_GRACE if grace_seconds is None else datetime.timedelta(seconds=grace_seconds)
    return resume_unsent(grace=grace)


def deliver_message(invitation_id, purpose, key, *, last_attempt=False) -> bool:
    """Write the message (once: its key is unique) and deliver its mail (once: the outbox
    row is locked and checked). Returns True if a mail left now."""
    message = prepare_message(invitation_id, purpose, key)
    if message is None:
        return False
    return mail.deliver(message.mail_id, last_attempt=last_attempt)


def prepare_message(invitation_id, purpose, key) -> InvitationMessage | None:
    """The message named `key`, rendered and stored in the outbox on first call, with a new
    personal link whose raw token exists only in the mail. None if the invitation is gone
    or its event no longer wants this message."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None:
            return None
        existing = InvitationMessage.objects.filter(invitation=invitation, key=key).first()
        if existing is not None:
            return existing
        event = invitation.event
        if event is None or not _still_wanted(event, purpose):
            return None
        raw_token, token_hash = (None, None)
        # An informed deputy has nothing to reply yet: no personal link.
        wants_link = purpose not in (Purpose.CANCELLATION, Purpose.INFORMATION)
        if wants_link and not invitation.informed and event.links_usable():
            raw_token, token_hash = new_token()
        outbound = _render(invitation, event, purpose, raw_token, key)
        return InvitationMessage.objects.create(
            invitation=invitation,
            purpose=purpose,
            key=key,
            mail=outbound,
            token_hash=token_hash,
        )


def _still_wanted(event, purpose) -> bool:
    if purpose == Purpose.CANCELLATION:
        return event.status == EventStatus.CANCELLED
    return event.status == EventStatus.PUBLISHED and event.end > timezone.now()


def personal_link(raw_token) -> str:
    return settings.SITE_URL + reverse("participation:invitation_link", args=[raw_token])


def _render(invitation, event, purpose, raw_token, key) -> OutboundMail:
    link = personal_link(raw_token) if raw_token else ""
    # Only invitees get a calendar file: an informed deputy is told, not invited, and an
    # update of the programme changes nothing in the calendar.
    with_calendar = not invitation.informed and purpose not in (
        Purpose.INFORMATION,
        Purpose.PROGRAMME,
    )
    removed = []
    with translation.override(invitation.language):
        details = event.invitation_details()
        if purpose == Purpose.PROGRAMME:
            marked, removed = event.programme_update(key)
        else:
            marked = [(time, item, "") for time, item in event.invitation_programme()]
        ics = ""
        if with_calendar:
            cancel = purpose == Purpose.CANCELLATION
            ics = calendar.ics_for(invitation, cancel=cancel, page_url=link)
    context = {
        "invitation": invitation,
        "event": event,
        "purpose": purpose,
        "link": link,
        "details": details,
        "programme": marked,
        "programme_lines": _aligned(marked),
        "removed": removed,
        "with_calendar": with_calendar,
        "asks_reply": not invitation.informed
        and purpose not in (Purpose.CANCELLATION, Purpose.INFORMATION),
    }
    subject, body_text, body_html = mail.render_templated_mail(
        MAIL_TEMPLATE, context=context, language=invitation.language
    )
    attachments = []
    if with_calendar:
        method = "CANCEL" if purpose == Purpose.CANCELLATION else "REQUEST"
        attachments = [
            {
                "filename": "einladung.ics" if purpose != Purpose.CANCELLATION else "absage.ics",
                "mimetype": f"{calendar.ICS_MIMETYPE}; method={method}; charset=utf-8",
                "content": ics,
            }
        ]
    return mail.store_mail(
        to=invitation.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=invitation.language,
        attachments=attachments,
        # The mail holds the raw token: forget the content once it has left.
        scrub_after_sending=bool(raw_token),
    )


def _aligned(programme) -> list[str]:
    """The programme's (time, item, change) rows for the text mail, the items lined up
    after the times, a change in brackets after its item."""
    width = max((len(time) for time, _item, _change in programme), default=0)
    return [
        f"{time.ljust(width)}  {item}" + (f" [{change}]" if change else "")
        for time, item, change in programme
    ]


def resume_unsent(*, grace=RESUME_GRACE) -> int:
    """Queue again whatever the database says is not sent yet and was queued longer than
    `grace` ago: invitations of open events without their invitation message, and queued
    mails not waiting for their backoff (a worker killed mid-task leaves these; Redis
    returns its unacknowledged task only after an hour). Sending twice is impossible, so
    queueing too much is harmless, but it costs the worker time."""
    now = timezone.now()
    recent = Invitation.objects.filter(
        _of_open_events(now),
        created_at__gte=now - RESUME_WINDOW,
        created_at__lte=now - grace,
    )
    pending = (
        recent.filter(informed=False)
        .exclude(messages__key=INVITATION_KEY)
        .values_list("pk", flat=True)
    )
    uninformed = (
        recent.filter(informed=True)
        .exclude(messages__key=INFORMATION_KEY)
        .values_list("pk", flat=True)
    )
    items = [(pk, Purpose.INVITATION, INVITATION_KEY) for pk in pending]
    items += [(pk, Purpose.INFORMATION, INFORMATION_KEY) for pk in uninformed]
    _dispatch(items)
    return len(items) + mail.resume_queued(since=now - RESUME_WINDOW, grace=grace)


def _of_open_events(now):
    """Invitations of events that still want their invitation sent (published, not over)."""
    condition = Q(pk__in=[])
    for model in event_models():
        open_events = model.objects.filter(status=EventStatus.PUBLISHED, end__gt=now)
        condition |= Q(
            event_type=ContentType.objects.get_for_model(model),
            event_id__in=open_events.values("pk"),
        )
    return condition
