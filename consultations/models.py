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
from django.utils.translation import pgettext_lazy

from participation.models import (
    AnswerHistoryEntry,
    ContactReminder,
    CreatedRecord,
    Organisation,
    OrganisationResponse,
    RevisedAnswer,
)

ATTACHMENT_DIR = "consultations"


class Consultation(CreatedRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("state, not closed", "Open")
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
    # Counts every point of the weighing table added, changed or removed (the services in
    # `weighing` count them); a publication keeps the count, so the table tells a change
    # since without counting its points, which are 200,000 for 11,000 organisations.
    weighing_changes = models.PositiveIntegerField(
        _("changes to the weighing table"), default=0, editable=False
    )

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


# --- the weighing table, the revised draft and the published result --------------------------


class Reply(models.TextChoices):
    """The administration's response to one point of a statement."""

    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    NOTED = "noted", _("Noted")


class WeighingPoint(models.Model):
    """One point of an organisation's statement on a section (the quoted or paraphrased
    text) and the administration's response with its reasons. `revision` counts the saves:
    an edit started from an older revision is a conflict (two coordinators, one point).
    `version` is the weighing table's version the point was last changed in: a change after
    a publication belongs to the next version, the published one stays as it was."""

    answer = models.ForeignKey(
        SectionAnswer,
        verbose_name=_("statement on a section"),
        on_delete=models.CASCADE,
        related_name="points",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("point"))
    reply = models.CharField(_("response"), max_length=20, choices=Reply.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["answer", "number", "pk"]
        verbose_name = _("point of a statement")
        verbose_name_plural = _("points of statements")
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="weighing_point_number"),
        ]

    def __str__(self):
        return f"{self.answer} – {self.number}"


class RevisedSection(models.Model):
    """A section of the revised draft, the next version of the consultation's draft: begun
    as a copy of the sections, then changed by the coordination."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="revised_sections",
    )
    original = models.ForeignKey(
        ConsultationSection,
        verbose_name=_("section of the draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["consultation", "number", "pk"]
        verbose_name = _("section of the revised draft")
        verbose_name_plural = _("sections of the revised draft")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="revised_section_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("consultations:revised", args=[self.consultation_id])


class Publication(models.Model):
    """One published version of the result: the weighing table, the responses and the
    revised draft as they were at that moment (`content`), so a later change never alters
    what the organisations were sent. `public_table` chooses whether (and how) an
    anonymised weighing table is shown to everyone."""

    class PublicTable(models.TextChoices):
        NONE = "", _("No public table")
        NUMBERED = "numbered", _("Anonymised: “Statement 1, 2, …”")
        BY_KIND = "by_kind", _("Anonymised: by kind of organisation")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    version = models.PositiveIntegerField(_("version"))
    public_table = models.CharField(
        _("public weighing table"),
        max_length=16,
        choices=PublicTable.choices,
        blank=True,
        default=PublicTable.NONE,
    )
    content = models.JSONField(_("content"), default=dict)
    # What can still change after a consultation is closed, as published: the number of
    # points, the count of their changes (`Consultation.weighing_changes`) and the revised
    # draft (see `weighing.changed_since_publication`), so that the weighing table tells a
    # change without reading `content`, which holds every statement.
    summary = models.JSONField(
        _("points and revised draft at publication"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["consultation", "-version"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="one_publication_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.consultation} v{self.version}"


class ResultNotice(models.Model):
    """The e-mail telling one contact person that a result is published: one per
    publication, organisation and person, so nobody is told twice."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("published result"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
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
        verbose_name = _("notice of a published result")
        verbose_name_plural = _("notices of published results")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "organisation", "person"], name="one_result_notice"
            ),
        ]

    def __str__(self):
        return f"{self.publication} – {self.person}"
