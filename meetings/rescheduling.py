"""Moving or cancelling a meeting "only this one", "this and following" or "all", and the
preview that says beforehand which meetings change and who will be told.

"This and following" splits the series the RFC 5545 way: the series ends on the day before
this meeting (its rule gets an UNTIL in the feed) and a new series carries on from it with
the new time, its meetings (with their invitations, agendas and tasks) moved over. "All"
does the same from the first meeting that has not begun; a series none of whose meetings
has begun changes in place. Meetings that have begun never change.

Invitees keep the calendar entry they have: a meeting whose series is split or shifted
after its invitations went out remembers the identity they hold (`Meeting.invited_uid`),
so its one update (raised SEQUENCE, RECURRENCE-ID) changes that entry."""

import datetime
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.events import invitations
from participation.events.calendar import event_uid
from participation.events.selectors import invitations_of, told_of_changes
from participation.models import EventStatus, Invitation

from . import recurrence, services
from .models import Meeting, MeetingSeries


class Scope(models.TextChoices):
    THIS = "this", gettext_lazy("Only this meeting")
    FOLLOWING = "following", gettext_lazy("This and all following")
    ALL = "all", gettext_lazy("All meetings of the series")


@dataclass
class Change:
    """One meeting the change affects: its dates before and after (None when cancelled)."""

    meeting: Meeting
    old_start: datetime.datetime
    old_end: datetime.datetime
    new_start: datetime.datetime | None = None
    new_end: datetime.datetime | None = None
    new_recurrence_id: datetime.datetime | None = None

    @property
    def notifies(self) -> bool:
        return self.meeting.status != EventStatus.CANCELLED and (
            self.new_start is None
            or (self.new_start, self.new_end) != (self.old_start, self.old_end)
        )


@dataclass
class Recipient:
    """Someone who will be told, with the meetings they hear about."""

    name: str
    organisation: str
    email: str
    meetings: list = field(default_factory=list)
    # An informed deputy (not invited yet) is told for their information only.
    informed: bool = False


@dataclass
class Plan:
    meeting: Meeting
    scope: str
    cancel: bool
    changes: list
    recipients: list
    # How the series changes: it ends on `last_date` (split or cancelled from a meeting on),
    # and for a move either a new series carries on or the series changes in place.
    series: MeetingSeries
    last_date: datetime.date | None = None
    successor: MeetingSeries | None = None
    in_place: bool = False


def preview(meeting, *, scope, cancel=False, start=None, end=None, now=None) -> Plan:
    """What moving (to `start`–`end`) or cancelling `meeting` in `scope` would do: the
    meetings affected with their old and new dates, and the people told (each once, with
    their meetings). Writes nothing; a change that is not possible raises ValidationError
    with a message for the coordinator."""
    now = now or timezone.now()
    if scope not in Scope.values:
        raise ValidationError({"scope": _("Choose which meetings the change applies to.")})
    if meeting.status == EventStatus.CANCELLED:
        raise ValidationError(
            _("This meeting is already cancelled.")
            if cancel
            else _("A cancelled meeting cannot be moved.")
        )
    if cancel:
        plan = _cancel_plan(meeting, scope, now)
    else:
        if end <= start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if start < now:
            raise ValidationError({"start": _("A meeting cannot be moved into the past.")})
        plan = _move_plan(meeting, scope, start, end, now)
    if not any(change.notifies for change in plan.changes):
        raise ValidationError(_("This change affects no meeting."))
    plan.recipients = _recipients(plan.changes)
    return plan


def move(meeting, *, scope, start, end, actor) -> Meeting:
    """Move the meeting, and with "following"/"all" the other meetings of its series, as the
    preview says; each affected meeting's invitees who have not declined get one update
    after commit."""
    with transaction.atomic(), set_actor(actor):
        series = MeetingSeries.objects.select_for_update().get(pk=meeting.series_id)
        meeting = Meeting.objects.select_related("series").get(pk=meeting.pk)
        meeting.series = series
        plan = preview(meeting, scope=scope, start=start, end=end)
        _apply_move(plan, actor=actor)
    meeting.refresh_from_db()
    return meeting


def cancel(meeting, *, scope, actor) -> Meeting:
    """Cancel the meeting, and with "following"/"all" every later one (the series ends on
    the day before); each one's invitees who have not declined get a cancellation."""
    with transaction.atomic(), set_actor(actor):
        series = MeetingSeries.objects.select_for_update().get(pk=meeting.series_id)
        meeting = Meeting.objects.select_related("series").get(pk=meeting.pk)
        meeting.series = series
        plan = preview(meeting, scope=scope, cancel=True)
        if plan.scope == Scope.THIS:
            services.cancel_meeting(meeting, actor=actor)
        else:
            _keep_identities(plan.changes)
            _end_series(series, plan.last_date)
            for change in plan.changes:
                invitations.cancel_event(change.meeting, actor=actor)
    meeting.refresh_from_db()
    return meeting


