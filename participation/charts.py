"""Server-rendered horizontal bar charts as inline SVG: no script, no stylesheet, nothing
from elsewhere. This module lays the bars out; `participation/includes/bar_chart.html`
draws them beside a data table with the same numbers. Surveys and workshops both use it.

Every coordinate is handed to the template as text, so a German locale never turns
"12.5" into "12,5" inside the SVG."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.text import Truncator

WIDTH = 544  # the width of `.narrow` (34rem): drawn at that size, one unit is one pixel
LABEL_WIDTH = 200
COUNT_WIDTH = 44  # room right of the longest bar for its number
BAR_HEIGHT = 24
BAR_GAP = 10
TOP = 8
LABEL_CHARS = 28  # what fits in LABEL_WIDTH at the font size; the data table has them whole
FONT_SIZE = 14
# On white: the bars reach 11.4:1 (WCAG asks 3:1 of graphics), the text 16.8:1. The bars are
# the county's blue (--county-blue in participation/static/participation/theme.css).
BAR_COLOUR = "#003a70"
TEXT_COLOUR = "#1b1b1b"
AXIS_COLOUR = "#767676"


def _number(value):
    return f"{value:.1f}".removesuffix(".0")


class Counted(Protocol):
    label: str
    count: int


@dataclass(frozen=True)
class Bar:
    label: str
    count: int


@dataclass(frozen=True)
class DrawnBar:
    label: str
    short_label: str
    count: int
    y: str
    width: str
    text_y: str
    count_x: str


@dataclass(frozen=True)
class BarChart:
    width: str
    height: str
    label_x: str
    bar_x: str
    axis_top: str
    axis_bottom: str
    bars: list[DrawnBar]
    font_size: str = str(FONT_SIZE)
    bar_colour: str = BAR_COLOUR
    text_colour: str = TEXT_COLOUR
    axis_colour: str = AXIS_COLOUR
    bar_height: str = str(BAR_HEIGHT)


def bar_chart(counted: Sequence[Counted]) -> BarChart:
    """Lay out one bar per entry (anything with a `label` and a `count`), longest for the
    highest count."""
    area = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    highest = max((bar.count for bar in counted), default=0) or 1
    bars = []
    for index, bar in enumerate(counted):
        top = TOP + index * (BAR_HEIGHT + BAR_GAP)
        length = area * bar.count / highest
        bars.append(
            DrawnBar(
                label=bar.label,
                short_label=Truncator(bar.label).chars(LABEL_CHARS),
                count=bar.count,
                y=_number(top),
                width=_number(length),
                # Text sits on its baseline: about a third of the font size below the middle.
                text_y=_number(top + BAR_HEIGHT / 2 + FONT_SIZE / 3),
                count_x=_number(LABEL_WIDTH + length + 6),
            )
        )
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    return BarChart(
        width=str(WIDTH),
        height=_number(max(height, TOP * 2)),
        label_x=str(LABEL_WIDTH - 8),
        bar_x=str(LABEL_WIDTH),
        axis_top=_number(TOP / 2),
        axis_bottom=_number(height - TOP / 2),
        bars=bars,
    )
