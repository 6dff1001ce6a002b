"""Delivery rounds over the API, with the pages' permissions: coordinators see every round
and open or change them (through the same service as the form); members see the rounds their
organisations deliver to, with their own deliveries. The completeness matrix as on the
round's page, in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from participation.api.permissions import CoordinatorWritesOnly
from participation.api.views import AUTHENTICATION

from .. import rounds, selectors
from ..completeness import completeness as completeness_of
from ..models import Round
from . import delivery_serializers as serializers


class CoordinatorsOpenRounds(CoordinatorWritesOnly):
    message = gettext_lazy("Only the county's coordinators open delivery rounds.")


def completeness_data(round_, matrix) -> dict:
    return {
        "round": round_.pk,
        "indicators": matrix.indicators,
        "suppliers": [
            {
                "delivery": supplier.delivery.pk,
                "organisation": supplier.delivery.organisation_id,
                "name": supplier.delivery.organisation.name,
                "status": supplier.delivery.status,
                "review": supplier.delivery.review,
                "entered": supplier.entered,
                "asked": supplier.asked,
                "complete": supplier.complete,
                "indicators": [
                    {"indicator": indicator.pk, "entered": pair[0], "asked": pair[1]}
                    for indicator in matrix.indicators
                    if (pair := supplier.cells.get(indicator.pk)) is not None
                ],
            }
            for supplier in matrix.suppliers
        ],
    }


@extend_schema(tags=["delivery-rounds"])
class DeliveryRoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rounds of the social monitoring's data delivery: reference date, delivery window,
    indicator set, suppliers. Coordinators create and change them; a supplier added gets its
    delivery, none is removed."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorsOpenRounds]
    serializer_class = serializers.DeliveryRoundSerializer
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        shown = Prefetch(
            "deliveries",
            queryset=selectors.visible_deliveries(user).order_by("organisation__name"),
            to_attr="shown_deliveries",
        )
        return (
            selectors.visible_rounds(user)
            .prefetch_related(shown)
            .order_by("-reference_date", "name", "pk")
        )

    def _save(self, serializer, round_):
        data = dict(serializer.validated_data)
        suppliers = data.pop("suppliers", [])
        for name, value in data.items():
            setattr(round_, name, value)
        rounds.save_round(round_, actor=self.request.user, suppliers=suppliers)
        serializer.instance = self.get_queryset().get(pk=round_.pk)

    def perform_create(self, serializer):
        self._save(serializer, Round())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(
        responses={
            200: serializers.CompletenessSerializer,
            404: OpenApiResponse(description="No such round, or not one of the caller's."),
        }
    )
    @action(detail=True, methods=["get"])
    def completeness(self, request, pk=None):
        """Per supplier and indicator, the figures entered of the figures asked (optional
        municipal totals not counted); members get their own organisations' rows."""
        round_ = selectors.get_round_for_user(request.user, pk)
        deliveries = selectors.visible_deliveries(request.user).filter(round=round_)
        matrix = completeness_of(round_, deliveries=deliveries)
        return Response(serializers.CompletenessSerializer(completeness_data(round_, matrix)).data)
