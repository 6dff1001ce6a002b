"""Date polls (Terminumfragen): the proposed dates, the invitees with their personal
links and their answers."""

import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from participation.models import (
    CreatedRecord,
    Organisation,
    Person,
    PersonalLink,
)

from .. import recurrence
from .series import Meeting, MeetingSeries


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
