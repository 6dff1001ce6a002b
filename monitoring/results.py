"""An indicator's results: its approved values across the rounds that asked for it (columns,
by reference date) and the spaces valid in any of them (rows, grouped by municipality, each
municipality's total first), with a chart of the same figures.

Who sees what: a delivery approved by the county is published within the platform, so every
signed-in person (members of any organisation and coordinators alike) sees the approved
values of every round, and nothing else: a value still being entered, submitted or sent back
never appears here, not even the viewer's own organisation's (the delivery's page shows
those to its supplier and the coordinators). A suppressed value (a count below the
indicator's threshold) is shown as "< threshold" to everyone, its number never leaves the
server. Files of the values for other tools (`value_exports`) are the county's to publish
and go to coordinators only.

A space cut anew has no figure of its own for the rounds before its version began; there
its row shows the figure carried from the versions it succeeds (`SpaceSuccession`, each
weighted by its share, as `comparison` carries them for the change check), marked as
carried. A carried figure built from a suppressed one is suppressed too.

The table takes a fixed number of queries whatever the number of rounds and spaces."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import formats

from participation import charts
from participation.models import Organisation

from .comparison import combine
from .models import Review, Round, Space, SpaceStatus, SpaceSuccession, SpatialLevel, Value
from .value_exports import merge
from .values import plain


@dataclass(frozen=True)
class Part:
    number: Decimal
    suppressed: bool


@dataclass(frozen=True)
class ResultCell:
    number: Decimal | None  # None when suppressed: the number is never handed on
    suppressed: bool = False
    carried: bool = False


@dataclass
class ResultRow:
    municipality: Organisation
    space: Space | None  # None: the municipality as a whole
    cells: list  # one per round: ResultCell or None (no approved value)

    @property
    def key(self) -> str:
        return self.space.key if self.space else (self.municipality.ags or "")

    @property
    def name(self) -> str:
        return self.space.name if self.space else self.municipality.name

    @property
    def is_total(self) -> bool:
        return self.space is None


@dataclass
class MunicipalityResults:
    municipality: Organisation
    rows: list[ResultRow] = field(default_factory=list)


@dataclass
class Results:
    indicator: object
    rounds: list
    groups: list[MunicipalityResults]
    bars: list = field(default_factory=list)
    left_out: bool = False  # bars left out of the chart (suppressed or below zero)

    @property
    def has_values(self) -> bool:
        return any(cell for group in self.groups for row in group.rows for cell in row.cells)


def rounds_of(indicator) -> list:
    """The rounds that asked for the indicator, by reference date."""
    return list(
        Round.objects.filter(indicator_set__indicators=indicator)
        .distinct()
        .order_by("reference_date", "pk")
    )


def _approved_parts(indicator, rounds) -> dict:
    """{(round pk, municipality pk, space pk or None): (number, suppressed)}."""
    parts = defaultdict(list)
    for round_id, municipality_id, space_id, number, suppressed in Value.objects.filter(
        response__round__in=[r.pk for r in rounds],
        response__review=Review.APPROVED,
        indicator=indicator,
        number__isnull=False,
    ).values_list("response__round_id", "municipality_id", "space_id", "number", "suppressed"):
        parts[(round_id, municipality_id, space_id)].append(Part(number, suppressed))
    return {key: merge(found, indicator.value_type) for key, found in parts.items()}


def _spaces(indicator, rounds, approved) -> list:
    if indicator.spatial_level == SpatialLevel.MUNICIPALITY or not rounds:
        return []
    valid_in_a_round = Q()
    for round_ in rounds:
        day = round_.reference_date
        valid_in_a_round |= Q(valid_from__lte=day) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )
    with_values = {space for _round, _m, space in approved if space is not None}
    return list(
        Space.objects.filter(level=indicator.spatial_level)
        .filter((Q(status=SpaceStatus.CONFIRMED) & valid_in_a_round) | Q(pk__in=with_values))
        .select_related("municipality")
        .order_by("key", "valid_from")
    )


def _cell(found) -> ResultCell:
    number, suppressed = found
    return ResultCell(None if suppressed else plain(number), suppressed=suppressed)


def indicator_results(indicator) -> Results:
    rounds = rounds_of(indicator)
    approved = _approved_parts(indicator, rounds)
    spaces = _spaces(indicator, rounds, approved)
    earlier_of = defaultdict(list)
    for later, earlier, share in SpaceSuccession.objects.filter(
        later__in=[space.pk for space in spaces]
    ).values_list("later_id", "earlier_id", "share"):
        earlier_of[later].append((earlier, share))
    municipality_ids = {space.municipality_id for space in spaces} | {
        municipality for _round, municipality, _space in approved
    }
    groups = {
        municipality.pk: MunicipalityResults(municipality)
        for municipality in Organisation.objects.filter(pk__in=municipality_ids).order_by("name")
    }
    for group in groups.values():
        cells = [
            _cell(found) if (found := approved.get((r.pk, group.municipality.pk, None))) else None
            for r in rounds
        ]
        if any(cells) or indicator.spatial_level == SpatialLevel.MUNICIPALITY:
            group.rows.append(ResultRow(group.municipality, None, cells))
    for space in spaces:
        cells = []
        for round_ in rounds:
            found = approved.get((round_.pk, space.municipality_id, space.pk))
            if found:
                cells.append(_cell(found))
            elif not space.valid_on(round_.reference_date):
                cells.append(_carried(indicator, round_, space, earlier_of, approved))
            else:
                cells.append(None)
        groups[space.municipality_id].rows.append(ResultRow(space.municipality, space, cells))
    results = Results(indicator, rounds, [group for group in groups.values() if group.rows])
    _add_bars(results)
    return results


def _carried(indicator, round_, space, earlier_of, approved) -> ResultCell | None:
    parts = [
        (found, share)
        for earlier, share in earlier_of.get(space.pk, [])
        if (found := approved.get((round_.pk, space.municipality_id, earlier)))
    ]
    if not parts:
        return None
    if any(found[1] for found, _share in parts):
        return ResultCell(None, suppressed=True, carried=True)
    number = combine([(found[0], share) for found, share in parts], indicator.value_type)
    return ResultCell(plain(number), carried=True)


def _add_bars(results):
    """The chart: each space's own approved figures, round by round (the municipalities'
    totals where the indicator is delivered for municipalities; they would dwarf the
    spaces otherwise)."""
    by_municipality = results.indicator.spatial_level == SpatialLevel.MUNICIPALITY
    for group in results.groups:
        for row in group.rows:
            if row.is_total != by_municipality:
                continue
            for round_, cell in zip(results.rounds, row.cells, strict=True):
                if cell is None or cell.carried:
                    continue
                if cell.suppressed or cell.number < 0:
                    results.left_out = True
                    continue
                day = formats.date_format(round_.reference_date, "SHORT_DATE_FORMAT")
                results.bars.append(charts.Bar(label=f"{row.name} ({day})", count=cell.number))


def chart(results):
    return charts.bar_chart(results.bars) if results.bars else None
