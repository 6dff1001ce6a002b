"""The retention periods and the log of the nightly purge over the API, for coordinators
(everyone else sees no run and no period), as on the page `/privacy/retention/`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors
from ..models import RetentionRun
from ..purging import registered_purges
from ..retention import PERIODS
from .authentication import TokenAuthentication

AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
RUN_STATES = ["failed"]


class RetentionRunSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=["running", "done", "failed"],
        read_only=True,
        help_text="running: under way or cut off; failed: a category recorded an error.",
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Records removed per retention key.",
    )
    errors = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The error per retention key whose purge failed (the others ran).",
    )

    class Meta:
        model = RetentionRun
        fields = ["id", "started_at", "finished_at", "status", "counts", "errors"]
        read_only_fields = fields


class RetentionPeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    days = serializers.IntegerField(
        allow_null=True, help_text="The period in force; null: kept while the record exists."
    )
    declared_days = serializers.IntegerField(
        allow_null=True, help_text="The period as declared, before this installation's setting."
    )
    runs_from = serializers.CharField(help_text="From when the period runs.")
    purged_nightly = serializers.BooleanField()


@extend_schema(
    tags=["retention"],
    parameters=[
        OpenApiParameter("state", enum=RUN_STATES, description="failed: only runs with an error.")
    ],
)
class RetentionRunViewSet(viewsets.ReadOnlyModelViewSet):
    """The runs of the nightly retention purge, newest first, with the records removed per
    category and any error."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = RetentionRunSerializer
    filter_backends = []

    def get_queryset(self):
        if not selectors.is_coordinator(self.request.user):
            return RetentionRun.objects.none()
        state = self.request.query_params.get("state", "")
        if state and state not in RUN_STATES:
            raise ValidationError({"state": [_("Choose “failed” or leave it out.")]})
        return selectors.retention_runs(state=state)


@extend_schema(tags=["retention"], responses=RetentionPeriodSerializer(many=True))
@api_view(["GET"])
@authentication_classes(AUTHENTICATION)
def retention_periods(request):
    """Each category of personal data with its retention period, from when it runs and
    whether the nightly purge removes it."""
    if not selectors.is_coordinator(request.user):
        raise NotFound
    purged = {purge.key for purge in registered_purges()}
    rows = [
        {
            "key": period.key,
            "label": str(period.label),
            "days": period.kept_days,
            "declared_days": period.days,
            "runs_from": str(period.runs_from),
            "purged_nightly": period.key in purged and period.kept_days is not None,
        }
        for period in PERIODS.values()
    ]
    return Response(RetentionPeriodSerializer(rows, many=True).data)
