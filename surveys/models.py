"""Surveys answered by organisations as one: a survey has versions (a published version is
frozen), sections and questions with stable keys; each organisation has one response whose
answers keep their history."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import Organisation


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


class Response(models.Model):
    """An organisation's one response to a survey, filled in by any of its members."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

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
    def effective_deadline(self):
        return self.deadline_extended_to or self.survey.deadline

    def is_past_deadline(self, today=None):
        deadline = self.effective_deadline
        return deadline is not None and (today or timezone.localdate()) > deadline


class Answer(models.Model):
    """The current answer to one question. `revision` rises with every change, so a save
    based on an older revision is detected as a conflict instead of overwriting."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
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
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.question.key}"


class AnswerChange(models.Model):
    """History of an answer: who changed it when, from what to what."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="changes"
    )
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
        ordering = ["answer", "-revision"]
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")

    def __str__(self):
        return f"{self.answer} r{self.revision}"


class SurveyReminder(models.Model):
    """One reminder to one contact person of an organisation that had not submitted.

    The row is written before the mail is queued, and the database allows one per survey,
    organisation, person and day, whichever kind: a task that runs twice, two coordinators
    clicking at once, or a click after the automatic run on the same day send nothing twice.
    """

    class Kind(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("By a coordinator")

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
