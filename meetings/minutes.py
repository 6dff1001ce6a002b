"""Agenda and minutes of a meeting.

- The agenda starts from the series' template the first time the meeting is opened (once:
  the meeting's record exists once). The template's line "Offene Aufgaben" becomes the item
  that lists the series' open tasks (`selectors.carried_tasks`); when the previous meeting
  has minutes, "Genehmigung des Protokolls der letzten Sitzung" comes first.
- Members of the body propose items until the cut-off (PROPOSAL_CUTOFF_DAYS before the
  meeting); the coordinator accepts or rejects them.
- Minutes per item (Markdown, with an outcome kind) are saved with the revision the editor
  started from, compared in one UPDATE ... WHERE revision = n: a save from an older revision
  is a conflict and changes nothing. Every revision is kept.
- Lifecycle: draft → circulated (mail to the attendees) → approved at the next meeting,
  then locked: nothing changes any more.
Every write leaves an audit entry naming the actor."""

import datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from participation import mail
from participation.audit import record_action
from participation.media_storage import storing
from participation.models import BodyMembership, EventStatus
from participation.selectors import get_or_404, is_coordinator, own_person_id
from participation.uploads import CONTENT_TYPES, check_upload, display_name

from . import selectors
from .models import (
    AgendaDocument,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingRecord,
    MinutesChange,
    MinutesStatus,
    OutcomeKind,
)

OPEN_TASKS_TITLE = "Offene Aufgaben"
APPROVAL_TITLE = "Genehmigung des Protokolls der letzten Sitzung"
DOCUMENT_TYPES = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "png", "jpg"]
DOCUMENT_MAX_MB = 20
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MB * 1024 * 1024


class MinutesConflict(ValidationError):
    """Somebody saved the item's minutes since the editor opened them."""

    def __init__(self, item):
        super().__init__(
            _(
                "Somebody else saved the minutes of “%(item)s” in the meantime (now revision "
                "%(revision)s). Nothing was overwritten: reload, then apply your changes again."
            )
            % {"item": item.title, "revision": item.revision},
            code="conflict",
        )
        self.item = item


def cutoff_days() -> int:
    return int(getattr(settings, "MEETINGS_PROPOSAL_CUTOFF_DAYS", 7))


def proposal_deadline(meeting) -> datetime.datetime:
    return meeting.start - datetime.timedelta(days=cutoff_days())


# --- the agenda ------------------------------------------------------------------------------


def previous_meeting(meeting):
    return (
        Meeting.objects.filter(series_id=meeting.series_id, recurrence_id__lt=meeting.recurrence_id)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("-recurrence_id")
        .first()
    )


def next_meeting_after(meeting):
    return (
        Meeting.objects.filter(series_id=meeting.series_id, recurrence_id__gt=meeting.recurrence_id)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("recurrence_id")
        .first()
    )


def previous_minutes(meeting):
    """The record of the previous meeting's minutes (what its approval item is about)."""
    previous = previous_meeting(meeting)
    if previous is None:
        return None
    return MeetingRecord.objects.select_related("meeting").filter(meeting=previous).first()


def has_minutes(meeting) -> bool:
    record = MeetingRecord.objects.filter(meeting=meeting).first()
    if record is None:
        return False
    return record.status != MinutesStatus.DRAFT or meeting.agenda_items.exclude(minutes="").exists()


def ensure_agenda(meeting) -> MeetingRecord:
    """The meeting's record, with its agenda from the series' template the first time;
    adds the approval of the previous minutes once the previous meeting has minutes.
    Safe to call on every opening and concurrently (the meeting row is locked)."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        record, created = MeetingRecord.objects.get_or_create(meeting=meeting)
        if created:
            lines = [
                line.strip() for line in meeting.series.agenda_template.splitlines() if line.strip()
            ]
            items = [
                AgendaItem(
                    meeting=meeting,
                    position=(number + 1) * 10,
                    title=line,
                    kind=AgendaItemKind.CARRIED_TASKS
                    if line.casefold() == OPEN_TASKS_TITLE.casefold()
                    else AgendaItemKind.REGULAR,
                )
                for number, line in enumerate(lines)
            ]
            if not any(item.kind == AgendaItemKind.CARRIED_TASKS for item in items):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=(len(items) + 1) * 10,
                        title=OPEN_TASKS_TITLE,
                        kind=AgendaItemKind.CARRIED_TASKS,
                    )
                )
            AgendaItem.objects.bulk_create(items)
        if (
            not record.is_locked
            and not meeting.agenda_items.filter(kind=AgendaItemKind.APPROVAL).exists()
        ):
            previous = previous_meeting(meeting)
            if previous is not None and has_minutes(previous):
                AgendaItem.objects.create(
                    meeting=meeting, position=0, title=APPROVAL_TITLE, kind=AgendaItemKind.APPROVAL
                )
    return record


def agenda(meeting):
    """The accepted items in order."""
    return meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")


def proposals(meeting):
    return meeting.agenda_items.filter(status=AgendaItemStatus.PROPOSED).order_by("pk")


def _next_position(meeting):
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    return last + 10


def _check_open(record):
    if record.is_locked:
        raise ValidationError(
            _("The minutes of this meeting are approved and locked; nothing can be changed.")
        )


def add_item(item: AgendaItem, *, actor) -> AgendaItem:
    """A coordinator puts an item on the agenda."""
    record = ensure_agenda(item.meeting)
    _check_open(record)
    if item.meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."))
    with transaction.atomic(), set_actor(actor):
        if not item.pk:
            item.position = item.position or _next_position(item.meeting)
            item.status = AgendaItemStatus.ACCEPTED
        item.full_clean()
        item.save()
    return item


def may_propose(user, meeting) -> bool:
    """Whoever holds a current seat in the meeting's body (coordinators add items directly)."""
    person_id = own_person_id(user)
    return bool(
        person_id
        and BodyMembership.objects.current()
        .filter(body_id=meeting.series.body_id, person_id=person_id)
        .exists()
    )


