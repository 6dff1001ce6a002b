"""The invitation pipeline, for any kind of event: invite the audience, send one message per
invitation through Celery (in batches: one task renders and sends up to BATCH_SIZE), tell
invitees about changes and cancellations, resend failures.

Nothing is sent twice: each message has a key that is unique per invitation (the database
refuses a second row), and its mail leaves the outbox once (`mail.deliver_many` claims the
rows and checks their status). Nothing is lost: the database says what is still to send, and
`resume_unsent` queues it again whenever a worker (re)connects to the broker and every few
minutes."""

import datetime
from types import SimpleNamespace

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
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
    batch of invitations is queued after commit; the event's audit trail names who sent how
    many."""
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
    batches = mail.batches(list(items))
    if not queueing.enqueue_each(send_invitation_messages, [(batch,) for batch in batches]):
        # The broker is down. `resume_unsent` finds invitations without their invitation
        # message again; other messages (updates, cancellations, reminders) it could not
        # tell from the rows, so they are written to the outbox now, where it finds them.
        prepare_messages(item for item in items if item[2] not in (INVITATION_KEY, INFORMATION_KEY))


# --- in the worker ---------------------------------------------------------------------------


# The task names are the ones tasks already queued in Redis and stored beat schedules carry.
@shared_task(name="participation.tasks.send_invitation_message", bind=True, acks_late=True)
def send_invitation_message(self, invitation_id, purpose, key):
    return mail.deliver_with_retries(self, deliver_message, invitation_id, purpose, key)


@shared_task(name="participation.tasks.send_invitation_messages", bind=True, acks_late=True)
def send_invitation_messages(self, items):
    """Up to BATCH_SIZE messages, each an (invitation id, purpose, key) item, rendered
    together and sent over one connection (`deliver_messages`)."""
    return mail.deliver_with_retries(self, deliver_messages, items)


@shared_task(name="participation.tasks.resume_unsent")
def resume_unsent_task(grace_seconds=None):
    grace = RESUME_GRACE if grace_seconds is None else datetime.timedelta(seconds=grace_seconds)
    return resume_unsent(grace=grace)


def deliver_message(invitation_id, purpose, key, *, last_attempt=False) -> bool:
    """Write the message (once: its key is unique) and deliver its mail (once: the outbox
    row is claimed and checked). Returns True if a mail left now."""
    return deliver_messages([(invitation_id, purpose, key)], last_attempt=last_attempt) == 1


def deliver_messages(items, *, last_attempt=False) -> int:
    """`deliver_message` for each (invitation id, purpose, key) item: written together,
    then sent over one connection (`mail.deliver_many`). Returns how many mails left now."""
    messages = prepare_messages(items)
    return mail.deliver_many([message.mail_id for message in messages], last_attempt=last_attempt)


def prepare_message(invitation_id, purpose, key) -> InvitationMessage | None:
    """The message named `key`, rendered and stored in the outbox on first call, with a new
    personal link whose raw token exists only in the mail. None if the invitation is gone
    or its event no longer wants this message."""
    messages = prepare_messages([(invitation_id, purpose, key)])
    return messages[0] if messages else None


def prepare_messages(items) -> list[InvitationMessage]:
    """`prepare_message` for each (invitation id, purpose, key) item, in a constant number
    of statements: the invitations are locked together (in the order of their ids, so two
    batches cannot wait for each other), the messages they have read together, the new ones
    rendered (`MessageRenderer`) and stored together. Returns the messages of the items
    still wanted, each once, in the items' order."""
    items = [(int(pk), purpose, key) for pk, purpose, key in items]
    if not items:
        return []
    with transaction.atomic():
        invitations = {
            invitation.pk: invitation
            for invitation in Invitation.objects.select_for_update(of=("self",))
            .select_related("deputy_for")
            .filter(pk__in={pk for pk, _purpose, _key in items})
            .order_by("pk")
        }
        if not invitations:
            return []
        messages = {
            (message.invitation_id, message.key): message
            for message in InvitationMessage.objects.filter(
                invitation_id__in=invitations, key__in={key for _pk, _purpose, key in items}
            )
        }
        events = _events_of(invitations.values())
        renderer = MessageRenderer()
        new = []
        for pk, purpose, key in items:
            invitation = invitations.get(pk)
            if invitation is None or (pk, key) in messages:
                continue
            event = events.get((invitation.event_type_id, invitation.event_id))
            if event is None or not _still_wanted(event, purpose):
                continue
            raw_token, token_hash = (None, None)
            # An informed deputy has nothing to reply yet: no personal link.
            wants_link = purpose not in (Purpose.CANCELLATION, Purpose.INFORMATION)
            if wants_link and not invitation.informed and event.links_usable():
                raw_token, token_hash = new_token()
            outbound = renderer.render(invitation, event, purpose, raw_token, key)
            message = InvitationMessage(
                invitation=invitation,
                purpose=purpose,
                key=key,
                mail=outbound,
                token_hash=token_hash,
            )
            messages[(pk, key)] = message
            new.append(message)
        # bulk_create gives each mail its id, which the message then takes.
        OutboundMail.objects.bulk_create([message.mail for message in new])
        InvitationMessage.objects.bulk_create(new)
    wanted, seen = [], set()
    for pk, _purpose, key in items:
        message = messages.get((pk, key))
        if message is not None and (pk, key) not in seen:
            seen.add((pk, key))
            wanted.append(message)
    return wanted


