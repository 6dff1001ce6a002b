"""The invitee's answers, for any kind of event: accept, answer tentatively or decline until
the reply deadline, note needs, send a deputy from the same organisation.

Places are counted under a lock on the event row, so two acceptances for the last place
cannot both get it: whoever comes second waits on the waitlist, which moves up in the
order people joined it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import EventStatus, Invitation, InvitationMessage, Membership, Person, Reply
from . import invitations
from .selectors import invitations_of

ANSWERS = (Reply.ACCEPTED, Reply.TENTATIVE, Reply.DECLINED)


def reply_to_invitation(
    invitation: Invitation,
    *,
    reply,
    accessibility_needs="",
    dietary_wishes="",
    now=None,
) -> Invitation:
    """Record the invitee's answer and notes. An acceptance when every place is taken joins
    the waitlist; giving up a place hands it to the first person waiting, who is told by
    e-mail. Accepting again keeps one's place or waitlist position."""
    if reply not in ANSWERS:
        raise ValidationError(_("Please choose whether you will attend."))
    now = now or timezone.now()
    with transaction.atomic():
        event, invitation = _lock(invitation)
        _check_replies_open(event, now)
        if reply == Reply.ACCEPTED:
            if invitation.reply != Reply.ACCEPTED:
                invitation.waitlisted_at = now if _free_places(event) == 0 else None
        else:
            invitation.waitlisted_at = None
        if invitation.reply != reply:
            invitation.replied_at = now
        invitation.reply = reply
        invitation.accessibility_needs = accessibility_needs.strip()
        invitation.dietary_wishes = dietary_wishes.strip()
        invitation.save(
            update_fields=[
                "reply",
                "replied_at",
                "waitlisted_at",
                "accessibility_needs",
                "dietary_wishes",
            ]
        )
        _promote_waiting(event)
    return invitation


def name_deputy(invitation: Invitation, *, person: Person, now=None) -> Invitation:
    """Send `person`, a current member of the invitee's organisation, in the invitee's
    stead: they get an invitation of their own, and the invitee's reply becomes a decline
    (which frees the invitee's place, if they had one). Returns the deputy's invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        event, invitation = _lock(invitation)
        _check_replies_open(event, now)
        if invitation.organisation_id is None:
            raise ValidationError(
                _("Only invitees who come for an organisation can name a deputy.")
            )
        is_member = Membership.objects.filter(
            person=person, organisation_id=invitation.organisation_id
        ).current(on=timezone.localdate(now))
        if not is_member.exists():
            raise ValidationError(
                _("%(name)s is not a current member of %(organisation)s.")
                % {"name": person, "organisation": invitation.organisation}
            )
        if not person.email:
            raise ValidationError(
                _("There is no e-mail address for %(name)s; please ask the coordination team.")
                % {"name": person}
            )
        if invitations_of(event).filter(email__iexact=person.email).exists():
            raise ValidationError(_("%(name)s is already invited.") % {"name": person})
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
        invitation.waitlisted_at = None
        invitation.save(update_fields=["reply", "replied_at", "waitlisted_at"])
        _promote_waiting(event)
    return deputy


def fill_free_places(event) -> int:
    """Move people up from the waitlist while places are free (after the capacity was
    raised, for instance); each is told by e-mail. Returns how many moved up."""
    with transaction.atomic():
        event = type(event).objects.select_for_update().get(pk=event.pk)
        return _promote_waiting(event)


def deputy_candidates(invitation: Invitation, *, on=None):
    """Who may stand in for the invitee: the current members of their organisation who
    have an e-mail address and are not invited yet."""
    if invitation.organisation_id is None or invitation.event is None:
        return Person.objects.none()
    members = Membership.objects.current(on=on).filter(organisation_id=invitation.organisation_id)
    invited = invitations_of(invitation.event).values("email")
    return (
        Person.objects.filter(pk__in=members.values("person_id"))
        .exclude(email="")
        .exclude(email__in=invited)
        .order_by("last_name", "first_name")
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


def _check_replies_open(event, now):
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
