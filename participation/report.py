"""The committee report (Vorlage): the contract every app fills with its part.

Any installed app may have a module `<app>/report.py` with

    summary(*, start, end) -> list[ReportPart]

where `start` and `end` are dates (both days included). The overview app finds these modules
through the app registry, as it finds `<app>.home`, puts their parts in order and writes the
report as PDF, DOCX and XLSX; so a later app (consultations) adds its part by adding its own
`report.py`, without touching the overview, and no app imports it.

Rules for a provider: read through the app's own selectors and models, take a fixed number
of queries whatever the number of records, and give plain values only (text, whole numbers,
dates as text), in a stable order, so the same records give the same file. Texts are
translated when the provider runs (the report's language is active then). A chart is never
only a picture: its `text` says in words what it shows, and the overview writes its bars as
a data table beside it."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class ReportTable:
    """A table of the report; `numeric` names the columns (by index) that hold numbers, which
    the XLSX keeps as numbers and the PDF aligns right."""

    caption: str
    header: list[str]
    rows: list[list]
    numeric: tuple[int, ...] = ()
    # The name of the table's sheet in the XLSX (at most 31 characters; made unique there).
    sheet: str = ""


@dataclass
class ReportBar:
    label: str
    count: int


@dataclass
class ReportChart:
    """Bars with a text alternative that says in words what they show."""

    title: str
    text: str
    bars: list[ReportBar] = field(default_factory=list)


@dataclass
class ReportPart:
    """One chapter of the report: a heading, a few sentences, tables and perhaps a chart."""

    key: str
    heading: str
    order: int
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)


def day_bounds(start: datetime.date, end: datetime.date):
    """The period as aware moments: from the start of `start` up to (not including) the
    start of the day after `end`, in the local time zone."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return first, after


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a whole percentage ("67 %"), or "–" when nothing was asked."""
    if not whole:
        return "–"
    return f"{round(100 * part / whole)} %"
