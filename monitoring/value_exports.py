"""The approved figures of the social monitoring as files for other tools: KomMonitor's
importer (CSV or GeoJSON, one spatial unit per row or feature with its values per reference
date) and XLSX for spreadsheets. Only values of approved deliveries leave the platform;
a suppressed value (a count below its indicator's threshold) is never written as a number.

The KomMonitor files follow the importer's indicator format where "each feature contains
the whole time series" (KomMonitor Importer, README, "Indicator Property Mapping", github
KomMonitor/kommonitor-importer; the CSV is read by its table converter
"Tabelle_Zeitreihe_zu_Indikator" with the separator ";"): one row or feature per spatial
unit, the unit's key in `ID` (the `spatialReferenceKeyProperty`), its name in `NAME`, its
validity in `validStartDate`/`validEndDate` (as KomMonitor's spatial units carry it) and one
column per reference date named with KomMonitor's prefix, `DATE_2025-12-31` (each an
`indicatorValueProperty` with its `timestamp`). A value not delivered or suppressed is
empty (CSV) or null (GeoJSON); `SUPPRESSED` names the dates whose value was suppressed, a
column the importer does not map. A municipality's total is a unit of its own, keyed by the
municipality's AGS, without validity.

Everything streams: the values are read with `.iterator()` in the order the file needs them
(unit by unit, date by date), so memory stays flat however many values there are.

Where two approved deliveries hold a figure for the same unit and date (two welfare
associations, say), a count is their sum and any other value their mean; the result is
suppressed if any part is, since a visible sum would give the small part away."""

import datetime
import json
import re
import tempfile
from decimal import Decimal
from json.encoder import encode_basestring
from typing import NamedTuple

from django.core.handlers.asgi import ASGIRequest
from django.db import connection, transaction
from django.db.models import F
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from participation.downloads import private_download, streamed
from participation.models import Organisation
from participation.spreadsheets import (
    DATE_STYLE,
    FORMULA_STARTS,
    XLSX_CONTENT_TYPE,
    XmlText,
    defuse,
    excel_day,
    write_xlsx_xml,
)

from .models import Delivery, Indicator, Review, Round, Space, Value, ValueType
from .values import plain

CHUNK_SIZE = 2000  # rows per database fetch
ROWS_PER_CHUNK = 200  # rows or features per piece written
DATE_PREFIX = "DATE_"
CSV_SEPARATOR = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
GEOJSON_CONTENT_TYPE = "application/geo+json"


class ApprovedValue(NamedTuple):
    reference_date: object
    round_id: int
    indicator_id: int
    indicator_code: str
    value_type: str
    municipality_id: int
    ags: str
    municipality_name: str
    space_id: int | None
    space_key: str | None
    space_name: str | None
    level: str | None
    valid_from: object
    valid_until: object
    number: Decimal
    suppressed: bool
    supplier: str


_PATHS = {
    "reference_date": "response__round__reference_date",
    "round_id": "response__round_id",
    "indicator_id": "indicator_id",
    "indicator_code": "indicator__code",
    "value_type": "indicator__value_type",
    "municipality_id": "municipality_id",
    "ags": "municipality__ags",
    "municipality_name": "municipality__name",
    "space_id": "space_id",
    "space_key": "space__key",
    "space_name": "space__name",
    "level": "space__level",
    "valid_from": "space__valid_from",
    "valid_until": "space__valid_until",
    "number": "number",
    "suppressed": "suppressed",
    "supplier": "response__organisation__name",
}


def _ids(objects):
    return [getattr(item, "pk", item) for item in objects]


def _among(column, objects) -> str:
    """The SQL condition that `column` is one of the objects' keys (none: no condition)."""
    if objects is None:
        return ""
    return f"AND {column} IN ({', '.join(['%s'] * len(objects)) or 'NULL'})"


def _approved(rounds, indicators):
    values = Value.objects.filter(response__review=Review.APPROVED, number__isnull=False)
    if rounds is not None:
        values = values.filter(response__round__in=_ids(rounds))
    if indicators is not None:
        values = values.filter(indicator__in=_ids(indicators))
    return values


