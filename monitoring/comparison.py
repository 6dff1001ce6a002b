"""The last round's figure for a cell, for the rule that a large change needs a comment and
for time series. A space still valid keeps its own figure; a space cut anew takes its
figure from the versions it succeeds (`SpaceSuccession`), each weighted by its share: a
count is the sum of the shares of the earlier counts, any other value their average
weighted by the shares. Only approved values count."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

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
    """{cell key: Decimal} of `earlier_round`'s approved figures carried to these spaces
    (through the successions where a space was cut anew) and these municipalities' totals,
    keyed as `grid.Cell.key` ("{indicator pk}-{row key}"). The spaces lie in the
    municipalities (as a grid's rows do)."""
    if earlier_round is None:
        return {}
    kinds = {indicator.pk: indicator.value_type for indicator in indicators}
    wanted = {space.pk for space in spaces}
    successions = defaultdict(list)
    for later_id, earlier_id, share in SpaceSuccession.objects.filter(
        later__municipality__in=municipalities
    ).values_list("later_id", "earlier_id", "share"):
        if later_id in wanted:
            successions[later_id].append((earlier_id, share))
    earlier_ids = {e for pairs in successions.values() for e, _share in pairs}
    # Read by municipality, not space by space: a grid names thousands of cells, and its
    # municipalities hold them all; a space carries over only within its municipality
    # (`spaces.add_succession`), so the earlier versions are among them too. One cell
    # (an autosave) reads its own figure only.
    values = _approved(earlier_round, indicators).filter(municipality__in=municipalities)
    if len(wanted) <= 1:
        values = values.filter(Q(space__in=[*wanted, *earlier_ids]) | Q(space__isnull=True))
    carried = {}
    by_space = {}  # (indicator pk, space pk) -> number, of the earlier versions
    for indicator_id, municipality_id, space_id, number in values.values_list(
        "indicator_id", "municipality_id", "space_id", "number"
    ):
        if space_id is None:
            carried[f"{indicator_id}-m{municipality_id}"] = number
            continue
        if space_id in wanted:
            carried[f"{indicator_id}-s{space_id}"] = number
        if space_id in earlier_ids:
            by_space[(indicator_id, space_id)] = number
    for space_id, pairs in successions.items():
        for indicator_id, kind in kinds.items():
            key = f"{indicator_id}-s{space_id}"
            if key in carried:
                continue  # the space's own figure
            parts = [
                (by_space[(indicator_id, earlier)], share)
                for earlier, share in pairs
                if (indicator_id, earlier) in by_space
            ]
            if parts:
                carried[key] = combine(parts, kind)
    return carried


def combine(parts, kind) -> Decimal:
    if kind == ValueType.COUNT:
        return sum((number * share for number, share in parts), Decimal(0)).quantize(Decimal(1))
    weight = sum((share for _number, share in parts), Decimal(0))
    return (sum((number * share for number, share in parts), Decimal(0)) / weight).quantize(
        Decimal("0.0001")
    )
