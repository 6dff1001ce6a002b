"""The committee report over the API, for coordinators only (anyone else gets 404):
`POST /api/v1/reports/` with a period asks for a report and answers 202 with the job,
`GET /api/v1/reports/{id}/` tells its status and progress, and
`GET /api/v1/reports/{id}/download/?format=pdf|docx|xlsx` gives a finished file."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from participation.api.downloads import DocxRenderer, FileErrorsAsJson, FileRenderer, PdfRenderer
from participation.api.views import AUTHENTICATION
from participation.selectors import is_coordinator
from participation.spreadsheets import XLSX_CONTENT_TYPE

from . import committee, report_jobs, selectors
from .models import CommitteeReport


class XlsxRenderer(FileRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


class ReportDownloadsSerializer(serializers.Serializer):
    """The files' addresses; none while the report is not built."""

    pdf = serializers.CharField(required=False)
    docx = serializers.CharField(required=False)
    xlsx = serializers.CharField(required=False)


class CommitteeReportSerializer(serializers.ModelSerializer):
    downloads = serializers.SerializerMethodField(
        help_text="The files' addresses once the report is built; empty before."
    )

    class Meta:
        model = CommitteeReport
        fields = [
            "id",
            "start",
            "end",
            "status",
            "progress",
            "requested_at",
            "finished_at",
            "downloads",
        ]
        read_only_fields = ["status", "progress", "requested_at", "finished_at"]

    @extend_schema_field(ReportDownloadsSerializer)
    def get_downloads(self, report) -> dict:
        if report.status != CommitteeReport.Status.DONE:
            return {}
        url = reverse("overview-api:report-download", args=[report.pk])
        request = self.context.get("request")
        return {
            file_format: (request.build_absolute_uri(url) if request else url)
            + f"?format={file_format}"
            for file_format in committee.FORMATS
        }

    def validate(self, data):
        try:
            committee.check_period(data.get("start"), data.get("end"))
        except committee.PeriodError as error:
            raise serializers.ValidationError({"end": [str(error)]}) from error
        return data


@extend_schema(tags=["reports"])
class CommitteeReportViewSet(
    FileErrorsAsJson,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reports to the committee (Vorlage): the participation work of a period (meetings with
    attendance, decisions and open tasks, workshops and their live sessions, surveys with
    their response rates) as an accessible PDF, an editable Word file and the tables as
    XLSX, in German. The build runs in the worker; poll the report until `status` is
    `done`, then fetch the files. Coordinators only."""

    authentication_classes = AUTHENTICATION
    serializer_class = CommitteeReportSerializer

    def get_queryset(self):
        return selectors.visible_reports(self.request.user)

    def get_object(self):
        return selectors.get_report_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=CommitteeReportSerializer,
        responses={202: CommitteeReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Ask for the report of a period (`start` and `end`, both days included); answers
        202 with the report, which the worker builds."""
        if not is_coordinator(request.user):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_jobs.request_report(
            start=serializer.validated_data["start"],
            end=serializer.validated_data["end"],
            actor=request.user,
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(committee.FORMATS))],
        responses={
            (200, PdfRenderer.media_type): OpenApiTypes.BINARY,
            (200, DocxRenderer.media_type): OpenApiTypes.BINARY,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[PdfRenderer, DocxRenderer, XlsxRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def download(self, request, pk=None):
        """A finished report's file (`?format=pdf`, the default, `docx` or `xlsx`); 404
        while it is being built."""
        return selectors.report_download(self.get_object(), request.accepted_renderer.format)
