"""Changing a date poll while it is open: its title, description and answer-by date, dates
added (never in the past) or removed (their answers go, after the coordinator confirmed how
many), invitees added (mailed their personal link once the poll was sent) or removed (their
link ends with them). Invitees who had answered are told once per change that new dates
were proposed. A decided or closed poll is not changed. Everything is checked first and
saved in one transaction, or nothing is."""

import dataclasses
import datetime

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.audit import record_action
from participation.models import BodyMembership, Membership

from . import polls
from .models import DatePoll, PollInvitee, PollSlot, PollStatus, PollVote


@dataclasses.dataclass
class PollEdit:
    """What the coordinator asks for; fields left None stay as they are."""

    title: str | None = None
    description: str | None = None
    answer_by: datetime.date | None = None
    # Whether answer_by is part of the change (None is a value: no answer-by date).
    change_answer_by: bool = False
    add_slots: list = dataclasses.field(default_factory=list)
    remove_slot_ids: list = dataclasses.field(default_factory=list)
    add_people: list = dataclasses.field(default_factory=list)
    remove_invitee_ids: list = dataclasses.field(default_factory=list)
    confirm_removal: bool = False


@dataclasses.dataclass
class EditOutcome:
    removed_answers: int = 0
    told_new_dates: int = 0
    invited: int = 0


def affected_answers(poll: DatePoll, slot_ids) -> int:
    """How many answers the removal of these slots deletes."""
    return PollVote.objects.filter(slot__poll=poll, slot_id__in=list(slot_ids)).count()


def removal_warning(count: int) -> str:
    return ngettext(
        "Removing these dates deletes %(count)s answer already given. "
        "Confirm the removal to go ahead.",
        "Removing these dates deletes %(count)s answers already given. "
        "Confirm the removal to go ahead.",
        count,
    ) % {"count": count}


def check_editable(poll: DatePoll):
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("A date poll that is decided or closed can no longer be changed."))


def edit_poll(poll: DatePoll, change: PollEdit, *, actor, now=None) -> EditOutcome:
    """Apply `change` to the open poll; raises ValidationError (nothing saved) for a closed
    or decided poll, a date in the past or proposed twice, an answer-by date in the past,
    a slot or invitee of another poll, or removed dates with answers not confirmed."""
    now = now or timezone.now()
    outcome = EditOutcome()
    with transaction.atomic(), set_actor(actor):
        poll = DatePoll.objects.select_for_update().select_related("series").get(pk=poll.pk)
        check_editable(poll)
        changes = {}
        for field in ("title", "description"):
            value = getattr(change, field)
            if value is not None and value != getattr(poll, field):
                changes[field] = [getattr(poll, field), value]
                setattr(poll, field, value)
        if change.change_answer_by and change.answer_by != poll.answer_by:
            changes["answer_by"] = [str(poll.answer_by or ""), str(change.answer_by or "")]
            poll.answer_by = change.answer_by
            polls.check_answer_by(poll, now=now)
        poll.full_clean(exclude=["chosen_slot", "decided_meeting", "meeting", "created_by"])

        slots = {slot.pk: slot for slot in poll.slots.all()}
        removed = set(change.remove_slot_ids)
        if removed - set(slots):
            raise ValidationError({"remove_slots": _("Choose dates of this poll.")})
        kept = [slot for pk, slot in slots.items() if pk not in removed]
        if change.add_slots:
            polls.check_slots(change.add_slots, now=now)
            _refuse_repeated(kept, change.add_slots)
        if not kept and not change.add_slots:
            raise ValidationError({"remove_slots": _("A poll keeps at least one date.")})
        if len(kept) + len(change.add_slots) > polls.MAX_SLOTS:
            raise ValidationError(
                {"add_slots": _("Propose at most %(count)s dates.") % {"count": polls.MAX_SLOTS}}
            )
        outcome.removed_answers = affected_answers(poll, removed)
        if outcome.removed_answers and not change.confirm_removal:
            raise ValidationError({"confirm_removal": removal_warning(outcome.removed_answers)})

        invitees = {invitee.pk: invitee for invitee in poll.invitees.all()}
        leaving = set(change.remove_invitee_ids)
        if leaving - set(invitees):
            raise ValidationError({"remove_invitees": _("Choose invitees of this poll.")})
        new_invitees = _new_invitees(poll, change.add_people, invitees, leaving)

        if removed:
            changes["slots_removed"] = [[slots[pk].label() for pk in sorted(removed)], None]
            PollSlot.objects.filter(pk__in=removed).delete()
        if change.add_slots:
            for slot in change.add_slots:
                slot.poll = poll
            PollSlot.objects.bulk_create(change.add_slots)
            changes["slots_added"] = [None, [slot.label() for slot in change.add_slots]]
        if leaving:
            changes["invitees_removed"] = [sorted(invitees[pk].name for pk in leaving), None]
            # The row and its answers go: the link leads nowhere from now on.
            PollInvitee.objects.filter(pk__in=leaving).delete()
        if new_invitees:
            PollInvitee.objects.bulk_create(new_invitees)
            changes["invitees_added"] = [None, sorted(invitee.name for invitee in new_invitees)]
        poll.save()

        if change.add_slots:
            outcome.told_new_dates = _tell_about_new_dates(poll, exclude=leaving)
        if any(invitee.invited_at for invitee in invitees.values()):
            # Sent before: whoever joins now gets their personal link at once.
            outcome.invited = polls.send_poll(poll, actor=actor)
        if changes:
            record_action(poll, actor=actor, changes=changes)
    return outcome


def _refuse_repeated(kept, added):
    taken = {(slot.day, slot.start, slot.end) for slot in kept}
    for slot in added:
        if (slot.day, slot.start, slot.end) in taken:
            raise ValidationError(
                {"add_slots": _("%(slot)s is proposed already.") % {"slot": slot.label()}}
            )


def _new_invitees(poll, people, invitees, leaving):
    known = {invitee.email for pk, invitee in invitees.items() if pk not in leaving}
    seats = dict(
        BodyMembership.objects.current()
        .filter(body_id=poll.series.body_id, person__in=people)
        .values_list("person_id", "represents_id")
    )
    memberships = {}
    for person_id, organisation_id in (
        Membership.objects.current().filter(person__in=people).order_by("pk")
    ).values_list("person_id", "organisation_id"):
        memberships.setdefault(person_id, organisation_id)
    new = []
    for person in people:
        email = (person.email or "").strip().lower()
        if not email:
            raise ValidationError(
                {"add_people": _("%(name)s has no e-mail address.") % {"name": person.full_name}}
            )
        if email in known:
            raise ValidationError(
                {"add_people": _("%(name)s is invited already.") % {"name": person.full_name}}
            )
        known.add(email)
        new.append(
            PollInvitee(
                poll=poll,
                person=person,
                organisation_id=seats.get(person.pk) or memberships.get(person.pk),
                name=person.full_name,
                email=email,
                language=person.language,
            )
        )
    return new


def _tell_about_new_dates(poll, *, exclude) -> int:
    """One mail to each invitee who had answered: new dates, with a fresh personal link.
    Runs inside the edit's transaction, with the poll locked: the change and its mails are
    saved together, once (the dates it added cannot be added a second time)."""
    told = 0
    answered = (
        poll.invitees.exclude(answered_at=None).exclude(pk__in=exclude).select_related("poll")
    )
    for invitee in answered.order_by("pk"):
        polls.mail_invitee(invitee, purpose="new_dates")
        invitee.save(update_fields=["token_hash"])
        told += 1
    return told
