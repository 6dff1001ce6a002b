"""Who may see which committee report: coordinators see every one; anyone else gets 404."""

from django.http import Http404, HttpResponse

from participation.downloads import private_download
from participation.selectors import is_coordinator

from .committee import CONTENT_TYPES, FORMATS, filename
from .models import CommitteeReport


def visible_reports(user):
    if not is_coordinator(user):
        return CommitteeReport.objects.none()
    return CommitteeReport.objects.select_related("requested_by").defer("pdf", "docx", "xlsx")


def get_report_for_user(user, pk) -> CommitteeReport:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def report_file(report, file_format) -> bytes:
    """The finished file in `file_format` (pdf, docx, xlsx); 404 while it is not built."""
    if report.status != CommitteeReport.Status.DONE or file_format not in FORMATS:
        raise Http404
    data = CommitteeReport.objects.filter(pk=report.pk).values_list(file_format, flat=True).get()
    if data is None:
        raise Http404
    return bytes(data)


def report_download(report, file_format) -> HttpResponse:
    """The finished file as an attachment no cache keeps, for the page and the API alike."""
    response = HttpResponse(
        report_file(report, file_format), content_type=CONTENT_TYPES[file_format]
    )
    return private_download(
        response, filename(report.start, report.end, file_format), export="committee report"
    )
