"""Surveys answered by organisations as one: a survey has versions (a published version is
frozen), sections and questions with stable keys; each organisation has one response whose
answers keep their history."""

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


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.ManyToManyField(
        Organisation,
        verbose_name=_("audience"),
        blank=True,
        related_name="surveys",
        help_text=_("The organisations asked to respond, e.g. all municipalities."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    results_published_at = models.DateTimeField(
        _("results published to participants"),
        null=True,
        blank=True,
        help_text=_(
            "Once the survey is closed: the organisations that submitted their response see "
            "everyone's submitted answers."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def current_version(self):
        """The published version respondents answer (None before the first publication)."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()

    @property
    def draft_version(self):
        return self.versions.filter(published_at__isnull=True).order_by("-number").first()


class SurveyVersion(models.Model):
    """One frozen (once published) set of sections and questions."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique"),
        ]

    def __str__(self):
        return f"{self.survey} v{self.number}"

    @property
    def is_frozen(self):
        return self.published_at is not None


class Section(models.Model):
    version = models.ForeignKey(
        SurveyVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale")
    DATE = "date", _("Date")
    MATRIX = "matrix", _("Matrix")
    TABLE = "table", _("Repeating table")
    FILE = "file", _("File upload")


class Question(models.Model):
    """A question of one version. `key` is stable across versions: answers follow it.

    `config` by kind (all optional unless said):
    - short_text / long_text: {"max_length": int}
    - integer / decimal: {"min": num, "max": num, "unit": str, "decimal_places": int}
    - single_choice / multiple_choice: {"choices": [{"value": str, "label": str}, ...]
      (required), "allow_other": bool}; multiple_choice also {"min_selected", "max_selected"}
    - scale: {"min": int (default 1), "max": int (default 5), "min_label", "max_label"}
    - matrix: {"rows": [{"value", "label"}], "columns": [{"value", "label"}]} (both required)
    - table: {"columns": [{"key", "label", "kind": short_text|integer|decimal|date,
      "required": bool}] (required), "max_rows": int}
    - file: {"max_size_mb": int, "types": ["pdf", "xlsx", "csv", "docx", "odt"]}

    `condition` (optional): {"question": <key of an earlier question>, "equals": <value>}
    shows the question only when that answer equals the value (for multiple choice: contains it).
    """

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable across versions: answers follow the key.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    condition = models.JSONField(_("condition"), null=True, blank=True)

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class Response(OrganisationResponse):
    """An organisation's one response to a survey, filled in by any of its members."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    version = models.ForeignKey(
        SurveyVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+"
    )

    extension_too_early = _("An extension must end after the survey's deadline.")

    class Meta:
        ordering = ["survey", "organisation__name"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="one_response_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.survey} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("surveys:response", args=[self.pk])

    @property
    def default_deadline(self):
        return self.survey.deadline

    def check_editable(self, *, today=None):
        survey = self.survey
        today = today or timezone.localdate()
        if survey.status == Survey.Status.CLOSED:
            raise ValidationError(_("This survey is closed; its answers can no longer be changed."))
        if self.status == Response.Status.SUBMITTED:
            raise ValidationError(
                _("This response has been submitted; a coordinator can reopen it.")
            )
        if survey.status != Survey.Status.PUBLISHED:
            raise ValidationError(_("This survey is not open for answers."))
        if survey.opens_on and today < survey.opens_on:
            raise ValidationError(
                _("This survey opens on %s.")
                % formats.date_format(survey.opens_on, "SHORT_DATE_FORMAT")
            )
        if self.is_past_deadline(today):
            raise ValidationError(
                _("The deadline (%s) has passed.")
                % formats.date_format(self.effective_deadline, "SHORT_DATE_FORMAT")
            )


class Answer(RevisedAnswer):
    """The current answer to one question (see `RevisedAnswer` for the revision)."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.question.key}"


class AnswerChange(AnswerHistoryEntry):
    """History of an answer: who changed it when, from what to what."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        ordering = ["answer", "-revision"]
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")

    def __str__(self):
        return f"{self.answer} r{self.revision}"


class SurveyReminder(ContactReminder):
    """One reminder to one contact person of an organisation that had not submitted
    (see `ContactReminder`): one per survey, organisation, person and day."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="survey_reminders",
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="survey_reminders",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey reminder")
        verbose_name_plural = _("survey reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation", "person", "sent_on"],
                name="one_survey_reminder_per_person_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.survey} – {self.person} ({self.sent_on})"
