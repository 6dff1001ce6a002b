"""Download my data for a signed-in person (their account's page; the invitee's side is
`events/data_views.py`, sharing the helpers here), and the records of processing for the
data protection officer (coordinators)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..documents.pdf import PdfUnavailable, render_pdf
from ..downloads import private_download
from ..privacy import exports, records, selectors
from ..retention import PERIODS
from ..spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from .common import require_coordinator

RECENT = 5
ZIP_CONTENT_TYPE = "application/zip"


def _export_context(export, *, status_url, download_url):
    return {
        "export": export,
        "status_url": status_url,
        "download_url": download_url,
        "expired": export.is_expired(),
    }


def export_page(request, export, *, status_url, download_url, back_url):
    context = _export_context(export, status_url=status_url, download_url=download_url)
    if request.htmx:
        return render(request, "participation/privacy/_export_progress.html", context)
    context["back_url"] = back_url
    return render(request, "participation/privacy/export_detail.html", context)


def download(request, export):
    try:
        data = exports.archive_for_download(export, request=request)
    except exports.Expired:
        return render(request, "participation/privacy/expired.html", status=410)
    response = HttpResponse(data, content_type=ZIP_CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return private_download(response, exports.filename(export))


def request_page(request, recent, *, action):
    context = {
        "exports": recent,
        "action": action,
        "kept_days": PERIODS["data_exports"].kept_days,
    }
    return render(request, "participation/privacy/my_data.html", context)


# --- a signed-in person --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    if request.method == "POST":
        export = exports.request_for_user(request.user)
        return redirect("participation:my_data_export", pk=export.pk)
    recent = selectors.exports_of_user(request.user)[:RECENT]
    return request_page(request, recent, action=reverse("participation:my_data"))


@login_required
def my_data_export(request, pk):
    export = selectors.get_data_export_for_user(request.user, pk)
    return export_page(
        request,
        export,
        status_url=reverse("participation:my_data_export", args=[pk]),
        download_url=reverse("participation:my_data_download", args=[pk]),
        back_url=reverse("participation:my_data"),
    )


@login_required
def my_data_download(request, pk):
    return download(request, selectors.get_data_export_for_user(request.user, pk))


# --- records of processing --------------------------------------------------------------------


@login_required
def records_of_processing(request):
    require_coordinator(request.user)
    context = {"records": records.processing_records(), "header": records.header()}
    return render(request, "participation/privacy/records.html", context)


@login_required
def records_of_processing_download(request, file_format):
    require_coordinator(request.user)
    rows = records.processing_records()
    created = timezone.now()
    name = f"records-of-processing-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(records.as_csv(rows), content_type=CSV_CONTENT_TYPE)
    elif file_format == "xlsx":
        response = HttpResponse(
            records.as_xlsx(rows, created=created), content_type=XLSX_CONTENT_TYPE
        )
    elif file_format == "pdf":
        try:
            pdf = render_pdf(
                "participation/privacy/records_document.html",
                {"records": rows, "header": records.header(), "created": created},
                created=created,
            )
        except PdfUnavailable:
            return render(request, "participation/documents/unavailable.html", status=503)
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        raise Http404
    return private_download(response, name)
