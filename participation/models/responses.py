"""An organisation answering as one, whatever it answers (a survey, a statement in a
consultation): one response per organisation that any of its members fills in, answers
whose revision rises with every change (so a save based on an older revision is a
conflict, not a lost update), the history of every answer, and reminders sent at most once
per contact person and day.

A feature app subclasses these abstract models (`surveys.Response`, `surveys.Answer`, …):
- its response adds the thing answered and a unique constraint per organisation, and gives
  `default_deadline` and `check_editable()`;
- its answer adds `response` and `question` foreign keys (related names `answers` on the
  response), its history entry an `answer` foreign key (related name `changes`);
- its reminder adds the thing reminded of and a unique constraint per person and day.
The generic services are in `participation.responses`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import Organisation


class OrganisationResponse(models.Model):
    """An organisation's one response, filled in by any of its members."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    # A subclass overrides this field to give its own related_name.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    deadline_extended_to = models.DateField(_("deadline extended to"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    # Shown when an extension does not end after `default_deadline`.
    extension_too_early = _("An extension must end after the deadline.")

    class Meta:
        abstract = True

    @property
    def default_deadline(self):
        """The deadline of everyone asked, before any extension (None: no deadline)."""
        raise NotImplementedError

    def check_editable(self, *, today=None):
        """Raise ValidationError, saying why, when the answers cannot change now."""
        raise NotImplementedError

    @property
    def effective_deadline(self):
        return self.deadline_extended_to or self.default_deadline

    def is_past_deadline(self, today=None):
        deadline = self.effective_deadline
        return deadline is not None and (today or timezone.localdate()) > deadline


class RevisedAnswer(models.Model):
    """The current answer to one question. `revision` rises with every change, so a save
    based on an older revision is detected as a conflict instead of overwriting."""

    value = models.JSONField(_("value"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class AnswerHistoryEntry(models.Model):
    """History of an answer: who changed it when, from what to what."""

    revision = models.PositiveIntegerField(_("revision"))
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        abstract = True


class ContactReminder(models.Model):
    """One reminder to one contact person of an organisation that had not answered yet.

    The row is written before the mail is queued, and the subclass's unique constraint
    allows one per thing, organisation, person and day, whichever kind: a task that runs
    twice, two coordinators clicking at once, or a click after the automatic run on the
    same day send nothing twice (`participation.responses.remind_once`)."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("By a coordinator")

    # A subclass overrides these two fields to give its own related_names.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    mail = models.ForeignKey(
        "participation.OutboundMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