# --- planning --------------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment, recurrence.local_zone())


def _wall_shift(moment, delta):
    """`moment` moved by `delta` on the county's wall clock (10:00 stays 10:00 across the
    change to summer time)."""
    naive = _local(moment).replace(tzinfo=None) + delta
    return naive.replace(tzinfo=recurrence.local_zone())


def _wall_delta(later, earlier):
    return _local(later).replace(tzinfo=None) - _local(earlier).replace(tzinfo=None)


def _in_rule(series, moment) -> bool:
    return moment in recurrence.starts_between(
        series.recurrence_rule(), series.dtstart(), moment, moment, limit=0
    )


def _anchor(meeting, scope, now):
    """The original start from which "following"/"all" applies."""
    if scope == Scope.FOLLOWING:
        return meeting.recurrence_id
    first = (
        meeting.series.meetings.filter(start__gt=now)
        .order_by("recurrence_id")
        .values_list("recurrence_id", flat=True)
        .first()
    )
    return first or meeting.recurrence_id


def _cancel_plan(meeting, scope, now) -> Plan:
    series = meeting.series
    if meeting.end <= now:
        raise ValidationError(_("A meeting that is over cannot be cancelled."))
    if scope == Scope.THIS:
        changes = [Change(meeting, meeting.start, meeting.end)]
        return Plan(meeting, scope, True, changes, [], series)
    anchor = _anchor(meeting, scope, now)
    affected = (
        series.meetings.filter(recurrence_id__gte=anchor, end__gt=now)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("start", "pk")
    )
    if scope == Scope.ALL:
        affected = affected.filter(Q(start__gt=now) | Q(pk=meeting.pk))
    changes = [Change(m, m.start, m.end) for m in affected]
    last_date = _local(anchor).date() - datetime.timedelta(days=1)
    return Plan(meeting, scope, True, changes, [], series, last_date=last_date)


def _move_plan(meeting, scope, start, end, now) -> Plan:
    series = meeting.series
    if scope == Scope.THIS:
        change = Change(meeting, meeting.start, meeting.end, start, end, meeting.recurrence_id)
        return Plan(meeting, scope, False, [change], [], series)
    if meeting.start <= now:
        raise ValidationError(
            _("This meeting has begun: move only this one, the series stays as it is.")
        )
    if not _in_rule(series, meeting.recurrence_id):
        raise ValidationError(
            _(
                "This meeting is no longer one of its series' dates (the rule changed): "
                "move only this one."
            )
        )
    delta = _wall_delta(start, meeting.start)
    extra_duration = (end - start) - (meeting.end - meeting.start)
    anchor = _anchor(meeting, scope, now)
    movable = list(
        series.meetings.filter(recurrence_id__gte=anchor, start__gt=now).order_by("recurrence_id")
    )
    earlier_exist = series.meetings.filter(recurrence_id__lt=anchor).exists()
    successor = _successor(series, anchor, delta, end - start)
    changes = []
    for other in movable:
        new_start = start if other.pk == meeting.pk else _wall_shift(other.start, delta)
        new_end = (
            end
            if other.pk == meeting.pk
            else new_start + (other.end - other.start) + extra_duration
        )
        changes.append(
            Change(
                other,
                other.start,
                other.end,
                new_start,
                new_end,
                _wall_shift(other.recurrence_id, delta),
            )
        )
    changes.sort(key=lambda change: (change.old_start, change.meeting.pk))
    plan = Plan(meeting, scope, False, changes, [], series, successor=successor)
    if earlier_exist:
        plan.last_date = _local(anchor).date() - datetime.timedelta(days=1)
    else:
        plan.in_place = True
    return plan


