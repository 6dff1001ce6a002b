"""Tasks agreed at meetings, their owners' personal links and the notices sent once."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participation.models import (
    CreatedRecord,
    Organisation,
    Person,
    PersonalLink,
)

from .decisions import Decision
from .series import Meeting


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