def _by_unit(values):
    """Unit by unit (each municipality's total after its spaces), date by date."""
    return values.order_by(
        "indicator__code",
        "municipality__ags",
        "municipality_id",
        F("space__key").asc(nulls_last=True),
        "space__valid_from",
        "space_id",
        "response__round__reference_date",
        "response__organisation__name",
    )


def approved_values(*, rounds=None, indicators=None):
    """Every approved value (of these rounds and indicators, each an iterable of objects or
    primary keys; None: all) as `ApprovedValue`, read in chunks: indicator, then
    municipality, then space version, then reference date."""
    rows = _by_unit(_approved(rounds, indicators)).values_list(*_PATHS.values())
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield ApprovedValue._make(row)


def merge(parts, value_type) -> tuple[Decimal, bool]:
    """(number, suppressed) of one unit's values on one date, from one or more deliveries."""
    numbers = [part.number for part in parts]
    suppressed = any(part.suppressed for part in parts)
    if len(numbers) == 1:
        return numbers[0], suppressed
    total = sum(numbers, Decimal(0))
    if value_type == ValueType.COUNT:
        return total, suppressed
    return (total / len(numbers)).quantize(Decimal("0.0001")), suppressed


# --- the units and their series -------------------------------------------------------------

# The indicator's approved values with their units, in the file's order (unit by unit, each
# municipality's total after its spaces, date by date), read through a server-side cursor:
# only what the file shows, the number as text (never a Decimal).
_UNITS_SQL = """
SELECT v.municipality_id, v.space_id,
       CASE WHEN v.space_id IS NULL THEN o.ags ELSE s.key END,
       CASE WHEN v.space_id IS NULL THEN o.name ELSE s.name END,
       coalesce(s.level, 'municipality'), o.ags, s.valid_from, s.valid_until, {geometry},
       r.reference_date, CAST(v.number AS TEXT), v.suppressed
FROM {value} v
JOIN {delivery} d ON d.id = v.response_id
JOIN {round} r ON r.id = d.round_id
JOIN {organisation} o ON o.id = v.municipality_id
LEFT JOIN {space} s ON s.id = v.space_id
WHERE v.indicator_id = %s AND v.number IS NOT NULL AND d.review = %s {rounds}
ORDER BY o.ags, v.municipality_id, s.key NULLS LAST, s.valid_from, v.space_id, r.reference_date
"""


class Unit(NamedTuple):
    """One spatial unit with its approved values: per reference date of the file (the
    columns) the figure as plain text, None where not delivered or suppressed; the dates
    (ISO) whose value was suppressed; the boundary as GeoJSON text (or None)."""

    key: str
    name: str
    level: str
    ags: str
    valid_from: str | None  # ISO date
    valid_until: str | None
    geometry: str | None
    figures: list
    suppressed: list


def _units_sql(rounds, *, geometry):
    tables = {
        "value": Value._meta.db_table,
        "delivery": Delivery._meta.db_table,
        "round": Round._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "space": Space._meta.db_table,
    }
    return _UNITS_SQL.format(
        **tables,
        rounds=_among("d.round_id", rounds),
        geometry="s.geometry" if geometry else "NULL",
    )


def _date(value):
    """A date as the database driver gives it (SQLite: maybe its ISO text)."""
    return datetime.date.fromisoformat(value) if type(value) is str else value


def _merged(numbers, value_type) -> str:
    """The figure of one unit and date delivered more than once, as `merge` makes it."""
    number, _suppressed = merge([_Part(Decimal(text), False) for text in numbers], value_type)
    return format(plain(number), "f")


class _Part(NamedTuple):
    number: Decimal
    suppressed: bool


