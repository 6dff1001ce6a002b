"""A body's meeting series (its recurrence rule) and its occurrences, each an `Event` of
the base, so invitations, replies, calendar files and reminders are the pipeline's."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.models import (
    Body,
    CreatedRecord,
    Event,
)

from .. import recurrence
from ..agenda_changes import AgendaChanges


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
