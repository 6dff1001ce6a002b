"""The committee report's pages: pick a period, watch the build, download the files. For
coordinators only; anyone else, and any wrong id, gets 404."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from participation.views.common import require_coordinator

from . import committee, report_jobs, selectors
from .forms import ReportPeriodForm

RECENT = 10


def default_period(today):
    """From the first of January to today: the work of the year so far."""
    return datetime.date(today.year, 1, 1), today


@login_required
@require_http_methods(["GET", "POST"])
def committee_report(request):
    require_coordinator(request.user)
    if request.method == "POST":
        form = ReportPeriodForm(request.POST)
        if form.is_valid():
            report = report_jobs.request_report(
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                actor=request.user,
            )
            return redirect(report)
        status = 400
    else:
        start, end = default_period(timezone.localdate())
        form = ReportPeriodForm(initial={"start": start, "end": end})
        status = 200
    context = {"form": form, "reports": selectors.visible_reports(request.user)[:RECENT]}
    return render(request, "overview/committee_report.html", context, status=status)


@login_required
def committee_report_detail(request, pk):
    report = selectors.get_report_for_user(request.user, pk)
    context = {"report": report, "formats": committee.FORMATS}
    if request.htmx:
        return render(request, "overview/_committee_report_progress.html", context)
    return render(request, "overview/committee_report_detail.html", context)


@login_required
def committee_report_download(request, pk, file_format):
    report = selectors.get_report_for_user(request.user, pk)
    return selectors.report_download(report, file_format)
