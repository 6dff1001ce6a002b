"""A meeting's agenda and minutes: the items with their minutes and history, the
documents, the attendance, the record's state and the agenda as sent."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.models import (
    Organisation,
    Person,
)

from .series import Meeting


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
