"""Writes for meetings. Each validates, saves in one transaction and leaves an audit entry
naming the actor; what invitees of one meeting must hear about (a new date, a
cancellation) goes out through the base's invitation pipeline."""

import datetime

from auditlog.context import set_actor
from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.events import invitations
from participation.models import AudienceEntry, EventStatus, Invitation

from . import recurrence, selectors, task_links
from .models import (
    Decision,
    DecisionCounter,
    DecisionRegister,
    Meeting,
    MeetingSeries,
    Task,
    TaskStatus,
)

# Occurrences exist this far ahead (beat runs the generation daily).
GENERATION_DAYS = recurrence.HORIZON_DAYS


# --- series and occurrences ------------------------------------------------------------------


def save_series(series: MeetingSeries, *, actor, decision_code=None) -> MeetingSeries:
    """Create or change a series (and the body's code for decision numbers, when given),
    then generate its occurrences. When the schedule changes, the future occurrences
    nobody has touched yet (not moved, not cancelled, without invitations, decisions or
    tasks) are replaced by the new rule's; the calendar sequence rises. A new title or
    place reaches the future meetings that still had the old one; their invitees who have
    not declined get an update."""
    with transaction.atomic(), set_actor(actor):
        before = None
        if series.pk:
            before = MeetingSeries.objects.select_for_update().get(pk=series.pk)
            series.sequence = before.sequence
            series.uid = before.uid
            if series.body_id != before.body_id:
                raise ValidationError(
                    {"body": _("A series stays with its body; set up a new series instead.")}
                )
        elif series.created_by_id is None and actor is not None:
            series.created_by = actor
        series.full_clean()
        if decision_code:
            _set_decision_code(series.body, decision_code)
        changed = before is not None and any(
            getattr(before, name) != getattr(series, name) for name in MeetingSeries.SCHEDULE_FIELDS
        )
        if changed:
            series.sequence += 1
        series.save()
        if changed:
            _drop_untouched_future(series)
        if before is not None:
            _pass_on_details(before, series, actor=actor)
        generate_occurrences(series)
    return series


# What a future meeting takes over from its series when it still has the series' old value.
PASSED_ON = ("title", "venue_name", "venue_address", "online_url")


def _pass_on_details(before, series, *, actor):
    changed = [name for name in PASSED_ON if getattr(before, name) != getattr(series, name)]
    if not changed:
        return
    invited = set(_invited_meeting_ids(series).values_list("event_id", flat=True))
    future = series.meetings.filter(start__gt=timezone.now()).exclude(status=EventStatus.CANCELLED)
    for meeting in future:
        taken = [name for name in changed if getattr(meeting, name) == getattr(before, name)]
        if not taken:
            continue
        for name in taken:
            setattr(meeting, name, getattr(series, name))
        meeting.save(update_fields=[*taken, "updated_at"])
        if meeting.pk in invited and set(taken) & set(Meeting.SCHEDULE_FIELDS):
            invitations.announce_change(meeting, actor=actor)


def _set_decision_code(body, code):
    register = DecisionRegister.objects.filter(body=body).first() or DecisionRegister(body=body)
    register.code = code.strip().upper()
    try:
        register.full_clean()
    except ValidationError as error:
        raise ValidationError({"decision_code": error.messages}) from None
    register.save()


def _drop_untouched_future(series):
    now = timezone.now()
    meeting_type = ContentType.objects.get_for_model(Meeting)
    with_audience = AudienceEntry.objects.filter(event_type=meeting_type).values("event_id")
    untouched = (
        series.meetings.filter(start__gt=now, sequence=0, status=EventStatus.PUBLISHED)
        .filter(decisions=None, tasks=None)
        .exclude(pk__in=_invited_meeting_ids(series))
        .exclude(pk__in=with_audience)
    )
    for meeting in untouched:
        meeting.delete()


def _invited_meeting_ids(series):
    return Invitation.objects.filter(
        event_type=ContentType.objects.get_for_model(Meeting),
        event_id__in=series.meetings.values("pk"),
    ).values("event_id")


def generate_occurrences(series: MeetingSeries, *, now=None) -> int:
    """Create the occurrences of the series up to twelve months ahead that do not exist yet
    (the first time from its first date, later from a month back); returns how many.
    Idempotent: an occurrence exists once per original start (the database refuses a
    second), so a repeated or concurrent run creates nothing twice."""
    if not series.is_active:
        return 0
    now = now or timezone.now()
    dtstart = series.dtstart()
    existing = set(series.meetings.values_list("recurrence_id", flat=True))
    window_start = dtstart if not existing else max(dtstart, now - datetime.timedelta(days=31))
    end = max(now, dtstart) + datetime.timedelta(days=GENERATION_DAYS)
    # A series starts at most a year back: two years of its rule at most, within the limit.
    starts = recurrence.starts_between(
        series.recurrence_rule(),
        dtstart,
        window_start,
        end,
        limit=recurrence.MAX_PER_HORIZON * 2,
    )
    new = [
        Meeting(
            series=series,
            title=series.title,
            status=EventStatus.PUBLISHED,
            start=start,
            end=start + series.duration,
            recurrence_id=start,
            venue_name=series.venue_name,
            venue_address=series.venue_address,
            online_url=series.online_url,
        )
        for start in starts
        if start not in existing
    ]
    created = Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


