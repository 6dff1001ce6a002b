"""Reads for a survey's results: one question's answers across all organisations of the
audience, and the counts behind its chart. Coordinators only for now; once results are
published to participants, `get_results_survey_for_user` is the one place to widen."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from participation.models import Organisation
from participation.selectors import is_coordinator

from . import selectors
from .answer_types import display_value, is_answered
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


def get_results_survey_for_user(user, pk) -> Survey:
    """The survey whose results (comparison, charts, exports) the user may read; 404 for
    anyone but a coordinator, since answers of one municipality are not another's to see."""
    if not is_coordinator(user):
        raise Http404
    return selectors.get_survey_for_user(user, pk)


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
    """One organisation of the audience with its response (if any) and its answer (if any)."""

    organisation: Organisation
    response: Response | None
    answer: Answer | None
    display: str = ""

    @property
    def status_label(self):
        return self.response.get_status_display() if self.response else _("Not started")

    @property
    def answered(self):
        return bool(self.display)


def comparison(survey: Survey, question: Question) -> list[ComparisonRow]:
    """Every organisation of the audience beside its answer to `question`, by name.
    Three queries whatever the number of organisations."""
    organisations = survey.audience.order_by("name", "pk")
    responses = {
        response.organisation_id: response
        for response in Response.objects.filter(survey=survey, organisation__in=organisations)
    }
    answers = {
        answer.response_id: answer
        for answer in Answer.objects.filter(
            question=question, response__survey=survey
        ).select_related("updated_by__person")
    }
    rows = []
    for organisation in organisations:
        response = responses.get(organisation.pk)
        answer = answers.get(response.pk) if response else None
        value = answer.value if answer else None
        rows.append(ComparisonRow(organisation, response, answer, display_value(question, value)))
    return rows


# --- chart data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    count: int


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

    @property
    def highest_count(self):
        return max((bar.count for bar in self.bars), default=0)


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
