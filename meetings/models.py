"""Meetings of the standing bodies: a series per body with its recurrence rule, the
occurrences (each an `Event` of the base, so invitations, replies, calendar files and
reminders are the pipeline's), the body's numbered decisions and the tasks agreed."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from participation.models import (
    Body,
    CreatedRecord,
    Event,
    Organisation,
    Person,
    PersonalLink,
)

from . import recurrence


class MeetingSeries(CreatedRecord):
    """How a body meets: a recurrence rule from a first date, at a local wall-clock time,
    for a duration, at a place or online, with an agenda template."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    title = models.CharField(_("title"), max_length=200)
    rule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        help_text=_(
            "As in a calendar file (RFC 5545), e.g. FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU for the "
            "second Tuesday of every third month."
        ),
    )
    first_date = models.DateField(
        _("first date"),
        help_text=_("The series counts from this day; its first meeting is on or after it."),
    )
    start_time = models.TimeField(_("start time"), help_text=_("Local time (Europe/Berlin)."))
    duration = models.DurationField(
        _("duration"), default=datetime.timedelta(hours=2), help_text=_("For example 2:00:00.")
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda_template = models.TextField(
        _("agenda template"),
        blank=True,
        help_text=_("The usual items, one per line; each meeting's agenda starts from these."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    last_date = models.DateField(
        _("last date"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The series ends on this day: it was split or its following meetings cancelled."
        ),
    )
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues the series"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="continued_by",
    )

    # A change of these moves the whole series: the calendar sequence rises.
    SCHEDULE_FIELDS = ("rule", "first_date", "start_time", "duration")
    # How far back a series may start (it is generated from its first date).
    EARLIEST_START_DAYS = 366

    class Meta:
        ordering = ["body__name", "title"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        series = super().from_db(db, field_names, values)
        series._stored_schedule = series._schedule()
        return series

    def _schedule(self):
        return tuple(getattr(self, name, None) for name in self.SCHEDULE_FIELDS)

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    def dtstart(self) -> datetime.datetime:
        """The first date at the start time, in the county's zone."""
        naive = datetime.datetime.combine(self.first_date, self.start_time)
        return naive.replace(tzinfo=recurrence.local_zone())

    def recurrence_rule(self):
        """The rule from the first date, ending on the last date if the series has one."""
        rule = recurrence.parse(self.rule, self.dtstart())
        if self.last_date:
            rule = recurrence.ending(rule, self.dtstart(), self.end_of_last_date())
        return rule

    def end_of_last_date(self):
        naive = datetime.datetime.combine(self.last_date, datetime.time(23, 59, 59))
        return naive.replace(tzinfo=recurrence.local_zone())

    def clean(self):
        errors = {}
        if self.rule:
            self.rule = recurrence.normalise(self.rule)
        if self.duration is not None and not (
            datetime.timedelta(minutes=5) <= self.duration <= datetime.timedelta(hours=24)
        ):
            errors["duration"] = _("A meeting lasts between 5 minutes and 24 hours.")
        # Checked when the schedule is set: a series running for years (or one whose rule
        # has ended) keeps its own.
        stored = getattr(self, "_stored_schedule", None)
        first_date_set = stored is None or self.first_date != stored[1]
        schedule_set = stored is None or self._schedule() != stored
        if (
            first_date_set
            and self.first_date
            and self.first_date
            < timezone.localdate() - datetime.timedelta(days=self.EARLIEST_START_DAYS)
        ):
            errors["first_date"] = _("A series starts at most a year ago.")
        if (
            schedule_set
            and self.rule
            and self.first_date
            and self.start_time
            and "first_date" not in errors
        ):
            try:
                recurrence.check(self.recurrence_rule(), self.dtstart())
            except ValidationError as error:
                errors["rule"] = error.messages
        if errors:
            raise ValidationError(errors)


class Meeting(Event):
    """One occurrence of a series. `recurrence_id` is its start as the rule gave it and
    never changes: moved, it keeps it (the calendar's RECURRENCE-ID) and the sequence rises."""

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    recurrence_id = models.DateTimeField(_("original start"), editable=False)
    # The calendar identity its invitees hold (UID and RECURRENCE-ID, or a UID alone) when
    # the series was split or shifted after they were invited: their updates and
    # cancellations change the entry they have instead of adding another.
    invited_uid = models.CharField(max_length=255, blank=True, editable=False)
    invited_recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="meeting_once_per_original_start"
            )
        ]

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def body(self):
        return self.series.body

    @property
    def is_moved(self):
        return self.start != self.recurrence_id

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    def calendar_identity(self):
        """The series' UID and the original start (RECURRENCE-ID), as in the body's feed,
        so a calendar program updates this occurrence of the series; an occurrence the
        series' current rule no longer yields keeps a UID of its own (as in the feed); one
        whose series was split or shifted after invitations went out keeps what its
        invitees hold."""
        if self.invited_uid:
            return self.invited_uid, self.invited_recurrence_id
        series = self.series
        in_rule = recurrence.starts_between(
            series.recurrence_rule(),
            series.dtstart(),
            self.recurrence_id,
            self.recurrence_id,
            limit=0,
        )
        if self.recurrence_id not in in_rule:
            return None
        return f"{series.uid}@{settings.MITPLANEN_CALENDAR_DOMAIN}", self.recurrence_id

    def invitation_details(self):
        """The body and the series' usual agenda, for the invitation mail (in the
        recipient's language, which is active while the mail is rendered)."""
        series = self.series
        lines = [gettext("Body: %(body)s") % {"body": series.body}]
        items = [line.strip() for line in series.agenda_template.splitlines() if line.strip()]
        if items and not self.invitation_programme():
            lines.append(gettext("Usual agenda:"))
            lines.extend(f"  {number}. {item}" for number, item in enumerate(items, start=1))
        return lines

    def invitation_programme(self):
        """The meeting's agenda (once it exists) as (time, item) rows: each item starts
        when the one before ends."""
        return [(time, item["title"]) for time, item in self._timed(self.agenda_snapshot())]

    def agenda_snapshot(self) -> list[dict]:
        """The accepted items in order, as an `AgendaVersion` stores them."""
        return [
            {"id": pk, "title": title, "duration": minutes}
            for pk, title, minutes in self.agenda_items.filter(status="accepted")
            .order_by("position", "pk")
            .values_list("pk", "title", "duration_minutes")
        ]

    def _timed(self, items):
        moment = timezone.localtime(self.start)
        for item in items:
            yield moment.strftime("%H:%M"), item
            moment += datetime.timedelta(minutes=item["duration"] or 0)

    def programme_update(self, key):
        """The agenda as sent in the update `key` ("agenda-<number>"), each item marked
        with what changed since the version sent before, and the removed items."""
        number = int(key.rpartition("-")[2])
        versions = list(self.agenda_versions.filter(number__lte=number).order_by("-number")[:2])
        if not versions or versions[0].number != number:
            return super().programme_update(key)
        items = versions[0].items
        # Without the version before (invitations sent before versions were kept) nothing
        # can be marked.
        changes = AgendaChanges.between(versions[1].items if len(versions) > 1 else items, items)
        marks = {item["id"]: gettext("new") for item in changes.added}
        marks |= {item["id"]: gettext("moved") for item in changes.moved}
        for item, before in changes.retitled:
            marks[item["id"]] = gettext("renamed, before: %(title)s") % {"title": before}
        rows = [
            (time, item["title"], marks.get(item["id"], "")) for time, item in self._timed(items)
        ]
        return rows, [item["title"] for item in changes.removed]


class DecisionRegister(models.Model):
    """A body's register of decisions: the code its numbers begin with ("LG")."""

    body = models.OneToOneField(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decision_register"
    )
    code = models.CharField(
        _("code for decision numbers"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{0,9}$",
                _("Use capital letters and digits only, starting with a letter (e.g. LG)."),
            )
        ],
        help_text=_("Decisions are numbered CODE-YEAR-NUMBER, e.g. LG-2027-07."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("decision register")
        verbose_name_plural = _("decision registers")

    def __str__(self):
        return self.code


class DecisionCounter(models.Model):
    """The last number given per register and year; locked while a decision is numbered, so
    two decisions taken at once get different numbers."""

    register = models.ForeignKey(DecisionRegister, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="decision_counter_once")
        ]

    def __str__(self):
        return f"{self.register}-{self.year}: {self.last}"


class Decision(models.Model):
    """A decision of a body, numbered once ("LG-2027-07") and never renumbered."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    reference = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("sequence number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the decision"))
    decided_on = models.DateField(_("decided on"))
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="decision_number_once")
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:decision_register", args=[self.body_id]) + f"#{self.reference}"

    def clean(self):
        if self.meeting_id and self.body_id and self.meeting.series.body_id != self.body_id:
            raise ValidationError({"meeting": _("The meeting belongs to another body.")})


class TaskStatus(models.TextChoices):
    # "Offen": a task is open, not opened ("Geöffnet" is a workshop activity's state).
    OPEN = "open", pgettext_lazy("state, not closed", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Task(CreatedRecord):
    """What was agreed at a meeting (perhaps by a decision): one owner (a person or an
    organisation of the body), a due date and a status. Open tasks are carried to the
    series' next meetings until done."""

    Status = TaskStatus

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="tasks"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_tasks",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_tasks",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True, owner_organisation__isnull=False)
                | Q(owner_person__isnull=False, owner_organisation__isnull=True),
                name="task_one_owner",
                violation_error_message=_("Name either a person or an organisation as owner."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:task_edit", args=[self.pk])

    @property
    def owner(self):
        return self.owner_person or self.owner_organisation

    def clean(self):
        errors = {}
        if bool(self.owner_person_id) == bool(self.owner_organisation_id):
            errors["owner_person"] = _("Name either a person or an organisation as owner.")
        if (
            self.decision_id
            and self.meeting_id
            and self.decision.body_id != self.meeting.series.body_id
        ):
            errors["decision"] = _("The decision belongs to another body.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.status != TaskStatus.DONE

    @property
    def is_overdue(self):
        """Not done, and due before today (the county's date)."""
        return self.is_open and self.due_date < timezone.localdate()


# --- Tasks: the owner's personal link, reminders and the overdue digest (issue 12, tasks) ---


class TaskLink(PersonalLink):
    """A task owner's personal link: it shows the task and lets its owner (who may have no
    account) set its status, nothing else. It ends when revoked, or some days after the task
    is done (`MEETINGS_TASK_LINK_DAYS_AFTER_DONE`)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="links"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal task link")
        verbose_name_plural = _("personal task links")

    def __str__(self):
        return f"{self.task} – {self.person}"

    def link_usable(self, *, now) -> bool:
        if not super().link_usable(now=now):
            return False
        task = self.task
        if task.owner_person_id != self.person_id:
            return False
        if task.status == TaskStatus.DONE and task.done_at is not None:
            days = settings.MEETINGS_TASK_LINK_DAYS_AFTER_DONE
            return now <= task.done_at + datetime.timedelta(days=days)
        return True


class TaskNoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder before due")
    OVERDUE = "overdue", _("Weekly overdue digest")


class TaskNotice(models.Model):
    """That a task's owner was told about it: once per task, kind and key date (the due
    date for the reminder, the week's Monday for the digest). The database refuses a second
    row, so a repeated run or a second worker never sends twice."""

    Kind = TaskNoticeKind

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=TaskNoticeKind.choices)
    key_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "key_date"], name="task_notice_once")
        ]

    def __str__(self):
        return f"{self.task} {self.kind} {self.key_date}"


# --- Calendars: a subscribable feed per person (issue 12, tasks) ---------------------------


class CalendarSubscription(PersonalLink):
    """A user's secret calendar address: the feed of the meetings of the bodies they sit in
    (or of one of them), for calendar programs that cannot sign in. Only the token's hash is
    stored; rotating revokes the old address and gives a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="meeting_calendar_subscriptions",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return gettext("Calendar subscription of %(user)s") % {"user": self.user}

    def link_usable(self, *, now) -> bool:
        return super().link_usable(now=now) and self.user.is_active


# --- date polls (Terminumfrage) --------------------------------------------------------------


class PollStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("state, not closed", "Open")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")


class PollAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("If need be")
    NO = "no", _("No")


class DatePoll(CreatedRecord):
    """A date poll for a series' next meeting (or for moving one of its meetings): the
    coordinator proposes slots, the invitees answer per slot, the coordinator picks one."""

    Status = PollStatus

    series = models.ForeignKey(
        MeetingSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="polls"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting to move"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="polls",
        help_text=_("Empty: the chosen slot becomes an extra meeting of the series."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    answer_by = models.DateField(
        _("answer by"),
        null=True,
        blank=True,
        help_text=_("Invitees who have not answered are reminded automatically a few days before."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PollStatus.choices, default=PollStatus.OPEN
    )
    chosen_slot = models.ForeignKey(
        "PollSlot",
        verbose_name=_("chosen slot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:poll_detail", args=[self.pk])

    @property
    def body(self):
        return self.series.body

    @property
    def is_open(self):
        return self.status == PollStatus.OPEN


class PollSlot(models.Model):
    """A proposed date: a time span (stored in UTC, shown in Europe/Berlin) or a whole day
    (a date without a time zone, which never shifts)."""

    poll = models.ForeignKey(
        DatePoll, verbose_name=_("date poll"), on_delete=models.CASCADE, related_name="slots"
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    day = models.DateField(_("all-day date"), null=True, blank=True)

    class Meta:
        # In calendar order: by the local date, a whole day after that day's timed slots.
        ordering = [Coalesce("day", TruncDate("start")), "start", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(day__isnull=True, start__isnull=False, end__isnull=False)
                | Q(day__isnull=False, start__isnull=True, end__isnull=True),
                name="poll_slot_timed_or_all_day",
            ),
            # The same date twice in one poll is refused, so an edit sent twice adds nothing.
            models.UniqueConstraint(fields=["poll", "day"], name="poll_slot_day_once"),
            models.UniqueConstraint(fields=["poll", "start", "end"], name="poll_slot_span_once"),
        ]

    def __str__(self):
        return self.label()

    @property
    def is_all_day(self):
        return self.day is not None

    def sort_key(self):
        if self.day is not None:
            return (self.day, datetime.time.min)
        local = timezone.localtime(self.start, recurrence.local_zone())
        return (local.date(), local.time())

    def label(self):
        if self.day is not None:
            return gettext("%(date)s (all day)") % {
                "date": formats.date_format(self.day, "DATE_FORMAT")
            }
        zone = recurrence.local_zone()
        start = timezone.localtime(self.start, zone)
        end = timezone.localtime(self.end, zone)
        return gettext("%(date)s, %(start)s–%(end)s (Europe/Berlin)") % {
            "date": formats.date_format(start, "DATE_FORMAT"),
            "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT"),
        }


class PollInvitee(PersonalLink):
    """Who is asked, with their personal link: only its holder (or the signed-in person)
    changes their answers. The address is the poll's to write to, never shown to others.
    The newest link stays usable after the poll closes, to show the chosen date; the
    answers it could change are refused then."""

    poll = models.ForeignKey(
        DatePoll, verbose_name=_("date poll"), on_delete=models.CASCADE, related_name="invitees"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default="de")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    invited_at = models.DateTimeField(_("poll sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("poll invitee")
        verbose_name_plural = _("poll invitees")
        constraints = [models.UniqueConstraint(fields=["poll", "email"], name="poll_invitee_once")]

    def __str__(self):
        return self.name


class PollVote(models.Model):
    """One invitee's answer to one slot."""

    Answer = PollAnswer

    invitee = models.ForeignKey(
        PollInvitee, verbose_name=_("invitee"), on_delete=models.CASCADE, related_name="votes"
    )
    slot = models.ForeignKey(
        PollSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.CharField(_("answer"), max_length=8, choices=PollAnswer.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["invitee", "slot"], name="poll_vote_once")]

    def __str__(self):
        return f"{self.invitee}: {self.slot} {self.answer}"


# --- agenda and minutes (issue 12) -----------------------------------------------------------


class AgendaItemKind(models.TextChoices):
    REGULAR = "regular", _("Item")
    CARRIED_TASKS = "carried_tasks", _("Open tasks")
    APPROVAL = "approval", _("Approval of the minutes")


class AgendaItemStatus(models.TextChoices):
    ACCEPTED = "accepted", _("On the agenda")
    PROPOSED = "proposed", _("Proposed")
    REJECTED = "rejected", _("Rejected")


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Decision")
    TASK = "task", _("Task")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for corrections")
    APPROVED = "approved", _("Approved")


class MeetingRecord(models.Model):
    """A meeting's agenda and minutes as a whole: created with the agenda (from the series'
    template, once), then the minutes' lifecycle draft → circulated → approved (locked)."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="record"
    )
    status = models.CharField(
        _("minutes status"),
        max_length=16,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    approved_in = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda and minutes")
        verbose_name_plural = _("agendas and minutes")

    def __str__(self):
        return str(self.meeting)

    @property
    def is_locked(self):
        return self.status == MinutesStatus.APPROVED


class AgendaItem(models.Model):
    """One item of a meeting's agenda, with its minutes. `revision` rises with every change
    of the minutes, so a save based on an older revision is a conflict, never an overwrite."""

    Kind = AgendaItemKind
    Status = AgendaItemStatus

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=AgendaItemKind.choices, default=AgendaItemKind.REGULAR
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgendaItemStatus.choices,
        default=AgendaItemStatus.ACCEPTED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=OutcomeKind.choices,
        default=OutcomeKind.INFORMATION,
    )
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#item-{self.pk}"


class MinutesChange(models.Model):
    """The history of an item's minutes: one row per saved revision."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="changes")
    revision = models.PositiveIntegerField(_("revision"))
    minutes = models.TextField(_("minutes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=OutcomeKind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["item", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["item", "revision"], name="minutes_change_once")
        ]

    def __str__(self):
        return f"{self.item} #{self.revision}"


def agenda_document_path(document, filename):
    """Never the uploaded name (it lives in `original_name`): a random one per file."""
    return f"meetings/agenda/{document.item.meeting_id}/{uuid.uuid4().hex}"


class AgendaDocument(models.Model):
    """A file for an agenda item; stored outside the web root, served only to those who see
    the meeting."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=agenda_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    DEPUTY = "deputy", _("Represented by a deputy")


class Attendance(models.Model):
    """Who was at the meeting, per seat of the body: the person and the organisation the
    seat represents."""

    Status = AttendanceStatus

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    deputy = models.CharField(_("deputy"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "person__last_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.person}: {self.get_status_display()}"


class AgendaVersion(models.Model):
    """The agenda as it went to the invitees: number 0 with the invitations, one more with
    each update sent after a change. The number names the update's messages, so each
    invitee gets each version once; the unique number makes two sends of one version
    impossible."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="agenda_versions",
    )
    number = models.PositiveIntegerField(_("number"))
    # [{"id": item pk, "title": …, "duration": minutes or None}] in the agenda's order.
    items = models.JSONField(_("items"), default=list)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("agenda as sent")
        verbose_name_plural = _("agendas as sent")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_once")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.number}"

    @property
    def key(self) -> str:
        """The key of the invitation messages that send this version."""
        return f"agenda-{self.number}"


@dataclass
class AgendaChanges:
    """What changed between two agendas (lists of item dicts as `AgendaVersion.items`)."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    retitled: list = field(default_factory=list)  # (item, the title before)
    moved: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.retitled or self.moved)

    @classmethod
    def between(cls, before, after) -> "AgendaChanges":
        old = {item["id"]: item for item in before}
        kept = [item for item in after if item["id"] in old]
        order = {item["id"]: index for index, item in enumerate(before)}
        in_place = _longest_rising([order[item["id"]] for item in kept])
        return cls(
            added=[item for item in after if item["id"] not in old],
            removed=[item for item in before if item["id"] not in {i["id"] for i in after}],
            retitled=[
                (item, old[item["id"]]["title"])
                for item in kept
                if item["title"] != old[item["id"]]["title"]
            ],
            # The fewest items that moved: all but the longest run kept in its order.
            moved=[item for index, item in enumerate(kept) if index not in in_place],
        )


def _longest_rising(values) -> set[int]:
    """The indexes of a longest strictly rising subsequence of `values`."""
    best = [1] * len(values)
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    index = max(range(len(values)), key=best.__getitem__, default=-1)
    found = set()
    while index != -1:
        found.add(index)
        index = previous[index]
    return found