def propose_item(item: AgendaItem, *, actor) -> AgendaItem:
    """A member of the body proposes an item; refused after the cut-off."""
    meeting = item.meeting
    if not (may_propose(actor, meeting) or is_coordinator(actor)):
        raise ValidationError(_("Only members of the body can propose agenda items."))
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting is cancelled."))
    if timezone.now() > proposal_deadline(meeting):
        raise ValidationError(
            _(
                "Items can be proposed until %(days)s days before the meeting "
                "(until %(deadline)s). Please contact the coordination office."
            )
            % {
                "days": cutoff_days(),
                "deadline": timezone.localtime(proposal_deadline(meeting)).strftime(
                    "%d.%m.%Y %H:%M"
                ),
            }
        )
    _check_open(ensure_agenda(meeting))
    with transaction.atomic(), set_actor(actor):
        item.status = AgendaItemStatus.PROPOSED
        item.kind = AgendaItemKind.REGULAR
        item.proposed_by = actor
        item.position = _next_position(meeting)
        item.full_clean()
        item.save()
    return item


def decide_proposal(item: AgendaItem, *, accept: bool, actor) -> AgendaItem:
    """The coordinator accepts a proposal (it goes to the end of the agenda) or rejects it."""
    with transaction.atomic(), set_actor(actor):
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.status != AgendaItemStatus.PROPOSED:
            raise ValidationError(_("This item is not a proposal waiting for a decision."))
        _check_open(ensure_agenda(item.meeting))
        item.status = AgendaItemStatus.ACCEPTED if accept else AgendaItemStatus.REJECTED
        if accept:
            item.position = _next_position(item.meeting)
        item.save(update_fields=["status", "position"])
    return item


