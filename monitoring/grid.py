"""The shape of one supplier's delivery: which indicators it delivers (those of the round's
set whose supplier kind is the organisation's kind), for which municipalities (a
municipality delivers for itself, any other supplier for every municipality with spaces),
and so which rows (per municipality its total, then each social space with its
neighbourhoods, valid on the reference date and confirmed) and which cells.

A cell belongs to an indicator delivered at the row's level; a municipality's total is also
asked, optionally, for a count delivered per space, so that the sum of the spaces can be
checked against it."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Case, CharField, When
from django.db.models import Value as Text
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat

from participation.models import Organisation, OrganisationKind

from .models import Indicator, Space, SpaceLevel, SpaceStatus, SpatialLevel, Value, ValueType
from .selectors import spaces_valid_on


@dataclass(frozen=True)
class Row:
    municipality: Organisation
    space: Space | None  # None: the municipality as a whole
    # Worked out once: a grid of 160 spaces × 20 indicators asks for keys thousands of times.
    key: str = field(init=False, compare=False)

    def __post_init__(self):
        key = f"s{self.space.pk}" if self.space else f"m{self.municipality.pk}"
        object.__setattr__(self, "key", key)

    @property
    def level(self) -> str:
        return self.space.level if self.space else SpatialLevel.MUNICIPALITY

    @property
    def label(self) -> str:
        return self.space.name if self.space else self.municipality.name


class Cell(NamedTuple):
    """A tuple, not a frozen dataclass: a grid builds thousands of them on every check and
    page, and a dataclass that guards its fields costs several times as much to make."""

    row: Row
    indicator: Indicator
    required: bool
    key: str  # f"{indicator.pk}-{row.key}", given by `build`

    @property
    def where(self) -> dict:
        """The fields that name this cell's Value (the engine's `question`)."""
        return {
            "indicator": self.indicator,
            "municipality": self.row.municipality,
            "space": self.row.space,
        }


@dataclass
class Grid:
    indicators: list[Indicator]
    rows: list[Row]
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, row, indicator):
        return self.cells.get(f"{indicator.pk}-{row.key}")

    @property
    def required_cells(self):
        return [cell for cell in self.cells.values() if cell.required]


def supplier_indicators(delivery):
    # Through the set's key, not `round.indicator_set.indicators`: that reads the set first.
    return list(
        Indicator.objects.filter(
            sets=delivery.round.indicator_set_id,
            is_active=True,
            supplier_kind=delivery.organisation.kind,
        ).order_by("code")
    )


def supplier_municipalities(delivery):
    if delivery.organisation.kind == OrganisationKind.MUNICIPALITY:
        return [delivery.organisation]
    with_spaces = confirmed_spaces_on(delivery.round.reference_date).values("municipality_id")
    return list(Organisation.objects.filter(pk__in=with_spaces).order_by("name"))


def confirmed_spaces_on(day):
    return spaces_valid_on(Space.objects.filter(status=SpaceStatus.CONFIRMED), day)


def applies_at(level: str, indicator: Indicator) -> bool | None:
    """Whether a row of this level (the municipality's total: its own level) asks the
    indicator. True: the cell is asked; None: asked, optionally (a municipality's total of
    a count delivered per space); False: not asked."""
    if indicator.spatial_level == level:
        return True
    if level == SpatialLevel.MUNICIPALITY and indicator.value_type == ValueType.COUNT:
        return None
    return False


def build(delivery, *, indicators=None, municipalities=None) -> Grid:
    indicators = indicators if indicators is not None else supplier_indicators(delivery)
    municipalities = (
        municipalities if municipalities is not None else supplier_municipalities(delivery)
    )
    levels = {indicator.spatial_level for indicator in indicators}
    spaces = (
        confirmed_spaces_on(delivery.round.reference_date)
        .filter(municipality__in=municipalities, level__in=levels | {SpaceLevel.SOCIAL_SPACE})
        # Boundaries can be large, and timestamps cost more to read than the rest of a
        # space: the grid shows neither.
        .defer("geometry", "created_at", "updated_at", "confirmed_at")
        .order_by("key")
    )
    by_municipality = {}
    for space in spaces:
        by_municipality.setdefault(space.municipality_id, []).append(space)
    rows = []
    for municipality in municipalities:
        rows.append(Row(municipality, None))
        own = by_municipality.get(municipality.pk, [])
        children = {}
        for space in own:
            if space.level == SpaceLevel.NEIGHBOURHOOD and space.parent_id:
                children.setdefault(space.parent_id, []).append(space)
        placed = set()
        for space in own:
            if space.level != SpaceLevel.SOCIAL_SPACE:
                continue
            rows.append(Row(municipality, space))
            for child in children.get(space.pk, []):
                rows.append(Row(municipality, child))
                placed.add(child.pk)
        rows.extend(
            Row(municipality, space)
            for space in own
            if space.level == SpaceLevel.NEIGHBOURHOOD and space.pk not in placed
        )
    # Which indicators a row asks depends on its level only: worked out once per level,
    # not for each of the thousands of cells.
    asked_at = {}
    for level in {row.level for row in rows}:
        asked_at[level] = [
            (indicator, rule is True, f"{indicator.pk}-")
            for indicator in indicators
            if (rule := applies_at(level, indicator)) is not False
        ]
    grid = Grid(indicators=indicators, rows=[])
    cells = grid.cells
    for row in rows:
        asked = asked_at[row.level]
        row_key = row.key
        for indicator, required, prefix in asked:
            key = prefix + row_key
            cells[key] = Cell(row, indicator, required, key)
        if asked:
            grid.rows.append(row)
    return grid


def cell_key(indicator_id, municipality_id, space_id) -> str:
    """`Cell.key` from a value's ids."""
    return f"{indicator_id}-s{space_id}" if space_id else f"{indicator_id}-m{municipality_id}"


def stored_values(delivery) -> dict[str, Value]:
    """The delivery's values by cell key."""
    return {
        cell_key(value.indicator_id, value.municipality_id, value.space_id): value
        for value in Value.objects.filter(response=delivery)
    }


def _cell_key_sql():
    """`cell_key` worked out by the database."""
    return Concat(
        Cast("indicator_id", CharField()),
        Case(
            When(space__isnull=True, then=Concat(Text("-m"), Cast("municipality_id", CharField()))),
            default=Concat(Text("-s"), Cast("space_id", CharField())),
        ),
    )


def stored_figures(delivery) -> dict:
    """The delivery's figures by cell key, each with `.number` and `.comment` like a
    `Value`, read as plain rows with their keys worked out by the database: checking a
    delivery reads thousands of them, and model instances cost ten times the query."""
    rows = (
        Value.objects.filter(response=delivery)
        .annotate(key=_cell_key_sql(), comment=KT("value__comment"))
        .values_list("key", "number", "comment", named=True)
    )
    return {row[0]: row for row in rows}