def _events_of(invitations):
    """The events of `invitations` by (content type id, id): one query per kind of event."""
    wanted = {}
    for invitation in invitations:
        wanted.setdefault(invitation.event_type_id, set()).add(invitation.event_id)
    events = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for event in model.objects.filter(pk__in=ids):
            events[(type_id, event.pk)] = event
    return events


def _still_wanted(event, purpose) -> bool:
    if purpose == Purpose.CANCELLATION:
        return event.status == EventStatus.CANCELLED
    return event.status == EventStatus.PUBLISHED and event.end > timezone.now()


def personal_link(raw_token) -> str:
    return settings.SITE_URL + reverse("participation:invitation_link", args=[raw_token])


def _with_calendar(invitation, purpose) -> bool:
    # Only invitees get a calendar file: an informed deputy is told, not invited, and an
    # update of the programme changes nothing in the calendar.
    return not invitation.informed and purpose not in (Purpose.INFORMATION, Purpose.PROGRAMME)


def _asks_reply(invitation, purpose) -> bool:
    return not invitation.informed and purpose not in (Purpose.CANCELLATION, Purpose.INFORMATION)


def _calendar_attachment(purpose, ics) -> dict:
    method = "CANCEL" if purpose == Purpose.CANCELLATION else "REQUEST"
    return {
        "filename": "einladung.ics" if purpose != Purpose.CANCELLATION else "absage.ics",
        "mimetype": f"{calendar.ICS_MIMETYPE}; method={method}; charset=utf-8",
        "content": ics,
    }


def render_message(invitation, event, purpose, raw_token, key) -> OutboundMail:
    """One message rendered on its own, everything in full: what `MessageRenderer` must
    produce for each recipient of a batch (the tests compare the two). Not saved."""
    link = personal_link(raw_token) if raw_token else ""
    with_calendar = _with_calendar(invitation, purpose)
    subject, body_text, body_html = _mail_texts(invitation, invitation, event, purpose, key, link)
    ics = ""
    if with_calendar:
        with translation.override(invitation.language):
            cancel = purpose == Purpose.CANCELLATION
            ics = calendar.ics_for(invitation, cancel=cancel, page_url=link)
    return mail.outbound_mail(
        to=invitation.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=invitation.language,
        attachments=[_calendar_attachment(purpose, ics)] if with_calendar else [],
        # The mail holds the raw token: forget the content once it has left.
        scrub_after_sending=bool(raw_token),
    )


# Stand-ins for the personal parts while a message is rendered once for many recipients:
# characters of Unicode's private use area, which no template, translation or HTML escaping
# produces or changes.
_NAME, _PRINCIPAL, _LINK = ("\ue000name\ue001", "\ue000principal\ue001", "\ue000link\ue001")


