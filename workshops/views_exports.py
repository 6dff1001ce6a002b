"""Participants and replies as CSV or XLSX, and the results of the live session as CSV, for
coordinators only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from participation import spreadsheets

from . import exports
from .views import coordinator_workshop


@login_required
@require_GET
def export_participants(request, pk, file_format):
    workshop = coordinator_workshop(request, pk)
    if file_format not in exports.FORMATS:
        raise Http404
    table = exports.rows(workshop)
    if file_format == "csv":
        response = HttpResponse(
            spreadsheets.csv_bytes(table), content_type=spreadsheets.CSV_CONTENT_TYPE
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(table, sheet_title=_("Participants")),
            content_type=spreadsheets.XLSX_CONTENT_TYPE,
        )
    name = exports.filename(workshop, file_format)
    response["Content-Disposition"] = content_disposition_header(True, name)
    # Names, needs and diets of officials: no cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def export_live_results(request, pk):
    return live_results_download(coordinator_workshop(request, pk))


def live_results_download(workshop) -> HttpResponse:
    """The live session's results as a CSV download; the API sends the same."""
    table = exports.live_result_rows(workshop)
    response = HttpResponse(
        spreadsheets.csv_bytes(table), content_type=spreadsheets.CSV_CONTENT_TYPE
    )
    name = exports.filename(workshop, "csv", label=_("live results"))
    response["Content-Disposition"] = content_disposition_header(True, name)
    # Display names and hidden entries: no cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
