"""The invitee's answers, for any kind of event: accept, answer tentatively or decline until
the reply deadline, note needs, send a deputy from the same organisation.

Places are counted under a lock on the event row, so two acceptances for the last place
cannot both get it: whoever comes second waits on the waitlist, which moves up in the
order people joined it."""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..audit import record_action
from ..models import (
    AudienceEntry,
    BodyMembership,
    BodyRole,
    EventStatus,
    Invitation,
    InvitationMessage,
    Membership,
    Person,
    Reply,
)
from . import invitations
from .selectors import entries_of, invitations_of

ANSWERS = (Reply.ACCEPTED, Reply.TENTATIVE, Reply.DECLINED)


def reply_to_invitation(
    invitation: Invitation,
    *,
    reply,
    accessibility_needs="",
    dietary_wishes="",
    now=None,
    recorded_by=None,
) -> Invitation:
    """Record the invitee's answer and notes. An acceptance when every place is taken joins
    the waitlist; giving up a place hands it to the first person waiting, who is told by
    e-mail. Accepting again keeps one's place or waitlist position. `recorded_by` is the
    coordinator who records it for the invitee (`record_reply`); None when they reply."""
    if reply not in ANSWERS:
        raise ValidationError(_("Please choose whether you will attend."))
    now = now or timezone.now()
    with transaction.atomic():
        event, invitation = _lock(invitation)
        _check_replies_open(event, now, recorded=recorded_by is not None)
        _check_invited(invitation)
        if reply == Reply.ACCEPTED:
            if invitation.reply != Reply.ACCEPTED:
                invitation.waitlisted_at = now if _free_places(event) == 0 else None
        else:
            invitation.waitlisted_at = None
        if invitation.reply != reply:
            invitation.replied_at = now
        invitation.reply = reply
        invitation.reply_recorded_by = recorded_by
        invitation.accessibility_needs = accessibility_needs.strip()
        invitation.dietary_wishes = dietary_wishes.strip()
        invitation.save(
            update_fields=[
                "reply",
                "replied_at",
                "reply_recorded_by",
                "waitlisted_at",
                "accessibility_needs",
                "dietary_wishes",
            ]
        )
        if reply == Reply.DECLINED:
            # The seat's registered deputy comes in: invited now, once.
            invitations.invite_informed_deputies(invitation)
        _promote_waiting(event)
    return invitation


def name_deputy(
    invitation: Invitation, *, person: Person, now=None, recorded_by=None
) -> Invitation:
    """Send `person` in the invitee's stead: the seat's registered deputy, or a current
    member of the invitee's organisation. They get an invitation of their own (a registered
    deputy who was informed is invited now), and the invitee's reply becomes a decline
    (which frees the invitee's place, if they had one). Returns the deputy's invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        event, invitation = _lock(invitation)
        _check_replies_open(event, now, recorded=recorded_by is not None)
        _check_invited(invitation)
        registered = registered_deputies(invitation, on=timezone.localdate(now))
        is_registered = registered.filter(pk=person.pk).exists()
        if not is_registered:
            _check_member(invitation, person, now)
        if not person.email:
            raise ValidationError(
                _("There is no e-mail address for %(name)s; please ask the coordination team.")
                % {"name": person}
            )
        existing = (
            Invitation.objects.select_for_update()
            .filter(pk__in=invitations_of(event).filter(email__iexact=person.email))
            .first()
        )
        if existing is not None and not existing.informed:
            raise ValidationError(_("%(name)s is already invited.") % {"name": person})
        if existing is not None:
            existing.deputy_for = invitation
            existing.save(update_fields=["deputy_for"])
            invitations.invite_informed_deputies(invitation)
            deputy = existing
        else:
            deputy = invitations.invite_person(
                event,
                email=person.email,
                name=person.full_name,
                person=person,
                organisation=invitation.organisation,
                language=person.language,
                deputy_for=invitation,
            )
        if invitation.reply != Reply.DECLINED:
            invitation.replied_at = now
        invitation.reply = Reply.DECLINED
        invitation.reply_recorded_by = recorded_by
        invitation.waitlisted_at = None
        invitation.save(update_fields=["reply", "replied_at", "reply_recorded_by", "waitlisted_at"])
        _promote_waiting(event)
    return deputy


# What a coordinator records for an invitee: one of the answers, or a deputy in their stead.
DEPUTY = "deputy"


def record_reply(
    invitation: Invitation, *, actor, reply, deputy: Person | None = None, now=None
) -> Invitation:
    """A coordinator records the invitee's reply for them (they phoned): accept, answer
    tentatively, decline, or send `deputy` (`reply="deputy"`), with the same effects as the
    invitee replying on their page (a registered deputy is invited on a decline, the
    waitlist moves, the deputy gets an invitation). Possible until the event ends, also
    after the reply deadline. The invitation shows who recorded it, and the event's audit
    trail names the coordinator. Returns the invitation."""
    if reply == DEPUTY and deputy is None:
        raise ValidationError(_("Choose the deputy who comes instead."))
    before = invitation.reply
    # The invitation's own audit entries (reply, deputy) name the coordinator too.
    with transaction.atomic(), set_actor(actor):
        if reply == DEPUTY:
            sent = name_deputy(invitation, person=deputy, now=now, recorded_by=actor)
            recorded = f"{Reply.DECLINED.label}, {_('deputy')}: {sent.email}"
        else:
            reply_to_invitation(
                invitation,
                reply=reply,
                accessibility_needs=invitation.accessibility_needs,
                dietary_wishes=invitation.dietary_wishes,
                now=now,
                recorded_by=actor,
            )
            recorded = Reply(reply).label
        invitation.refresh_from_db()
        record_action(
            invitation.event,
            actor=actor,
            changes={
                "reply_recorded": [
                    f"{invitation.email}: {Reply(before).label}",
                    f"{invitation.email}: {recorded}",
                ]
            },
        )
    return invitation


def _check_member(invitation, person, now):
    if invitation.organisation_id is None:
        raise ValidationError(_("Only invitees who come for an organisation can name a deputy."))
    is_member = Membership.objects.filter(
        person=person, organisation_id=invitation.organisation_id
    ).current(on=timezone.localdate(now))
    if not is_member.exists():
        raise ValidationError(
            _("%(name)s is not a current member of %(organisation)s.")
            % {"name": person, "organisation": invitation.organisation}
        )


def _check_invited(invitation):
    if invitation.informed:
        raise ValidationError(
            _(
                "You are informed as a deputy; you can reply once you are invited in "
                "your principal's place."
            )
        )


def fill_free_places(event) -> int:
    """Move people up from the waitlist while places are free (after the capacity was
    raised, for instance); each is told by e-mail. Returns how many moved up."""
    with transaction.atomic():
        event = type(event).objects.select_for_update().get(pk=event.pk)
        return _promote_waiting(event)


def registered_deputies(invitation: Invitation, *, on=None):
    """The seat's registered deputies of the invitee for this event: whoever was informed
    as their deputy, and the current deputies of the invitee's seats in the bodies the
    event's audience names."""
    event = invitation.event
    if event is None:
        return Person.objects.none()
    informed = invitations_of(event).filter(deputy_for=invitation, informed=True)
    condition = Q(pk__in=informed.exclude(person=None).values("person_id"))
    if invitation.person_id:
        bodies = entries_of(event).filter(kind=AudienceEntry.Kind.BODY).values("body_id")
        seats = BodyMembership.objects.current(on=on).filter(
            role=BodyRole.DEPUTY,
            deputy_of__person_id=invitation.person_id,
            body_id__in=bodies,
        )
        condition |= Q(pk__in=seats.values("person_id"))
    return Person.objects.filter(condition).exclude(pk=invitation.person_id)