def _rows(sql, params, *, plan_for_all=False):
    """The rows of `sql`, fetched in chunks through a server-side cursor inside a
    transaction, where PostgreSQL hands them over as they come (outside one, Django
    declares the cursor WITH HOLD, and PostgreSQL first copies the whole result).

    PostgreSQL plans a cursor for its first tenth of rows (`cursor_tuple_fraction`).
    `plan_for_all` plans it for all of them (for the rest of this transaction): for one
    indicator's values in unit order the early plan walks the municipalities by key and
    scans the indicator's values once for each, several times the cost of one sort."""
    with transaction.atomic():
        if plan_for_all and connection.vendor == "postgresql":
            with connection.cursor() as setting:
                setting.execute("SET LOCAL cursor_tuple_fraction = 1")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(CHUNK_SIZE):
                yield from rows
                if len(rows) < CHUNK_SIZE:
                    break  # the last chunk: no round trip to hear that nothing follows


def _units(indicator, rounds, days, *, geometry=False):
    """The indicator's spatial units with their figures on `days`, unit by unit. A figure
    is written as its row is read; a second delivery's figure for the same unit and date
    (rare) merges with the ones before."""
    rounds = None if rounds is None else _ids(rounds)
    params = [indicator.pk, Review.APPROVED, *(rounds or [])]
    position = {day: n for n, day in enumerate(days)}
    iso = {day: day.isoformat() for day in days}  # validity dates join them as they come
    columns = len(days)
    unit = space = municipality = day = None
    numbers, hidden = [], False
    for (
        row_municipality,
        row_space,
        key,
        name,
        level,
        ags,
        start,
        end,
        shape,
        row_day,
        number,
        row_hidden,
    ) in _rows(_units_sql(rounds, geometry=geometry), params, plan_for_all=True):
        if row_space != space or row_municipality != municipality:
            if unit is not None:
                yield unit
            municipality, space = row_municipality, row_space
            if start is not None:
                start = iso.get(start) or iso.setdefault(start, _date(start).isoformat())
            if end is not None:
                end = iso.get(end) or iso.setdefault(end, _date(end).isoformat())
            unit = Unit(key, name, level, ags, start, end, shape, [None] * columns, [])
        elif row_day == day:
            numbers.append(number)
            hidden = hidden or row_hidden
            at = position[_date(day)]
            if hidden:  # suppressed if any part is
                unit.figures[at] = None
                if not unit.suppressed or unit.suppressed[-1] != iso[_date(day)]:
                    unit.suppressed.append(iso[_date(day)])
            else:
                unit.figures[at] = _merged(numbers, indicator.value_type)
            continue
        day, numbers, hidden = row_day, [number], row_hidden
        if hidden:
            unit.suppressed.append(iso[_date(day)])
        else:  # `plain` as text: "1234.5000" -> "1234.5", "300.0000" -> "300"
            unit.figures[position[_date(day)]] = (
                number.rstrip("0").rstrip(".") if "." in number else number
            )
    if unit is not None:
        yield unit


# The reference dates of the rounds (of `{rounds}`) with an approved value of the indicator.
_DATES_SQL = """
SELECT DISTINCT r.reference_date FROM {round} r
WHERE EXISTS (
    SELECT 1 FROM {value} v JOIN {delivery} d ON d.id = v.response_id
    WHERE d.round_id = r.id AND d.review = %s AND v.indicator_id = %s AND v.number IS NOT NULL
) {rounds}
"""


def reference_dates(indicator, rounds=None) -> list:
    """The reference dates with approved values of the indicator, in order: the columns.
    Each round is asked whether it has one, in SQL written out: the query is asked for
    every file, and the ORM takes longer to put it together than the database to answer."""
    rounds = None if rounds is None else _ids(rounds)
    sql = _DATES_SQL.format(
        round=Round._meta.db_table,
        value=Value._meta.db_table,
        delivery=Delivery._meta.db_table,
        rounds=_among("r.id", rounds),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Review.APPROVED, indicator.pk, *(rounds or [])])
        return sorted(_date(day) for (day,) in cursor.fetchall())


def _date_key(day) -> str:
    return f"{DATE_PREFIX}{day.isoformat()}"


# --- KomMonitor: CSV ------------------------------------------------------------------------


