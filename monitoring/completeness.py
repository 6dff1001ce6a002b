"""How far each supplier of a round has come, per indicator: the figures entered against
the figures asked (optional municipal totals not counted), like a survey's progress. A
fixed number of queries, whatever the number of suppliers, spaces and indicators."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from participation.models import OrganisationKind

from .grid import confirmed_spaces_on
from .models import Delivery, SpatialLevel, Value


@dataclass
class SupplierProgress:
    delivery: Delivery
    # indicator pk -> (entered, asked); None where the supplier delivers no such figure.
    cells: dict = field(default_factory=dict)

    @property
    def entered(self) -> int:
        return sum(entered for entered, _asked in self.cells.values())

    @property
    def asked(self) -> int:
        return sum(asked for _entered, asked in self.cells.values())

    @property
    def complete(self) -> bool:
        return self.entered >= self.asked


@dataclass
class Completeness:
    indicators: list
    suppliers: list[SupplierProgress]

    def column(self, indicator):
        return [supplier.cells.get(indicator.pk) for supplier in self.suppliers]


def completeness(round_, *, deliveries=None) -> Completeness:
    deliveries = list(
        (deliveries if deliveries is not None else round_.deliveries.all())
        .select_related("organisation")
        .order_by("organisation__name")
    )
    indicators = list(round_.indicator_set.indicators.filter(is_active=True).order_by("code"))
    spaces = {
        (municipality, level): n
        for municipality, level, n in confirmed_spaces_on(round_.reference_date)
        .values("municipality_id", "level")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "level", "n")
    }
    all_municipalities = {municipality for municipality, _level in spaces}
    entered = {
        (row["response_id"], row["indicator_id"]): row["n"]
        for row in Value.objects.filter(response__in=[d.pk for d in deliveries])
        .values("response_id", "indicator_id")
        .annotate(n=Count("pk", filter=_asked_and_entered()))
    }
    result = Completeness(indicators=indicators, suppliers=[])
    for delivery in deliveries:
        organisation = delivery.organisation
        municipalities = (
            {organisation.pk}
            if organisation.kind == OrganisationKind.MUNICIPALITY
            else all_municipalities
        )
        progress = SupplierProgress(delivery)
        for indicator in indicators:
            if indicator.supplier_kind != organisation.kind:
                continue
            if indicator.spatial_level == SpatialLevel.MUNICIPALITY:
                asked = len(municipalities)
            else:
                asked = sum(spaces.get((m, indicator.spatial_level), 0) for m in municipalities)
            progress.cells[indicator.pk] = (entered.get((delivery.pk, indicator.pk), 0), asked)
        result.suppliers.append(progress)
    return result


def _asked_and_entered():
    """A figure entered in an asked cell: a municipality's total only for indicators
    delivered per municipality."""
    return Q(number__isnull=False) & (
        Q(space__isnull=False) | Q(indicator__spatial_level=SpatialLevel.MUNICIPALITY)
    )