def _successor(series, anchor, delta, duration) -> MeetingSeries:
    """The series from `anchor` on, every date moved by `delta` (unsaved); refused when its
    rule cannot give exactly the moved dates."""
    new_start = _wall_shift(anchor, delta)
    old_rule = series.recurrence_rule()
    days = (new_start.date() - _local(anchor).date()).days
    text = recurrence.without_end(recurrence.shifted(series.rule, days))
    successor = MeetingSeries(
        body=series.body,
        title=series.title,
        rule=text,
        first_date=new_start.date(),
        start_time=new_start.time(),
        duration=duration,
        venue_name=series.venue_name,
        venue_address=series.venue_address,
        online_url=series.online_url,
        agenda_template=series.agenda_template,
        is_active=series.is_active,
        continues=series,
    )
    last = recurrence.last_start(old_rule, series.dtstart())
    if last is not None:
        if last < anchor:
            raise ValidationError(_("This change affects no meeting."))
        successor.last_date = _wall_shift(last, delta).date()
    horizon = anchor + datetime.timedelta(days=recurrence.HORIZON_DAYS)
    limit = recurrence.MAX_PER_HORIZON * 2
    expected = [
        _wall_shift(moment, delta)
        for moment in recurrence.starts_between(
            old_rule, series.dtstart(), anchor, horizon, limit=limit
        )
    ]
    try:
        new_rule = successor.recurrence_rule()
    except ValidationError:
        new_rule = None
    given = (
        recurrence.starts_between(
            new_rule, successor.dtstart(), new_start, _wall_shift(horizon, delta), limit=limit
        )
        if new_rule is not None
        else []
    )
    if given != expected:
        raise ValidationError(
            _(
                "The series' rule cannot move its dates by this much (for example, a "
                "weekday of the month would change from month to month). Move only this "
                "meeting, or change the series' rule on its page."
            )
        )
    return successor


def _recipients(changes) -> list[Recipient]:
    """Everyone who hears of the change of an affected meeting (the base's rule,
    `told_of_changes`), once each, with their meetings in date order."""
    told = [change for change in changes if change.notifies]
    by_meeting = {change.meeting.pk: change for change in told}
    recipients = {}
    rows = (
        told_of_changes(
            Invitation.objects.filter(
                event_type=ContentType.objects.get_for_model(Meeting),
                event_id__in=list(by_meeting),
            )
        )
        .select_related("person", "organisation")
        .order_by("name", "email", "pk")
    )
    for invitation in rows:
        key = invitation.person_id or invitation.email.lower()
        recipient = recipients.get(key)
        if recipient is None:
            recipient = recipients[key] = Recipient(
                name=invitation.name or str(invitation.person or invitation.email),
                organisation=str(invitation.organisation or ""),
                email=invitation.email,
                informed=invitation.informed,
            )
        recipient.informed = recipient.informed and invitation.informed
        recipient.meetings.append(by_meeting[invitation.event_id].meeting)
    for recipient in recipients.values():
        recipient.meetings.sort(key=lambda meeting: (meeting.start, meeting.pk))
    return sorted(recipients.values(), key=lambda r: (r.name.lower(), r.email))


# --- applying --------------------------------------------------------------------------------


def _keep_identities(changes):
    """Before the series changes: each invited meeting remembers the calendar identity its
    invitees hold."""
    for change in changes:
        meeting = change.meeting
        if meeting.invited_uid or not invitations_of(meeting).exists():
            continue
        identity = meeting.calendar_identity()
        meeting.invited_uid, meeting.invited_recurrence_id = (
            identity if identity is not None else (event_uid(meeting), None)
        )
        meeting.save(update_fields=["invited_uid", "invited_recurrence_id"])


def _end_series(series, last_date):
    series.last_date = last_date
    series.sequence += 1
    series.save(update_fields=["last_date", "sequence", "updated_at"])


def _apply_move(plan: Plan, *, actor):
    if plan.scope == Scope.THIS:
        change = plan.changes[0]
        services.move_meeting(
            change.meeting, start=change.new_start, end=change.new_end, actor=actor
        )
        return
    series = plan.series
    _keep_identities(plan.changes)
    if plan.in_place:
        target = series
        successor = plan.successor
        for name in ("rule", "first_date", "start_time", "duration", "last_date"):
            setattr(series, name, getattr(successor, name))
        series.sequence += 1
        series.full_clean()
        series.save()
    else:
        _end_series(series, plan.last_date)
        target = plan.successor
        target.created_by = actor
        target.full_clean()
        target.save()
    # Later dates first when moving later (earlier first when moving earlier), so no two
    # meetings of a series ever share an original start, not even for a moment.
    later = (
        plan.changes and plan.changes[0].new_recurrence_id > plan.changes[0].meeting.recurrence_id
    )
    ordered = sorted(
        plan.changes, key=lambda change: change.meeting.recurrence_id, reverse=bool(later)
    )
    for change in ordered:
        meeting = change.meeting
        meeting.series = target
        meeting.start, meeting.end = change.new_start, change.new_end
        meeting.recurrence_id = change.new_recurrence_id
        meeting.save(update_fields=["series", "start", "end", "recurrence_id", "updated_at"])
    # The feed's SEQUENCE is the series'; a meeting's own rises for its invitees' update.
    for change in plan.changes:
        if change.notifies and invitations_of(change.meeting).exists():
            invitations.announce_change(change.meeting, actor=actor)
    # Dates beyond those that existed, by the new rule.
    services.generate_occurrences(target)