# What makes csv.writer quote a cell (QUOTE_MINIMAL, ";" between cells, CRLF line ends).
_CSV_QUOTED = re.compile('[;"\r\n]')
# A text written as it is: no formula start (`defuse`), nothing csv.writer would quote.
_CSV_AS_IS = re.compile(f'(?![{re.escape("".join(FORMULA_STARTS))}])[^;"\r\n]*')


def _csv_text(text: str) -> str:
    """A text cell, defused, as csv.writer writes it: in quotes (each quote doubled) where
    it holds the separator, a quote or a line break."""
    if _CSV_AS_IS.fullmatch(text):
        return text
    text = defuse(text)
    if _CSV_QUOTED.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def kommonitor_csv_chunks(*, indicator, rounds=None):
    """The CSV as pieces of bytes: UTF-8, ";" between cells, numbers with a decimal point
    (as the importer reads them), text a spreadsheet would run defused. Each line is put
    together by hand the way csv.writer writes it (csv.writer took longer than reading the
    rows): only the texts (keys and names) can need quotes; dates, levels and figures never
    do."""
    days = reference_dates(indicator, rounds)
    header = ["ID", "NAME", "validStartDate", "validEndDate", "AGS", "LEVEL"]
    lines = [CSV_SEPARATOR.join([*header, *(_date_key(day) for day in days), "SUPPRESSED"])]
    ags_cells = {}  # a municipality's key repeats on each of its units: written once
    as_is = _CSV_AS_IS.fullmatch  # most texts are written as they are: no call for them
    for unit in _units(indicator, rounds, days):
        ags = unit.ags or ""
        if (ags_cell := ags_cells.get(ags)) is None:
            ags_cell = ags_cells[ags] = _csv_text(ags)
        key, name, figures = unit.key, unit.name, ";".join([f or "" for f in unit.figures])
        lines.append(
            f"{key if as_is(key) else _csv_text(key)};"
            f"{name if as_is(name) else _csv_text(name)};{unit.valid_from or ''};"
            f"{unit.valid_until or ''};{ags_cell};{unit.level};{figures};"
            f"{' '.join(unit.suppressed)}"
        )
        if len(lines) >= ROWS_PER_CHUNK:
            yield ("\r\n".join(lines) + "\r\n").encode()
            lines = []
    if lines:
        yield ("\r\n".join(lines) + "\r\n").encode()


def write_kommonitor_csv(stream, *, indicator, rounds=None):
    """Write the indicator's approved values to `stream` (binary) in KomMonitor's table
    format: one row per spatial unit, one `DATE_…` column per reference date."""
    for chunk in kommonitor_csv_chunks(indicator=indicator, rounds=rounds):
        stream.write(chunk)


# --- KomMonitor: GeoJSON --------------------------------------------------------------------

# A boundary is read as the text PostgreSQL gives for it, which is what json.dumps writes for
# the same object (same separators, key order, escapes and digits: json.dumps stored it),
# except for a number below 1e-4, which Python writes in exponent notation and PostgreSQL
# in full ("0.00001"): a boundary with one of those is decoded and written anew.
_SMALL_NUMBER = "0.0000"


def _geometry_json(text):
    if text is None:
        return "null"
    if _SMALL_NUMBER in text:
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _json_text(text):
    return "null" if text is None else encode_basestring(text)


def _json_number(figure):
    """A figure (plain text) as json.dumps writes the number: whole as int, else as float."""
    if figure is None:
        return "null"
    return repr(float(figure)) if "." in figure else figure


def _feature(unit, date_keys) -> str:
    """The unit as json.dumps wrote its feature, put together from its parts."""
    figures = "".join(
        f", {key}: {_json_number(figure)}"
        for key, figure in zip(date_keys, unit.figures, strict=True)
    )
    suppressed = ", ".join(f'"{day}"' for day in unit.suppressed)
    return (
        f'{{"type": "Feature", "geometry": {_geometry_json(unit.geometry)}, "properties": '
        f'{{"ID": {_json_text(unit.key)}, "NAME": {_json_text(unit.name)}, '
        f'"validStartDate": {_json_text(unit.valid_from)}, '
        f'"validEndDate": {_json_text(unit.valid_until)}, "AGS": {_json_text(unit.ags)}, '
        f'"LEVEL": {_json_text(unit.level)}{figures}, "SUPPRESSED": [{suppressed}]}}}}'
    )


