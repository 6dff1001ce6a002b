"""Results: one question compared across all organisations (with a chart and its data
table), for coordinators and, once published, for the organisations that took part (see
`results`); exports of all responses as CSV or XLSX for coordinators."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from participation import charts
from participation.selectors import is_coordinator

from .. import exports, results


@login_required
@require_GET
def compare_answers(request, pk):
    """`?question=<key>`: every organisation of the audience beside its answer, a page of
    them at a time (`&page=<n>`); the chart counts all."""
    survey = results.get_results_survey_for_user(request.user, pk)
    full = is_coordinator(request.user)
    questions = results.current_questions(survey.current_version)
    context = {"survey": survey, "questions": questions, "layouts": exports.LAYOUTS, "full": full}
    if questions:
        shown = results.question_results(
            survey,
            questions,
            request.GET.get("question"),
            published=not full,
            page=request.GET.get("page", 1),
        )
        context |= {
            "question": shown.question,
            "rows": shown.rows,
            "page": shown.page,
            "asked": shown.asked,
            "answered": shown.answered,
            "chart": shown.chart,
            "drawing": charts.bar_chart(shown.chart.bars) if shown.chart else None,
            "chart_id": f"chart-{shown.question.key}",
        }
    return render(request, "surveys/results/compare.html", context)


@login_required
@require_GET
def export_responses(request, pk, file_format):
    """All responses as `.csv` or `.xlsx`, `?layout=wide` (default) or `long`."""
    survey = results.get_results_survey_for_user(request.user, pk, full=True)
    layout = request.GET.get("layout", "wide")
    if layout not in exports.LAYOUTS:
        raise Http404
    return exports.download(request, survey, layout=layout, file_format=file_format)