def deputy_candidates(invitation: Invitation, *, on=None):
    """Who may stand in for the invitee: the seat's registered deputies first, then the
    current members of their organisation; each with an e-mail address and not invited yet
    (an informed deputy is not invited yet). `is_registered` marks the registered ones."""
    if invitation.event is None:
        return Person.objects.none()
    registered = registered_deputies(invitation, on=on)
    condition = Q(pk__in=registered.values("pk"))
    if invitation.organisation_id is not None:
        members = Membership.objects.current(on=on).filter(
            organisation_id=invitation.organisation_id
        )
        condition |= Q(pk__in=members.values("person_id"))
    invited = invitations_of(invitation.event).filter(informed=False).values("email")
    return (
        Person.objects.filter(condition)
        .exclude(email="")
        .exclude(email__in=invited)
        .exclude(pk=invitation.person_id)
        .annotate(
            is_registered=Exists(registered.filter(pk=OuterRef("pk"))),
        )
        .order_by("-is_registered", "last_name", "first_name")
    )


def waitlist_position(invitation: Invitation) -> int | None:
    """1 for the first in line, None if the invitee is not waiting."""
    if not invitation.is_waitlisted:
        return None
    ahead = _waiting(invitation.event).filter(
        Q(waitlisted_at__lt=invitation.waitlisted_at)
        | Q(waitlisted_at=invitation.waitlisted_at, pk__lt=invitation.pk)
    )
    return ahead.count() + 1


def closed_reason(event, *, now=None) -> str | None:
    """Why replies are no longer taken (naming the deadline once it has passed), or None
    while they are."""
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED:
        return _("This event no longer takes replies.")
    if now > event.reply_deadline:
        return _("Replies were possible until %(deadline)s.") % {
            "deadline": format_deadline(event.reply_deadline)
        }
    return None


def format_deadline(moment: datetime.datetime) -> str:
    """A deadline as people in the county read it: Berlin time, the active language's
    date format."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return _("%(date)s, %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


def _lock(invitation):
    """The event row (serialising every change of places) and a fresh copy of the
    invitation, read after the lock."""
    event = invitation.event
    event = type(event).objects.select_for_update().get(pk=event.pk)
    return event, Invitation.objects.select_for_update().get(pk=invitation.pk)


def _check_replies_open(event, now, *, recorded=False):
    """A coordinator recording a reply for the invitee may do so after the deadline, as
    long as the event is published and not over."""
    if recorded and event.status == EventStatus.PUBLISHED:
        if now > event.end:
            raise ValidationError(_("The event is over; replies can no longer be recorded."))
        return
    reason = closed_reason(event, now=now)
    if reason:
        raise ValidationError(reason)


def _waiting(event):
    return invitations_of(event).filter(reply=Reply.ACCEPTED, waitlisted_at__isnull=False)


def _free_places(event) -> int | None:
    """None for no limit."""
    if event.capacity is None:
        return None
    taken = invitations_of(event).filter(reply=Reply.ACCEPTED, waitlisted_at__isnull=True).count()
    return max(event.capacity - taken, 0)


def _promote_waiting(event) -> int:
    """Under the event lock: give free places to the earliest on the waitlist."""
    free = _free_places(event)
    waiting = _waiting(event).order_by("waitlisted_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for invitation in promoted:
        # The time they joined the waitlist names this promotion: someone who drops out
        # and waits again later is told again, a repeated call tells nobody twice.
        key = f"promotion-{invitation.waitlisted_at:%Y%m%d%H%M%S%f}"
        invitation.waitlisted_at = None
        invitation.save(update_fields=["waitlisted_at"])
        invitations.queue_message(invitation, InvitationMessage.Purpose.PROMOTION, key)
    return len(promoted)
