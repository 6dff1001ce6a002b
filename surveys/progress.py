"""Reads for the coordinators' progress matrix: one row per audience organisation, one cell
per section of the current version, plus status, last activity, deadline and reminders.

The whole matrix takes a fixed number of queries whatever the number of organisations:
everything is fetched survey-wide and put together in memory.

A cell counts the *visible* questions of its section (conditions evaluated on the
organisation's answers, as the respondent sees them) and how many of those are answered;
required and optional questions count alike. A section whose questions are all hidden
counts as complete.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from participation.models import Membership, Organisation

from .answer_types import is_answered, visible_in_order
from .models import Answer, Question, Response, Section, Survey, SurveyReminder

COMPLETE, PARTLY, EMPTY = "complete", "partly", "empty"
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"


@dataclass
class Cell:
    section: Section
    answered: int
    total: int

    @property
    def state(self):
        if self.answered >= self.total:
            return COMPLETE
        return PARTLY if self.answered else EMPTY


@dataclass
class Row:
    organisation: Organisation
    response: Response | None
    cells: list[Cell]
    deadline: datetime.date | None
    has_contact: bool
    last_reminder: SurveyReminder | None = None

    @property
    def status(self):
        """Submitted, in progress once anything was saved, otherwise not started (opening
        the response, or a coordinator extending its deadline, starts nothing)."""
        response = self.response
        if response is None:
            return NOT_STARTED
        if response.status == Response.Status.SUBMITTED:
            return SUBMITTED
        return IN_PROGRESS if response.last_activity_at else NOT_STARTED

    @property
    def last_activity(self):
        return self.response.last_activity_at if self.response else None

    @property
    def is_extended(self):
        return bool(self.response and self.response.deadline_extended_to)

    @property
    def is_overdue(self):
        return (
            self.status != SUBMITTED
            and self.deadline is not None
            and timezone.localdate() > self.deadline
        )


@dataclass
class Progress:
    survey: Survey
    sections: list[Section]
    rows: list[Row]
    reminders: list[SurveyReminder]
    counts: dict = field(default_factory=dict)


def _cells(sections, questions, answers):
    counts = {section.pk: [0, 0] for section in sections}
    for question in visible_in_order(questions, answers):
        answered_total = counts[question.section_id]
        answered_total[1] += 1
        if is_answered(question, answers.get(question.key)):
            answered_total[0] += 1
    return [Cell(section, *counts[section.pk]) for section in sections]


def survey_progress(survey: Survey) -> Progress:
    """The matrix for one survey (see the module's docstring for the counting rule)."""
    version = survey.current_version
    sections, questions = [], []
    values = {}
    if version is not None:
        sections = list(version.sections.all())
        questions = list(
            Question.objects.filter(section__version=version).order_by(
                "section__position", "position", "pk"
            )
        )
        by_id = {question.pk: question for question in questions}
        answer_rows = Answer.objects.filter(
            response__survey=survey, question__section__version=version
        ).values_list("response_id", "question_id", "value")
        for response_id, question_id, value in answer_rows:
            values.setdefault(response_id, {})[by_id[question_id].key] = value

    organisations = list(survey.audience.order_by("name", "pk"))
    responses = {r.organisation_id: r for r in Response.objects.filter(survey=survey)}
    with_contact = set(
        Membership.objects.current()
        .filter(is_contact=True, organisation__in=survey.audience.all())
        .exclude(person__email="")
        .order_by()
        .values_list("organisation_id", flat=True)
    )
    reminders = list(
        SurveyReminder.objects.filter(survey=survey).select_related(
            "organisation", "person", "requested_by__person", "mail"
        )
    )
    last_reminders = {}
    for reminder in reminders:  # newest first
        last_reminders.setdefault(reminder.organisation_id, reminder)

    rows = []
    for organisation in organisations:
        response = responses.get(organisation.pk)
        answers = values.get(response.pk, {}) if response else {}
        rows.append(
            Row(
                organisation=organisation,
                response=response,
                cells=_cells(sections, questions, answers),
                deadline=(response and response.deadline_extended_to) or survey.deadline,
                has_contact=organisation.pk in with_contact,
                last_reminder=last_reminders.get(organisation.pk),
            )
        )
    counts = {status: 0 for status in (NOT_STARTED, IN_PROGRESS, SUBMITTED)}
    for row in rows:
        counts[row.status] += 1
    return Progress(survey, sections, rows, reminders, counts)


# --- states of the audience, as the progress page filters them ---------------------------------

OPEN, OVERDUE = "open", "overdue"
STATES = (OPEN, SUBMITTED, OVERDUE)


def row_in_state(row: Row, state: str) -> bool:
    """`open`: not submitted; `submitted`; `overdue`: not submitted and past its own deadline
    (the survey's, or the organisation's extension). The home page counts by the same rule
    (`audience_counts`)."""
    if state == OPEN:
        return row.status != SUBMITTED
    if state == SUBMITTED:
        return row.status == SUBMITTED
    if state == OVERDUE:
        return row.is_overdue
    return True


def only_state(progress: Progress, state: str) -> Progress:
    """The matrix with only the rows in `state` (all for an unknown state); the counts stay
    those of the whole audience."""
    rows = [row for row in progress.rows if row_in_state(row, state)]
    return Progress(progress.survey, progress.sections, rows, progress.reminders, progress.counts)


def audience_counts(surveys, *, today) -> dict[int, dict]:
    """Per survey id: how many organisations are asked, have submitted, are open (not
    submitted) and overdue, by the rule of `row_in_state`. One query for any number of
    surveys and organisations."""
    response = Response.objects.filter(
        survey=OuterRef("survey_id"), organisation=OuterRef("organisation_id")
    )
    not_submitted = Q(response_status__isnull=True) | ~Q(response_status=Response.Status.SUBMITTED)
    rows = (
        Survey.audience.through.objects.filter(survey__in=surveys)
        .annotate(
            response_status=Subquery(response.values("status")[:1]),
            own_deadline=Coalesce(
                Subquery(response.values("deadline_extended_to")[:1]), F("survey__deadline")
            ),
        )
        .order_by()
        .values("survey_id")
        .annotate(
            asked=Count("pk"),
            submitted=Count("pk", filter=Q(response_status=Response.Status.SUBMITTED)),
            open=Count("pk", filter=not_submitted),
            overdue=Count("pk", filter=not_submitted & Q(own_deadline__lt=today)),
        )
    )
    return {row.pop("survey_id"): row for row in rows}
