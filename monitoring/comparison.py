"""The last round's figure for a cell, for the rule that a large change needs a comment and
for time series. A space still valid keeps its own figure; a space cut anew takes its
figure from the versions it succeeds (`SpaceSuccession`), each weighted by its share: a
count is the sum of the shares of the earlier counts, any other value their average
weighted by the shares. Only approved values count."""

from collections import defaultdict
from decimal import Decimal

from .models import Review, Round, SpaceSuccession, Value, ValueType


def previous_round(round_):
    """The latest round before this one that has approved deliveries."""
    return (
        Round.objects.filter(
            reference_date__lt=round_.reference_date, deliveries__review=Review.APPROVED
        )
        .order_by("-reference_date", "-pk")
        .distinct()
        .first()
    )


def _approved(round_, indicators):
    return Value.objects.filter(
        response__round=round_,
        response__review=Review.APPROVED,
        indicator__in=indicators,
        number__isnull=False,
    )


def carried_values(earlier_round, indicators, spaces, municipalities) -> dict:
    """{(indicator pk, row key): Decimal} of `earlier_round`'s approved figures carried to
    these spaces (through the successions where a space was cut anew) and municipalities'
    totals. Row keys as in `grid.Row.key`."""
    if earlier_round is None:
        return {}
    kinds = {indicator.pk: indicator.value_type for indicator in indicators}
    values = _approved(earlier_round, indicators)
    space_ids = [space.pk for space in spaces]
    successions = defaultdict(list)
    for succession in SpaceSuccession.objects.filter(later__in=space_ids):
        successions[succession.later_id].append((succession.earlier_id, succession.share))
    earlier_ids = {e for pairs in successions.values() for e, _share in pairs}
    by_space = {
        (indicator_id, space_id): number
        for indicator_id, space_id, number in values.filter(
            space__in=[*space_ids, *earlier_ids]
        ).values_list("indicator_id", "space_id", "number")
    }
    carried = {}
    for indicator_id, kind in kinds.items():
        for space_id in space_ids:
            own = by_space.get((indicator_id, space_id))
            if own is not None:
                carried[(indicator_id, f"s{space_id}")] = own
                continue
            parts = [
                (by_space[(indicator_id, earlier)], share)
                for earlier, share in successions.get(space_id, [])
                if (indicator_id, earlier) in by_space
            ]
            if parts:
                carried[(indicator_id, f"s{space_id}")] = combine(parts, kind)
    for v in values.filter(space__isnull=True, municipality__in=municipalities).values(
        "indicator_id", "municipality_id", "number"
    ):
        carried[(v["indicator_id"], f"m{v['municipality_id']}")] = v["number"]
    return carried


def combine(parts, kind) -> Decimal:
    if kind == ValueType.COUNT:
        return sum((number * share for number, share in parts), Decimal(0)).quantize(Decimal(1))
    weight = sum((share for _number, share in parts), Decimal(0))
    return (sum((number * share for number, share in parts), Decimal(0)) / weight).quantize(
        Decimal("0.0001")
    )
