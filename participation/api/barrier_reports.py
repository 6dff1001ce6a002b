"""Reported barriers over the API: anyone may send one (as on the web, no sign-in, limited
per address), coordinators list them and mark them answered."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from .. import barrier_reports
from ..models import BarrierReport
from ..selectors import is_coordinator
from .views import AUTHENTICATION


class BarrierReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = BarrierReport
        fields = ["id", "page", "description", "name", "email", "created_at", "answered_at"]
        read_only_fields = ["id", "created_at", "answered_at"]


class AnyoneSendsCoordinatorsRead(BasePermission):
    def has_permission(self, request, view):
        return view.action == "create" or is_coordinator(request.user)


@extend_schema(tags=["barrier-reports"])
class BarrierReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The accessibility statement's feedback form (§ 10b BGG NRW). Anyone may send a report
    (five per hour and address); coordinators list them and mark them answered."""

    authentication_classes = AUTHENTICATION
    permission_classes = [AnyoneSendsCoordinatorsRead]
    serializer_class = BarrierReportSerializer
    filter_backends = []

    def get_queryset(self):
        return barrier_reports.reports_for_coordinators()

    def perform_create(self, serializer):
        try:
            serializer.instance = barrier_reports.report_barrier(
                BarrierReport(**serializer.validated_data),
                request=self.request,
                language=getattr(self.request, "LANGUAGE_CODE", "de"),
            )
        except barrier_reports.TooManyReports as refused:
            raise Throttled(wait=3600, detail=refused.message) from refused

    @extend_schema(request=None, responses=BarrierReportSerializer)
    @action(detail=True, methods=["post"])
    def answered(self, request, pk=None):
        """Mark the report answered (once; again changes nothing)."""
        report = barrier_reports.mark_answered(self.get_object(), actor=request.user)
        return Response(self.get_serializer(report).data, status=status.HTTP_200_OK)