def kommonitor_geojson_chunks(*, indicator, rounds=None):
    """The GeoJSON FeatureCollection as pieces of bytes."""
    days = reference_dates(indicator, rounds)
    date_keys = [encode_basestring(_date_key(day)) for day in days]
    head = {"type": "FeatureCollection", "name": indicator.code}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n').encode()
    pieces = []
    for number, unit in enumerate(_units(indicator, rounds, days, geometry=True)):
        text = _feature(unit, date_keys)
        pieces.append(text if number == 0 else ",\n" + text)
        if len(pieces) >= ROWS_PER_CHUNK:
            yield "".join(pieces).encode()
            pieces = []
    pieces.append("\n]}\n")
    yield "".join(pieces).encode()


def write_kommonitor_geojson(stream, *, indicator, rounds=None):
    """Write the indicator's approved values to `stream` (binary) as a GeoJSON
    FeatureCollection for KomMonitor: one feature per spatial unit with its boundary."""
    for chunk in kommonitor_geojson_chunks(indicator=indicator, rounds=rounds):
        stream.write(chunk)


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_header():
    return [
        _("Reference date"),
        _("Indicator"),
        _("Municipality (AGS)"),
        _("Municipality"),
        _("Key"),
        _("Space"),
        _("Level"),
        _("Valid from"),
        _("Valid until"),
        _("Value"),
        _("Note"),
        _("Supplier"),
    ]


# Every approved value with its unit and supplier, in `approved_values`' order, each
# column as the sheet holds it: dates as Excel's day numbers, the number as text.
_XLSX_SQL = """
SELECT r.reference_date, i.code, o.ags, o.name, s.key, s.name, s.level, s.valid_from,
       s.valid_until, CAST(v.number AS TEXT), v.suppressed, supplier.name
FROM {value} v
JOIN {delivery} d ON d.id = v.response_id
JOIN {round} r ON r.id = d.round_id
JOIN {indicator} i ON i.id = v.indicator_id
JOIN {organisation} o ON o.id = v.municipality_id
LEFT JOIN {space} s ON s.id = v.space_id
JOIN {organisation} supplier ON supplier.id = d.organisation_id
WHERE v.number IS NOT NULL AND d.review = %s {rounds} {indicators}
ORDER BY i.code, o.ags, v.municipality_id, s.key NULLS LAST, s.valid_from, v.space_id,
         r.reference_date, supplier.name
"""


def _xlsx_sql(rounds, indicators):
    return _XLSX_SQL.format(
        value=Value._meta.db_table,
        delivery=Delivery._meta.db_table,
        round=Round._meta.db_table,
        indicator=Indicator._meta.db_table,
        organisation=Organisation._meta.db_table,
        space=Space._meta.db_table,
        rounds=_among("d.round_id", rounds),
        indicators=_among("v.indicator_id", indicators),
    )


