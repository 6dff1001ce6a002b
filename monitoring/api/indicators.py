"""The indicator catalogue and its sets over the API: every signed-in person reads them, the
county's coordinators change them through the same services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from participation.api.permissions import CoordinatorWritesOnly
from participation.api.views import AUTHENTICATION

from .. import indicators, selectors
from ..models import Indicator, IndicatorSet


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "definition",
            "unit",
            "value_type",
            "source",
            "spatial_level",
            "supplier_kind",
            "minimum",
            "maximum",
            "suppress_below",
            "is_active",
        ]
        read_only_fields = ["id"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    indicators = serializers.PrimaryKeyRelatedField(many=True, queryset=Indicator.objects.all())

    class Meta:
        model = IndicatorSet
        fields = ["id", "name", "description", "indicators"]
        read_only_fields = ["id"]


@extend_schema(tags=["indicators"])
class IndicatorViewSet(viewsets.ModelViewSet):
    """Indicators with definition, unit, source, spatial level, supplier kind, plausible
    range and small-number suppression. Coordinators write; nothing is deleted (an indicator
    no longer used is set inactive)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]
    serializer_class = IndicatorSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        return selectors.visible_indicators(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = indicators.save_indicator(
            Indicator(**serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer):
        indicator = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(indicator, name, value)
        serializer.instance = indicators.save_indicator(indicator, actor=self.request.user)


@extend_schema(tags=["indicators"])
class IndicatorSetViewSet(viewsets.ModelViewSet):
    """The sets of indicators a delivery round asks for."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]
    serializer_class = IndicatorSetSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        return selectors.visible_indicator_sets(self.request.user)

    def _save(self, serializer, indicator_set):
        data = dict(serializer.validated_data)
        chosen = data.pop("indicators", None)
        for name, value in data.items():
            setattr(indicator_set, name, value)
        if chosen is None:
            chosen = list(indicator_set.indicators.all()) if indicator_set.pk else []
        serializer.instance = indicators.save_indicator_set(
            indicator_set, indicators=chosen, actor=self.request.user
        )

    def perform_create(self, serializer):
        self._save(serializer, IndicatorSet())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)
