"""Participants and replies as CSV or XLSX, and the results of the live session as CSV, for
coordinators only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from .. import exports
from ..access import coordinator_workshop


@login_required
@require_GET
def export_participants(request, pk, file_format):
    workshop = coordinator_workshop(request, pk)
    if file_format not in exports.FORMATS:
        raise Http404
    return exports.participants_download(workshop, file_format)


@login_required
@require_GET
def export_live_results(request, pk):
    return exports.live_results_download(coordinator_workshop(request, pk))
