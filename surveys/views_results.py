"""Results: one question compared across all organisations (with a chart and its data
table), for coordinators and, once published, for the organisations that took part (see
`results`); exports of all responses as CSV or XLSX for coordinators."""

import tempfile

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participation import charts, spreadsheets
from participation.selectors import is_coordinator

from . import exports, results

FILE_BLOCK = 64 * 1024


@login_required
@require_GET
def compare_answers(request, pk):
    """`?question=<key>`: every organisation of the audience beside its answer."""
    survey = results.get_results_survey_for_user(request.user, pk)
    full = is_coordinator(request.user)
    questions = results.current_questions(survey.current_version)
    context = {"survey": survey, "questions": questions, "layouts": exports.LAYOUTS, "full": full}
    if questions:
        shown = results.question_results(
            survey, questions, request.GET.get("question"), published=not full
        )
        context |= {
            "question": shown.question,
            "rows": shown.rows,
            "answered": shown.answered,
            "chart": shown.chart,
            "drawing": charts.bar_chart(shown.chart.bars) if shown.chart else None,
            "chart_id": f"chart-{shown.question.key}",
        }
    return render(request, "surveys/results/compare.html", context)


def _streamed(request, chunks):
    """What a streaming response should iterate. Under ASGI, Django reads a synchronous
    iterator into one list before sending anything; an asynchronous one that runs each step
    in the request's thread (where its database connection lives) streams for real."""
    if not isinstance(request, ASGIRequest):
        return chunks
    step = sync_to_async(next, thread_sensitive=True)
    close = sync_to_async(getattr(chunks, "close", lambda: None), thread_sensitive=True)

    async def stream():
        try:
            while (chunk := await step(chunks, None)) is not None:
                yield chunk
        finally:
            await close()

    return stream()


def _private(response, name):
    response["Content-Disposition"] = content_disposition_header(True, name)
    # Names of officials and unpublished answers: no cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def export_responses(request, pk, file_format):
    """All responses as `.csv` or `.xlsx`, `?layout=wide` (default) or `long`."""
    survey = results.get_results_survey_for_user(request.user, pk, full=True)
    layout = request.GET.get("layout", "wide")
    if layout not in exports.LAYOUTS:
        raise Http404
    return export_file(request, survey, layout=layout, file_format=file_format)


def export_file(request, survey, *, layout, file_format):
    """The export of `survey` as a streamed download; the API sends the same. `request` is
    Django's, for it tells whether the server runs under ASGI."""
    rows = exports.rows_for(survey, layout)
    name = exports.filename(survey, layout, file_format)
    if file_format == "csv":
        chunks = spreadsheets.csv_chunks(rows)
        response = StreamingHttpResponse(
            _streamed(request, chunks), content_type="text/csv; charset=utf-8"
        )
        return _private(response, name)
    # Deleted when closed; the response closes it once sent, so no `with` here.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        spreadsheets.write_xlsx(rows, file, sheet_title=_("Responses"))
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    if isinstance(request, ASGIRequest):
        blocks = iter(lambda: file.read(FILE_BLOCK), b"")
        response.streaming_content = _streamed(request, blocks)
    return _private(response, name)