class MessageRenderer:
    """Renders many messages, each the same as `render_message` makes it, rendering the
    templates once per (event, language, purpose, key) and what of the recipient they
    decide on (informed deputy or not, with a name, with a link, their reply for a
    reminder), with stand-ins for the personal parts that are filled in per recipient: the
    name, the principal's name (of a deputy), the personal link, HTML-escaped in the HTML.
    The calendar file is made per recipient from the lines all of the event's files share
    (`calendar.CalendarFiles`). The templates may use of the invitation only its name,
    `informed`, `reply` and `deputy_for.name`: anything else of it renders empty here (and
    the tests comparing this with `render_message` fail)."""

    def __init__(self):
        self._texts = {}
        self._calendars = {}

    def render(self, invitation, event, purpose, raw_token, key) -> OutboundMail:
        language = invitation.language
        link = personal_link(raw_token) if raw_token else ""
        with_calendar = _with_calendar(invitation, purpose)
        event_key = (type(event), event.pk)
        shape = (
            event_key,
            language,
            purpose,
            key if purpose == Purpose.PROGRAMME else None,
            invitation.informed,
            bool(invitation.name),
            bool(link),
            invitation.reply if purpose == Purpose.REMINDER else None,
        )
        texts = self._texts.get(shape)
        if texts is None:
            texts = self._texts[shape] = self._render_texts(invitation, event, purpose, key, link)
        principal = invitation.deputy_for.name if invitation.deputy_for_id else ""
        plain = {_NAME: invitation.name, _PRINCIPAL: principal, _LINK: link}
        subject, body_text, body_html = (
            _fill(texts[0], plain),
            _fill(texts[1], plain),
            _fill(texts[2], {part: escape(value) for part, value in plain.items()}),
        )
        attachments = []
        if with_calendar:
            cancel = purpose == Purpose.CANCELLATION
            files_key = (event_key, language, cancel, bool(link))
            with translation.override(language):
                files = self._calendars.get(files_key)
                if files is None:
                    files = calendar.CalendarFiles(event, cancel=cancel, with_link=bool(link))
                    self._calendars[files_key] = files
                ics = files.for_invitee(invitation, page_url=link)
            attachments = [_calendar_attachment(purpose, ics)]
        return mail.outbound_mail(
            to=invitation.email,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            language=language,
            attachments=attachments,
            scrub_after_sending=bool(raw_token),
        )

    def _render_texts(self, invitation, event, purpose, key, link):
        stand_in = SimpleNamespace(
            name=_NAME if invitation.name else "",
            informed=invitation.informed,
            reply=invitation.reply,
            deputy_for=SimpleNamespace(name=_PRINCIPAL),
            language=invitation.language,
        )
        return _mail_texts(stand_in, invitation, event, purpose, key, _LINK if link else "")


def _mail_texts(shown, invitation, event, purpose, key, link) -> tuple[str, str, str]:
    """Subject, text and HTML of one invitation mail in the invitee's language. `shown` is
    the invitee as the templates name them: the invitation itself, or stand-ins for the
    personal parts while one rendering serves a batch (`MessageRenderer`)."""
    removed = []
    with translation.override(invitation.language):
        details = event.invitation_details()
        if purpose == Purpose.PROGRAMME:
            marked, removed = event.programme_update(key)
        else:
            marked = [(time, item, "") for time, item in event.invitation_programme()]
    context = {
        "invitation": shown,
        "event": event,
        "purpose": purpose,
        "link": link,
        "details": details,
        "programme": marked,
        "programme_lines": _aligned(marked),
        "removed": removed,
        "with_calendar": _with_calendar(invitation, purpose),
        "asks_reply": _asks_reply(invitation, purpose),
    }
    return mail.render_templated_mail(MAIL_TEMPLATE, context=context, language=invitation.language)


def load_ahead():
    """Load what rendering the first message would (the URL configuration, the mail
    templates, the languages' catalogues), in the worker before it forks its pool
    processes: otherwise each of them pays a second or two on its first batch."""
    personal_link("-" * 43)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for suffix in ("_subject.txt", ".txt", ".html"):
                get_template(MAIL_TEMPLATE + suffix)


def _fill(text, parts) -> str:
    for stand_in, value in parts.items():
        text = text.replace(stand_in, value)
    return text


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
