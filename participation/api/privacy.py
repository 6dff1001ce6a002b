"""Data protection over the API.

`/api/v1/my-data/`: a person's download of their own data. POST asks for it (202 with the
request, built by the worker), GET lists one's requests, `/api/v1/my-data/{id}/` tells the
status and progress, `/api/v1/my-data/{id}/download/` gives the ZIP (410 once expired).
A signed-in person calls with their token or session; an invitee without an account with
their invitation's personal token (`Authorization: Invitation <token>`). Only the owner
sees a request; anyone else, a coordinator too, gets 404.

`/api/v1/records-of-processing/`: the records of processing (Art. 30 GDPR), coordinators
only (anyone else 404)."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..downloads import private_download
from ..events.api import InvitationTokenAuthentication
from ..models import DataExport, Invitation
from ..privacy import exports, records, selectors
from ..selectors import is_coordinator
from .downloads import FileErrorsAsJson, FileRenderer
from .views import AUTHENTICATION


class ZipRenderer(FileRenderer):
    media_type = "application/zip"
    format = "zip"


class OwnerSignedInOrByLink(BasePermission):
    """A signed-in person, or the holder of an invitation's personal link."""

    def has_permission(self, request, view):
        return request.user.is_authenticated or isinstance(request.auth, Invitation)


def _invitation(request):
    return None if request.user.is_authenticated else request.auth


class DataExportSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text="The ZIP's address once it is built and until it expires; null before and after."
    )

    class Meta:
        model = DataExport
        fields = ["id", "status", "progress", "created_at", "finished_at", "expires_at", "download"]
        read_only_fields = fields

    def get_download(self, export) -> str | None:
        if export.status != DataExport.Status.DONE or export.is_expired():
            return None
        url = reverse("api:my-data-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema(tags=["my data"])
class MyDataViewSet(
    FileErrorsAsJson,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Download my data (Art. 15 and 20 GDPR): everything the platform holds about the
    caller, as a ZIP with one JSON file and a CSV per kind of record. Ask for it, poll
    until `status` is `done`, then fetch `download` before `expires_at`."""

    authentication_classes = [*AUTHENTICATION, InvitationTokenAuthentication]
    permission_classes = [OwnerSignedInOrByLink]
    serializer_class = DataExportSerializer
    pagination_class = None

    def get_queryset(self):
        invitation = _invitation(self.request)
        if invitation is not None:
            return selectors.exports_of_invitation(invitation)
        return selectors.exports_of_user(self.request.user)

    def get_object(self):
        invitation = _invitation(self.request)
        if invitation is not None:
            return selectors.get_data_export_for_invitation(invitation, self.kwargs["pk"])
        return selectors.get_data_export_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=None, responses={202: DataExportSerializer})
    def create(self, request, *args, **kwargs):
        """Ask for one's data; answers 202 with the request, which the worker builds. A
        request still waiting or being built is answered instead of a second one."""
        invitation = _invitation(request)
        if invitation is not None:
            export = exports.request_for_invitation(invitation)
        else:
            export = exports.request_for_user(request.user)
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, ZipRenderer.media_type): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such request of yours, or not built yet."),
            410: OpenApiResponse(description="The download has expired; ask again."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[ZipRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def download(self, request, pk=None):
        """The finished ZIP; 404 while it is being built, 410 once it has expired."""
        export = self.get_object()
        try:
            data = exports.archive_for_download(export, request=request)
        except exports.Expired:
            detail = _("This download has expired and its file has been deleted.")
            return Response({"detail": detail}, status=status.HTTP_410_GONE)
        response = HttpResponse(data, content_type=ZipRenderer.media_type)
        response["X-Content-Type-Options"] = "nosniff"
        return private_download(response, exports.filename(export))


class ProcessingRecordSerializer(serializers.Serializer):
    key = serializers.CharField()
    category = serializers.CharField()
    record = serializers.CharField(help_text="The kind of record (model) holding the data.")
    fields = serializers.CharField(help_text="The personal data it holds.")
    purpose = serializers.CharField()
    legal_basis = serializers.CharField()
    visible_to = serializers.CharField()
    retention = serializers.CharField(help_text="The period and from when it runs.")
    retention_key = serializers.CharField(help_text="The key of the retention period.")
    kept_days = serializers.IntegerField(
        allow_null=True, help_text="Days kept; null while the record it belongs to exists."
    )


class RecordsOfProcessingView(APIView):
    """The records of processing activities (Art. 30 GDPR), generated from the
    declarations beside the models; coordinators only."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["records of processing"], responses=ProcessingRecordSerializer(many=True))
    def get(self, request):
        if not is_coordinator(request.user):
            raise Http404
        rows = records.processing_records()
        return Response(ProcessingRecordSerializer(rows, many=True).data)