def xlsx_xml_rows(*, rounds=None, indicators=None):
    """The sheet's rows after the header as XML, one per approved value and supplier
    (`spreadsheets.write_xlsx_xml`): what `write_xlsx_rows` wrote for the rows of
    `approved_values`, numbers as numbers, a suppressed value empty with its note, each
    text a text cell. The columns' types are known, so each row is one string put
    together, with each repeated text escaped once."""
    rounds = None if rounds is None else _ids(rounds)
    indicators = None if indicators is None else _ids(indicators)
    params = [Review.APPROVED, *(rounds or []), *(indicators or [])]
    text = XmlText()
    known = text.known  # looked up inline: a call per cell costs as much as the rest of it
    days = {}

    def excel(day):
        # Excel's day number; the few dates of a round repeat in every row.
        serial = days.get(day)
        if serial is None:
            if len(days) >= 4096:
                days.clear()
            serial = days[day] = excel_day(_date(day))
        return serial

    whole = text(_("municipality as a whole"))
    note = text(_("suppressed (small number)"))
    style = DATE_STYLE
    n = 1
    # The cursor's early plan (not `plan_for_all`) sorts the values indicator by indicator
    # in memory; planned for all rows, PostgreSQL sorts the whole round at once, on disk.
    for (
        day,
        code,
        ags,
        municipality,
        key,
        space,
        level,
        start,
        end,
        number,
        hidden,
        by,
    ) in _rows(_xlsx_sql(rounds, indicators), params):
        n += 1
        r = str(n)
        key = key or ags
        level = level or "municipality"
        # A cell's text is never empty, so `known.get(…) or text(…)` only calls on a miss.
        yield "".join(
            (
                f'<row r="{r}"><c r="A{r}" s="{style}"><v>{days.get(day) or excel(day)}</v></c>',
                f'<c r="B{r}"{known.get(code) or text(code)}</c>' if code else "",
                f'<c r="C{r}"{known.get(ags) or text(ags)}</c>' if ags else "",
                f'<c r="D{r}"{known.get(municipality) or text(municipality)}</c>'
                if municipality
                else "",
                f'<c r="E{r}"{known.get(key) or text(key)}</c>' if key else "",
                f'<c r="F{r}"{(known.get(space) or text(space)) if space else whole}</c>',
                f'<c r="G{r}"{known.get(level) or text(level)}</c>',
                ""
                if start is None
                else f'<c r="H{r}" s="{style}"><v>{days.get(start) or excel(start)}</v></c>',
                ""
                if end is None
                else f'<c r="I{r}" s="{style}"><v>{days.get(end) or excel(end)}</v></c>',
                f'<c r="K{r}"{note}</c>'
                if hidden
                # `plain` as text: "1234.5000" -> "1234.5", "300.0000" -> "300"
                else f'<c r="J{r}"><v>'
                f"{number.rstrip('0').rstrip('.') if '.' in number else number}</v></c>",
                f'<c r="L{r}"{known.get(by) or text(by)}</c></row>' if by else "</row>",
            )
        )


def write_xlsx(stream, *, rounds=None, indicators=None):
    """Write the approved values to `stream` (binary, seekable or not) as an XLSX workbook,
    text cells as text (never a formula)."""
    write_xlsx_xml(
        xlsx_header(),
        xlsx_xml_rows(rounds=rounds, indicators=indicators),
        stream,
        sheet_title=_("Values"),
    )


# --- downloads, for the pages and the API alike ------------------------------------------------

EXPORT = "approved monitoring values"  # the security log's name of these exports
FILE_BLOCK = 64 * 1024


def _attachment(response, filename):
    response["X-Content-Type-Options"] = "nosniff"
    return private_download(response, filename, export=EXPORT)


def kommonitor_download(request, indicator, *, file_format):
    """The indicator's approved values for KomMonitor as a streamed `.csv` or `.geojson`."""
    if file_format == "geojson":
        chunks, content_type = kommonitor_geojson_chunks(indicator=indicator), GEOJSON_CONTENT_TYPE
    else:
        chunks, content_type = kommonitor_csv_chunks(indicator=indicator), CSV_CONTENT_TYPE
    response = StreamingHttpResponse(streamed(request, chunks), content_type=content_type)
    return _attachment(response, f"kommonitor-{indicator.code}.{file_format}")


def xlsx_download(request, round_):
    """The round's approved values as XLSX, built in a temporary file (a ZIP needs its end
    to write its directory) and streamed from there."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response once sent
    try:
        write_xlsx(file, rounds=[round_])
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    if isinstance(request, ASGIRequest):
        response.streaming_content = streamed(request, iter(lambda: file.read(FILE_BLOCK), b""))
    return _attachment(response, f"werte-{round_.reference_date.isoformat()}.xlsx")
