"""An indicator's results (the approved values across rounds and spaces, with a chart) for
every signed-in person, and the files of approved values for the county's coordinators:
KomMonitor's CSV and GeoJSON per indicator, XLSX per round. Who sees what: `results`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from participation.selectors import is_coordinator

from .. import results, selectors, value_exports


@login_required
@require_GET
def indicator_results(request, pk):
    indicator = selectors.get_indicator_for_user(request.user, pk)
    shown = results.indicator_results(indicator)
    return render(
        request,
        "monitoring/indicator_results.html",
        {
            "indicator": indicator,
            "results": shown,
            "drawing": results.chart(shown),
            "chart_id": f"chart-{indicator.pk}",
            "may_export": is_coordinator(request.user),
        },
    )


@login_required
@require_GET
def indicator_export(request, pk, file_format):
    indicator = selectors.get_indicator_for_export(request.user, pk)
    return value_exports.kommonitor_download(request, indicator, file_format=file_format)


@login_required
@require_GET
def round_export(request, pk):
    round_ = selectors.get_round_for_export(request.user, pk)
    return value_exports.xlsx_download(request, round_)
