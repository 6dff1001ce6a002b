"""Reads for a survey's results: one question's answers across all organisations of the
audience, and the counts behind its chart.

Coordinators read everything: every organisation in any state, who changed what, the files,
the exports. Once a closed survey's results are published, the members of each organisation
of the audience that submitted its response read them too, as published: the submitted
answers of the organisations that submitted, with their names (the county publishes such
comparisons among its municipalities), but no files, no names of officials and no exports.
`get_results_survey_for_user` is the one place that decides who reads which survey."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from participation.charts import Bar
from participation.models import Organisation
from participation.selectors import get_or_404, is_coordinator, own_organisation_ids

from . import selectors
from .answer_types import display_value, has_value, is_answered, visible_in_order
from .models import Answer, Question, QuestionKind, Response, Survey, SurveyVersion

CHART_KINDS = {
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
    QuestionKind.INTEGER,
    QuestionKind.DECIMAL,
}
NUMBER_KINDS = {QuestionKind.INTEGER, QuestionKind.DECIMAL}
# Up to this many different numbers get a bar each; more are grouped into HISTOGRAM_BINS.
MAX_VALUE_BARS = 8
HISTOGRAM_BINS = 6
PAGE_SIZE = 100  # organisations per page of the comparison


def published_results_surveys(user):
    """Closed surveys whose results are published to an organisation of the user: one of
    the audience that submitted its response. Taking part is what opens the others'
    answers; the response must still be submitted (a reopened one is not)."""
    if not user.is_authenticated:
        return Survey.objects.none()
    took_part = Response.objects.filter(
        status=Response.Status.SUBMITTED,
        organisation__in=own_organisation_ids(user),
        organisation__surveys=F("survey"),
    )
    return Survey.objects.filter(
        status=Survey.Status.CLOSED,
        results_published_at__isnull=False,
        pk__in=took_part.values("survey_id"),
    )


def get_results_survey_for_user(user, pk, *, full=False) -> Survey:
    """The survey whose results the user may read, else 404. Coordinators read them whole
    (`full=True` asks for that: exports, files); members of a participating organisation
    read published results as `comparison(..., published=True)` shows them."""
    if is_coordinator(user):
        return selectors.get_survey_for_user(user, pk)
    if full:
        raise Http404
    return get_or_404(published_results_surveys(user), pk)


def can_read_results(user, survey: Survey) -> bool:
    return is_coordinator(user) or published_results_surveys(user).filter(pk=survey.pk).exists()


def current_questions(version: SurveyVersion | None) -> list[Question]:
    """The questions of a version in the order respondents see them."""
    if version is None:
        return []
    return list(
        Question.objects.filter(section__version=version)
        .select_related("section")
        .order_by("section__position", "section__pk", "position", "pk")
    )


# --- comparison --------------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    """One organisation of the audience with its response (if any) and its answer (if any).
    `value` and `display` are the answer as the reader may see it."""

    organisation: Organisation
    response: Response | None
    answer: Answer | None
    display: str = ""
    value: object = None

    @property
    def status_label(self):
        return self.response.get_status_display() if self.response else _("Not started")

    @property
    def answered(self):
        return bool(self.display)


def comparison_audience(survey: Survey, *, published=False):
    """The organisations the comparison lists, by name: the whole audience, or with
    `published=True` those of it that submitted their response."""
    organisations = survey.audience.order_by("name", "pk")
    if published:
        submitted = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        organisations = organisations.filter(pk__in=submitted.values("organisation_id"))
    return organisations


def comparison(
    survey: Survey, question: Question, *, published=False, organisations=None
) -> list[ComparisonRow]:
    """Organisations of the audience beside their answers to `question`: `organisations`
    (a page of `comparison_audience`), or all of them, by name. Three queries whatever the
    number of organisations.

    `published=True`: what participants see once results are published. Only organisations
    whose response is submitted, only answers their response showed (an answer left behind
    by a question its condition hides is not part of it), and of a file only that there is
    one: files stay with their organisation. Two more queries for a question with a
    condition."""
    responses = Response.objects.filter(survey=survey)
    answers = Answer.objects.filter(question=question, response__survey=survey)
    if organisations is None:
        organisations = comparison_audience(survey, published=published)
        responses = responses.filter(organisation__in=organisations.values("pk"))
    else:
        ids = [organisation.pk for organisation in organisations]
        responses = responses.filter(organisation__in=ids)
        answers = answers.filter(response__organisation__in=ids)
    if published:
        responses = responses.filter(status=Response.Status.SUBMITTED)
        answers = answers.filter(response__status=Response.Status.SUBMITTED)
    else:
        answers = answers.select_related("updated_by__person")
    responses = {response.organisation_id: response for response in responses}
    answers = {answer.response_id: answer for answer in answers}
    hidden = _hidden_by_condition(question, list(answers)) if published else set()
    rows = []
    for organisation in organisations:
        response = responses.get(organisation.pk)
        if published and response is None:
            continue
        answer = answers.get(response.pk) if response else None
        if answer is not None and answer.response_id in hidden:
            answer = None
        row = ComparisonRow(organisation, response, answer)
        row.value = answer.value if answer else None
        row.display = display_value(question, row.value)
        if published and question.kind == QuestionKind.FILE and row.display:
            row.value, row.display = None, _("File provided")
        rows.append(row)
    return rows


def answer_values(survey: Survey, question: Question, *, published=False) -> list:
    """The stored values of all answers to `question` that the comparison shows (of the
    audience; with `published=True` as `comparison` shows them), for its chart and its
    count of answers across every page. One query (three for a published question with a
    condition), and values only: no rows, no model instances."""
    answers = Answer.objects.filter(
        question=question,
        response__survey=survey,
        response__organisation__in=survey.audience.values("pk"),
    )
    if published:
        answers = answers.filter(response__status=Response.Status.SUBMITTED)
    stored = list(answers.values_list("response_id", "value"))
    if not published:
        return [value for _response_id, value in stored]
    hidden = _hidden_by_condition(question, [response_id for response_id, _value in stored])
    return [value for response_id, value in stored if response_id not in hidden]


def _hidden_by_condition(question: Question, response_ids) -> set[int]:
    """Those of the responses in which `question` is hidden by its condition, judged as
    the response page judges it (`services.visible_questions`), along the chain of
    questions the condition depends on."""
    if not question.condition or not response_ids:
        return set()
    by_key = {
        earlier.key: earlier
        for earlier in Question.objects.filter(section__version=question.section.version_id)
    }
    chain = []
    key = question.condition.get("question")
    while key in by_key and by_key[key] not in chain:
        chain.insert(0, by_key[key])
        key = (by_key[key].condition or {}).get("question")
    stored = {
        (response_id, question_id): value
        for response_id, question_id, value in Answer.objects.filter(
            response__in=response_ids, question__in=chain
        ).values_list("response_id", "question_id", "value")
    }
    hidden = set()
    for response_id in response_ids:
        answers = {
            earlier.key: stored[response_id, earlier.pk]
            for earlier in chain
            if (response_id, earlier.pk) in stored
        }
        if question not in visible_in_order([*chain, question], answers):
            hidden.add(response_id)
    return hidden


# --- chart data ----------------------------------------------------------------------------------


@dataclass
class ChartData:
    """What a question's chart and its data table show: one bar per option (or value, or
    range of values), how many organisations answered out of how many were asked, and for
    numbers the lowest, median and highest value."""

    bars: list[Bar]
    answered: int
    asked: int
    value_heading: str
    summary: list[tuple[str, str]] = field(default_factory=list)
    several_per_answer: bool = False


def _labels(options):
    return {option["value"]: option.get("label") or option["value"] for option in options}


def _choice_bars(config, values):
    labels = _labels(config.get("choices", []))
    counts, others = Counter(), 0
    for value in values:
        chosen = [value] if isinstance(value, str) else value
        if isinstance(value, dict):
            chosen = value.get("choices", [])
            others += bool(value.get("other"))
        counts.update(set(chosen))
    bars = [Bar(label, counts[choice]) for choice, label in labels.items()]
    bars += [Bar(choice, count) for choice, count in counts.items() if choice not in labels]
    if config.get("allow_other") or others:
        bars.append(Bar(_("Other"), others))
    return bars


def _number_text(number):
    return formats.number_format(number)


def _integer_bins(low, high, numbers):
    width = math.ceil((high - low + 1) / HISTOGRAM_BINS)
    counts = Counter((number - low) // width for number in numbers)
    bars = []
    for index in range(int((high - low) // width) + 1):
        start = low + index * width
        end = min(start + width - 1, high)
        label = (
            _number_text(start) if start == end else f"{_number_text(start)}–{_number_text(end)}"
        )
        bars.append(Bar(label, counts[index]))
    return bars


def _decimal_bins(low, high, numbers, places):
    # The width is rounded up to the answers' precision, so every edge shown is exact and no
    # answer lands in a range whose label would not contain it.
    quantum = Decimal(1).scaleb(-places)
    width = (((high - low) / HISTOGRAM_BINS) / quantum).to_integral_value(rounding="ROUND_CEILING")
    width = max(width, 1) * quantum
    last = min(int((high - low) // width), HISTOGRAM_BINS - 1)
    counts = Counter(min(int((number - low) // width), last) for number in numbers)
    bars = []
    for index in range(last + 1):
        start = low + index * width
        if index == last:
            high_text = _number_text(high)
            label = _("%(low)s to %(high)s") % {"low": _number_text(start), "high": high_text}
        else:
            end = _number_text(start + width)
            label = _("%(low)s to under %(high)s") % {"low": _number_text(start), "high": end}
        bars.append(Bar(label, counts[index]))
    return bars


def _number_bars(question, numbers):
    distinct = sorted(set(numbers))
    if len(distinct) <= MAX_VALUE_BARS:
        counts = Counter(numbers)
        return [Bar(_number_text(number), counts[number]) for number in distinct]
    low, high = distinct[0], distinct[-1]
    if question.kind == QuestionKind.INTEGER:
        return _integer_bins(low, high, numbers)
    places = int((question.config or {}).get("decimal_places", 2))
    return _decimal_bins(low, high, numbers, places)


def chart_data(question: Question, values, *, asked: int) -> ChartData | None:
    """The counts for a chart of `question` from the stored values of the organisations'
    answers (empty ones are skipped); None for kinds that have no chart."""
    if question.kind not in CHART_KINDS:
        return None
    config = question.config or {}
    values = [value for value in values if is_answered(question, value)]
    chart = ChartData(bars=[], answered=len(values), asked=asked, value_heading=_("Answer"))
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        chart.bars = _choice_bars(config, values)
        chart.several_per_answer = question.kind == QuestionKind.MULTIPLE_CHOICE
    elif question.kind == QuestionKind.YES_NO:
        yes = sum(1 for value in values if value is True)
        chart.bars = [Bar(_("Yes"), yes), Bar(_("No"), len(values) - yes)]
    elif question.kind == QuestionKind.SCALE:
        low, high = int(config.get("min", 1)), int(config.get("max", 5))
        counts = Counter(values)
        chart.bars = [
            Bar(display_value(question, point), counts[point]) for point in range(low, high + 1)
        ]
    else:
        numbers = [Decimal(str(value)) for value in values]
        if config.get("unit"):
            chart.value_heading = _("Answer (%(unit)s)") % {"unit": config["unit"]}
        chart.bars = _number_bars(question, numbers)
        if numbers:
            chart.summary = [
                (_("Lowest"), display_value(question, min(numbers))),
                (_("Median"), display_value(question, statistics.median(numbers))),
                (_("Highest"), display_value(question, max(numbers))),
            ]
    return chart


# --- one question's results --------------------------------------------------------------------


@dataclass
class QuestionResults:
    """What the comparison page and the API show for one question: `rows` of one page of
    organisations (all of them without paging), `asked` and `answered` of all, and the
    chart of all answers."""

    question: Question
    rows: list[ComparisonRow]
    chart: ChartData | None
    asked: int
    answered: int
    page: Page | None = None


def question_results(
    survey: Survey,
    questions: list[Question],
    key: str | None,
    *,
    published: bool,
    page: str | int | None = None,
    paginate=None,
) -> QuestionResults:
    """The comparison and chart of the question with `key` among `questions` (the first
    one without a key); 404 for a key that is not there. `published` as for `comparison`.
    `page` (a number; the first for anything else) shows that page of PAGE_SIZE
    organisations, so the page stays small for a national audience; `paginate` (for the
    API) takes the audience, ordered by name, and gives back (the organisations of the
    page, how many there are in all); with neither every organisation is shown. The chart
    and the counts are always of all organisations."""
    key = key or questions[0].key
    question = next((q for q in questions if q.key == key), None)
    if question is None:
        raise Http404
    values = answer_values(survey, question, published=published)
    answered = sum(1 for value in values if has_value(value))
    shown = None
    if page is not None:
        audience = comparison_audience(survey, published=published)
        shown = Paginator(audience, PAGE_SIZE).get_page(page)
        rows = comparison(survey, question, published=published, organisations=shown)
        asked = shown.paginator.count
    elif paginate is not None:
        organisations, asked = paginate(comparison_audience(survey, published=published))
        rows = comparison(survey, question, published=published, organisations=organisations)
    else:
        rows = comparison(survey, question, published=published)
        asked = len(rows)
    chart = chart_data(question, values, asked=asked)
    return QuestionResults(question, rows, chart, asked, answered, shown)
