"""Reads for the coordinators' progress matrix: one row per audience organisation, one cell
per section of the current version, plus status, last activity, deadline and reminders.

The matrix takes a fixed number of queries whatever the number of organisations: the
counts by status are counted in the database, the organisations shown (a page of them, of
one state) fetched with their responses, answers, contacts and last reminders at once.

A cell counts the *visible* questions of its section (conditions evaluated on the
organisation's answers, as the respondent sees them) and how many of those are answered;
required and optional questions count alike. A section whose questions are all hidden
counts as complete.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, DateField, F, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from participation.models import Membership, Organisation

from .answer_types import is_answered, visible_in_order
from .models import Answer, Question, Response, Section, Survey, SurveyReminder

COMPLETE, PARTLY, EMPTY = "complete", "partly", "empty"
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
OPEN, OVERDUE = "open", "overdue"
STATES = (OPEN, SUBMITTED, OVERDUE)
PAGE_SIZE = 100  # organisations per page of the matrix
REMINDER_LOG_SIZE = 100  # the newest reminders the page lists


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
    """The matrix, or one page of it: `rows` of the organisations `shown` (of a state, or
    all), `counts` of the whole audience by status, `asked` and `overdue` included."""

    survey: Survey
    sections: list[Section]
    rows: list[Row]
    reminders: list[SurveyReminder]
    counts: dict = field(default_factory=dict)
    page: Page | None = None
    more_reminders: bool = False

    @property
    def shown(self):
        return self.page.paginator.count if self.page else len(self.rows)


def _cells(sections, questions, answers):
    counts = {section.pk: [0, 0] for section in sections}
    for question in visible_in_order(questions, answers):
        answered_total = counts[question.section_id]
        answered_total[1] += 1
        if is_answered(question, answers.get(question.key)):
            answered_total[0] += 1
    return [Cell(section, *counts[section.pk]) for section in sections]


def _audience(survey: Survey):
    """The audience beside its response to the survey, if any (one join)."""
    deadline = Value(survey.deadline, output_field=DateField())
    return survey.audience.annotate(
        this=FilteredRelation("survey_responses", condition=Q(survey_responses__survey=survey)),
        own_deadline=Coalesce(F("this__deadline_extended_to"), deadline),
    )


def _state_filters(*, today):
    """The rule of `row_in_state` and `Row.status` as conditions on `_audience`."""
    submitted = Q(this__status=Response.Status.SUBMITTED)
    started = Q(this__last_activity_at__isnull=False)
    return {
        SUBMITTED: submitted,
        IN_PROGRESS: ~submitted & started & Q(this__isnull=False),
        NOT_STARTED: Q(this__isnull=True) | (~submitted & ~started),
        OPEN: Q(this__isnull=True) | ~submitted,
        OVERDUE: (Q(this__isnull=True) | ~submitted) & Q(own_deadline__lt=today),
    }


def page_of(survey: Survey, organisation) -> int:
    """The page of the whole matrix (no state) that shows `organisation`."""
    before = survey.audience.filter(
        Q(name__lt=organisation.name) | Q(name=organisation.name, pk__lt=organisation.pk)
    )
    return before.count() // PAGE_SIZE + 1


def survey_progress(survey: Survey, *, state="", page=None) -> Progress:
    """The matrix for one survey (see the module's docstring for the counting rule): the
    organisations in `state` (one of STATES; all for anything else), `page` (a number) of
    them by PAGE_SIZE, or all without one. A fixed number of queries: the counts of the
    whole audience are counted in the database, and only the rows shown are built."""
    today = timezone.localdate()
    filters = _state_filters(today=today)
    audience = _audience(survey)
    counts = audience.aggregate(
        asked=Count("pk"),
        **{name: Count("pk", filter=condition) for name, condition in filters.items()},
    )
    shown = audience.filter(filters[state]) if state in STATES else audience
    shown = shown.order_by("name", "pk")
    if page is None:
        page_shown, organisations = None, list(shown)
    else:
        page_shown = Paginator(shown, PAGE_SIZE).get_page(page)
        organisations = list(page_shown.object_list)
    ids = [organisation.pk for organisation in organisations]

    version = survey.current_version
    sections, questions = [], []
    responses = {
        response.organisation_id: response
        for response in Response.objects.filter(survey=survey, organisation__in=ids)
    }
    values = {}
    if version is not None:
        sections = list(version.sections.all())
        questions = list(
            Question.objects.filter(section__version=version).order_by(
                "section__position", "position", "pk"
            )
        )
        keys = {question.pk: question.key for question in questions}
        answer_rows = Answer.objects.filter(
            response__in=[response.pk for response in responses.values()],
            question__section__version=version,
        ).values_list("response_id", "question_id", "value")
        for response_id, question_id, value in answer_rows:
            values.setdefault(response_id, {})[keys[question_id]] = value

    with_contact = set(
        Membership.objects.current()
        .filter(is_contact=True, organisation__in=ids)
        .exclude(person__email="")
        .order_by()
        .values_list("organisation_id", flat=True)
    )
    last_reminders = {}
    for reminder in SurveyReminder.objects.filter(survey=survey, organisation__in=ids):
        last_reminders.setdefault(reminder.organisation_id, reminder)  # newest first
    reminders = list(
        SurveyReminder.objects.filter(survey=survey).select_related(
            "organisation", "person", "requested_by__person", "mail"
        )[: REMINDER_LOG_SIZE + 1]
    )

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
    return Progress(
        survey,
        sections,
        rows,
        reminders[:REMINDER_LOG_SIZE],
        counts,
        page=page_shown,
        more_reminders=len(reminders) > REMINDER_LOG_SIZE,
    )


# --- states of the audience, as the progress page filters them ---------------------------------


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
    """The unpaged matrix with only the rows in `state` (all for an unknown state); the
    counts stay those of the whole audience. `survey_progress(survey, state=…)` asks the
    database instead."""
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