# The name is the one the stored beat schedule carries.
@shared_task(name="meetings.tasks.generate_occurrences")
def generate_occurrences_task():
    """Daily (beat): keep every active series' occurrences twelve months ahead."""
    return sum(
        generate_occurrences(series) for series in MeetingSeries.objects.filter(is_active=True)
    )


def move_meeting(meeting: Meeting, *, start, end, actor) -> Meeting:
    """Move this one occurrence: it keeps its original start (the calendar's RECURRENCE-ID),
    its sequence rises, and its invitees who have not declined get an update."""
    with transaction.atomic(), set_actor(actor):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == EventStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be moved."))
        if start == meeting.start and end == meeting.end:
            return meeting
        if start < timezone.now():
            raise ValidationError({"start": _("A meeting cannot be moved into the past.")})
        meeting.start, meeting.end = start, end
        meeting.full_clean()
        meeting.save(update_fields=["start", "end", "updated_at"])
        invitations.announce_change(meeting, actor=actor)
        meeting.refresh_from_db()
    return meeting


def cancel_meeting(meeting: Meeting, *, actor) -> Meeting:
    """Cancel this one occurrence; the series goes on. Invitees who have not declined get a
    calendar cancellation; the feed lists its date as an exception (EXDATE)."""
    if meeting.status == EventStatus.CANCELLED:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.end <= timezone.now():
        raise ValidationError(_("A meeting that is over cannot be cancelled."))
    invitations.cancel_event(meeting, actor=actor)
    meeting.refresh_from_db()
    return meeting


# --- decisions -------------------------------------------------------------------------------


def record_decision(decision: Decision, *, actor) -> Decision:
    """Record a decision and give it the body's next number for its year ("LG-2027-07").
    The year's counter row is locked while numbering, so decisions recorded at the same
    moment get different numbers; a number once given never changes."""
    if decision.pk:
        raise ValidationError(_("A recorded decision is not numbered again."))
    register = DecisionRegister.objects.filter(body_id=decision.body_id).first()
    if register is None:
        raise ValidationError(
            _("Give the body a code for decision numbers first (in its meeting series).")
        )
    decision.year = decision.decided_on.year if decision.decided_on else 0
    decision.number, decision.reference = 0, "-"
    if actor is not None and decision.created_by_id is None:
        decision.created_by = actor
    decision.full_clean(exclude=["reference", "year", "number"])
    with transaction.atomic(), set_actor(actor):
        counter = _locked_counter(register, decision.year)
        counter.last += 1
        counter.save(update_fields=["last"])
        decision.number = counter.last
        decision.reference = f"{register.code}-{decision.year}-{decision.number:02d}"
        decision.save()
    return decision


def _locked_counter(register, year) -> DecisionCounter:
    """The year's counter, locked until the transaction ends; created by the first decision
    of the year (two first decisions at once: one insert wins, the other reads its row)."""
    try:
        with transaction.atomic():
            DecisionCounter.objects.get_or_create(register=register, year=year)
    except IntegrityError:
        pass
    return DecisionCounter.objects.select_for_update().get(register=register, year=year)


# --- tasks -----------------------------------------------------------------------------------


def save_task(task: Task, *, actor, notify_owner: bool = True) -> Task:
    """Create or change a task. Its owner must belong to the meeting's body: a person with
    a seat (or a member of an organisation a seat represents), or such an organisation.
    A new owner gets a mail with their personal link, unless `notify_owner` is off (the
    demo data, which mails nobody)."""
    body = task.meeting.series.body
    errors = {}
    if task.owner_person_id and not selectors.person_may_own(body, task.owner_person):
        errors["owner_person"] = _("%(owner)s does not belong to the body %(body)s.") % {
            "owner": task.owner_person,
            "body": body,
        }
    if task.owner_organisation_id and not selectors.organisation_may_own(
        body, task.owner_organisation
    ):
        errors["owner_organisation"] = _("%(owner)s does not belong to the body %(body)s.") % {
            "owner": task.owner_organisation,
            "body": body,
        }
    if errors:
        raise ValidationError(errors)
    previous_owner_id = (
        Task.objects.filter(pk=task.pk).values_list("owner_person_id", flat=True).first()
        if task.pk
        else None
    )
    with transaction.atomic(), set_actor(actor):
        if task.pk is None and actor is not None and task.created_by_id is None:
            task.created_by = actor
        task.done_at = (task.done_at or timezone.now()) if task.status == TaskStatus.DONE else None
        task.full_clean()
        task.save()
        if notify_owner:
            task_links.owner_assigned(task, previous_owner_id=previous_owner_id, actor=actor)
    return task


def set_task_status(task: Task, status, *, actor) -> Task:
    """Open → in progress → done (and back, if it was not done after all)."""
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose open, in progress or done.")})
    task.status = status
    return save_task(task, actor=actor)