def add_document(item: AgendaItem, *, actor, title, uploaded) -> AgendaDocument:
    """Check an uploaded file by content and size and attach it to the item."""
    _check_open(ensure_agenda(item.meeting))
    file_type = check_upload(uploaded, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    name = display_name(uploaded.name) or f"{title}.{file_type}"
    document = AgendaDocument(
        item=item,
        title=(title or "").strip() or name,
        original_name=name,
        content_type=CONTENT_TYPES[file_type],
        size=uploaded.size,
        uploaded_by=actor,
    )
    document.file = uploaded
    try:
        with storing(), transaction.atomic(), set_actor(actor):
            document.save()
    except Exception:
        if document.file.name:
            default_storage.delete(document.file.name)
        raise
    return document


# --- minutes ---------------------------------------------------------------------------------


def save_minutes(item: AgendaItem, *, minutes, outcome, base_revision, actor) -> AgendaItem:
    """Save an item's minutes if nobody saved them since `base_revision`; otherwise raise
    MinutesConflict and change nothing. Refused once the minutes are approved."""
    if outcome not in OutcomeKind.values:
        raise ValidationError({"outcome": _("Choose information, decision or task.")})
    with transaction.atomic(), set_actor(actor):
        record = ensure_agenda(item.meeting)
        record = MeetingRecord.objects.select_for_update().get(pk=record.pk)
        _check_open(record)
        updated = AgendaItem.objects.filter(pk=item.pk, revision=base_revision).update(
            minutes=minutes, outcome=outcome, revision=F("revision") + 1
        )
        current = AgendaItem.objects.get(pk=item.pk)
        if not updated:
            raise MinutesConflict(current)
        MinutesChange.objects.create(
            item=current,
            revision=current.revision,
            minutes=minutes,
            outcome=outcome,
            changed_by=actor,
        )
        record_action(
            current,
            actor=actor,
            changes={"minutes": [item.minutes, minutes], "outcome": [item.outcome, outcome]},
        )
    return current


def attendance_rows(meeting):
    """One row per current seat of the body: (seat, the attendance recorded or None)."""
    on = timezone.localtime(meeting.start).date()
    seats = (
        BodyMembership.objects.current(on)
        .filter(body_id=meeting.series.body_id)
        .select_related("person", "represents")
        .order_by("person__last_name", "person__first_name")
    )
    recorded = {row.person_id: row for row in meeting.attendance.all()}
    return [(seat, recorded.get(seat.person_id)) for seat in seats]


def save_attendance(meeting, entries, *, actor):
    """`entries` maps a person id (a seat of the body) to (status, deputy name); an empty
    status removes the entry. A deputy needs a name; unknown people are refused."""
    _check_open(ensure_agenda(meeting))
    seats = {seat.person_id: seat for seat, _row in attendance_rows(meeting)}
    errors = []
    for person_id, (status, deputy) in entries.items():
        if person_id not in seats:
            errors.append(_("This person has no seat in the body."))
        elif status and status not in AttendanceStatus.values:
            errors.append(_("Choose present, excused or represented by a deputy."))
        elif status == AttendanceStatus.DEPUTY and not (deputy or "").strip():
            errors.append(
                _("Name the deputy who represented %(person)s.")
                % {"person": seats[person_id].person}
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        for person_id, (status, deputy) in entries.items():
            if not status:
                meeting.attendance.filter(person_id=person_id).delete()
                continue
            Attendance.objects.update_or_create(
                meeting=meeting,
                person_id=person_id,
                defaults={
                    "organisation": seats[person_id].represents,
                    "status": status,
                    "deputy": (deputy or "").strip() if status == AttendanceStatus.DEPUTY else "",
                },
            )
    return list(meeting.attendance.select_related("person", "organisation"))


def circulate(meeting, *, actor) -> MeetingRecord:
    """Send the draft minutes to the attendees (present, or their deputies' seat holders)
    for corrections; the minutes can still be edited until approved. Refused while nobody
    would receive them (no attendance recorded yet)."""
    with transaction.atomic(), set_actor(actor):
        record = MeetingRecord.objects.select_for_update().get(pk=ensure_agenda(meeting).pk)
        _check_open(record)
        if meeting.start > timezone.now():
            raise ValidationError(_("Minutes can be circulated once the meeting has begun."))
        if not circulation_recipients(meeting).exists():
            raise ValidationError(
                _(
                    "Record the attendance first: nobody with an e-mail address is recorded "
                    "as present, so the minutes would reach nobody."
                )
            )
        before = record.status
        record.status = MinutesStatus.CIRCULATED
        record.circulated_at = timezone.now()
        record.save(update_fields=["status", "circulated_at"])
        record_action(record, actor=actor, changes={"status": [before, record.status]})
        for row in circulation_recipients(meeting):
            person = row.person
            mail.send_templated_mail(
                "meetings/mail/minutes_circulated",
                to=person.email,
                context={"meeting": meeting, "person": person, "items": list(agenda(meeting))},
                language=person.language or translation.get_language(),
            )
    return record


def circulation_recipients(meeting):
    """Who gets the circulated minutes: the attendance rows of those present (or
    represented by a deputy) who have an e-mail address."""
    return (
        meeting.attendance.filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY])
        .exclude(person__email="")
        .select_related("person")
    )


def approve(meeting, *, actor) -> MeetingRecord:
    """Approve circulated minutes (at the next meeting); afterwards they are locked."""
    with transaction.atomic(), set_actor(actor):
        record = MeetingRecord.objects.select_for_update().get(pk=ensure_agenda(meeting).pk)
        _check_open(record)
        if record.status != MinutesStatus.CIRCULATED:
            raise ValidationError(_("Circulate the minutes for corrections before approving them."))
        record.status = MinutesStatus.APPROVED
        record.approved_at = timezone.now()
        record.approved_in = next_meeting_after(meeting)
        record.save(update_fields=["status", "approved_at", "approved_in"])
        record_action(
            record, actor=actor, changes={"status": [MinutesStatus.CIRCULATED, record.status]}
        )
    return record


def item_for_user(user, pk, *, write=False):
    """An agenda item of a meeting the user may see (404 otherwise)."""
    item = get_or_404(AgendaItem.objects.select_related("meeting__series__body"), pk)
    selectors.get_meeting_for_user(user, item.meeting_id, write=write)
    if item.status == AgendaItemStatus.REJECTED and not is_coordinator(user):
        raise Http404
    return item
