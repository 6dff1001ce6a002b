"""Consultations on a draft (the indicator set, the recommendations for action): the draft's
numbered sections and files, the organisations consulted, and each organisation's one
statement, drafted together by its members through the base's organisation-response engine
(`participation.models.responses`): per section a position, a comment and a proposed
wording, released by the member the organisation names as responsible, or declared as
"no statement".

A later weighing table splits the answers per section (`SectionAnswer`) into points."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from participation.models import (
    AnswerHistoryEntry,
    ContactReminder,
    Organisation,
    OrganisationResponse,
    RevisedAnswer,
)

ATTACHMENT_DIR = "consultations"


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("What the draft is for and what the statements decide (Markdown)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("consulted organisations"),
        blank=True,
        related_name="consultations",
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class ConsultationSection(models.Model):
    """One numbered section of the draft, as the organisations comment on it."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["consultation", "number", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultation_section_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def key(self):
        """The name of the section's inputs on the statement form (`q-<key>-…`)."""
        return f"s{self.pk}"


def attachment_path(attachment, filename):
    """Never the uploaded name (it lives in `original_name`): a random one per file."""
    return f"{ATTACHMENT_DIR}/{attachment.consultation_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file of the draft (the full document, a table of indicators). Stored outside the web
    root and served only to those who may see the consultation."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["consultation", "title", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class Position(models.TextChoices):
    AGREE = "agree", _("Agree")
    AGREE_WITH_CHANGES = "agree_with_changes", _("Agree with changes")
    DISAGREE = "disagree", _("Disagree")


class Statement(OrganisationResponse):
    """An organisation's one statement on a consultation, drafted by any of its members and
    released by the member it names as responsible."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="consultation_statements",
    )
    responsible = models.ForeignKey(
        "participation.Person",
        verbose_name=_("responsible member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only this member can release the statement."),
    )
    no_statement = models.BooleanField(
        _("no statement"),
        default=False,
        help_text=_("The organisation declared that it gives no statement."),
    )

    extension_too_early = _("An extension must end after the consultation's deadline.")

    class Meta:
        ordering = ["consultation", "organisation__name"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="one_statement_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.consultation} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("consultations:statement", args=[self.pk])

    @property
    def default_deadline(self):
        return self.consultation.deadline

    @property
    def is_released(self):
        return self.status == self.Status.SUBMITTED

    def check_editable(self, *, today=None):
        consultation = self.consultation
        today = today or timezone.localdate()
        if self.status == Statement.Status.SUBMITTED:
            raise ValidationError(
                _("This statement has been released; the coordination can reopen it.")
            )
        if consultation.status != Consultation.Status.OPEN:
            raise ValidationError(_("This consultation is not open for statements."))
        if self.is_past_deadline(today):
            raise ValidationError(
                _("The deadline (%s) has passed; statements are no longer accepted.")
                % formats.date_format(self.effective_deadline, "SHORT_DATE_FORMAT")
            )


class SectionAnswer(RevisedAnswer):
    """The statement on one section: {"position", "comment", "wording"} (see
    `RevisedAnswer` for the revision)."""

    response = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="answers",
    )

    class Meta:
        verbose_name = _("statement on a section")
        verbose_name_plural = _("statements on sections")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_section_answer_per_statement"
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.question}"


class SectionAnswerChange(AnswerHistoryEntry):
    answer = models.ForeignKey(
        SectionAnswer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        ordering = ["answer", "-revision"]
        verbose_name = _("change of a statement")
        verbose_name_plural = _("changes of statements")

    def __str__(self):
        return f"{self.answer} r{self.revision}"


class StatementRequest(models.Model):
    """The request for a statement to one contact person of a consulted organisation, sent
    when the consultation opens: one per consultation, organisation and person, so opening
    twice or a retry sends nothing twice."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="statement_requests",
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="statement_requests",
    )
    mail = models.ForeignKey(
        "participation.OutboundMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["consultation", "organisation__name", "pk"]
        verbose_name = _("statement request")
        verbose_name_plural = _("statement requests")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "person"],
                name="one_statement_request_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.consultation} – {self.person}"


class ConsultationReminder(ContactReminder):
    """One reminder to one contact person of an organisation that had not released its
    statement (see `ContactReminder`): one per consultation, organisation, person and day."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="consultation_reminders",
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="consultation_reminders",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consultation reminder")
        verbose_name_plural = _("consultation reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "person", "sent_on"],
                name="one_consultation_reminder_per_person_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.consultation} – {self.person} ({self.sent_on})"
