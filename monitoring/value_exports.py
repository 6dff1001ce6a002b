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

import csv
import json
import tempfile
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from django.core.handlers.asgi import ASGIRequest
from django.db.models import F
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from participation.downloads import private_download, streamed
from participation.spreadsheets import XLSX_CONTENT_TYPE, defuse
from participation.spreadsheets import write_xlsx as write_xlsx_rows

from .models import Review, Value, ValueType
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


class Unit(NamedTuple):
    """One spatial unit with its approved values: {reference date: (number, suppressed)}."""

    key: str
    name: str
    level: str
    ags: str
    municipality: str
    geometry: dict | None
    valid_from: object
    valid_until: object
    series: dict


def _units(indicator, rounds, *, geometry=False):
    values = _by_unit(_approved(rounds, [indicator]))
    paths = list(_PATHS.values())
    if geometry:
        paths.append("space__geometry")
    rows = (
        (ApprovedValue._make(row[: len(_PATHS)]), row[len(_PATHS)] if geometry else None)
        for row in values.values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
    )
    for (_municipality, _space), unit_rows in groupby(
        rows, key=lambda pair: (pair[0].municipality_id, pair[0].space_id)
    ):
        series = {}
        first = shape = None
        for day, parts in groupby(unit_rows, key=lambda pair: pair[0].reference_date):
            parts = list(parts)
            first, shape = first or parts[0][0], shape or parts[0][1]
            series[day] = merge([value for value, _shape in parts], indicator.value_type)
        is_space = first.space_id is not None
        yield Unit(
            key=first.space_key if is_space else first.ags,
            name=first.space_name if is_space else first.municipality_name,
            level=first.level if is_space else "municipality",
            ags=first.ags,
            municipality=first.municipality_name,
            geometry=shape,
            valid_from=first.valid_from,
            valid_until=first.valid_until,
            series=series,
        )


def reference_dates(indicator, rounds=None) -> list:
    """The reference dates with approved values of the indicator, in order: the columns."""
    return sorted(
        set(
            _approved(rounds, [indicator])
            .values_list("response__round__reference_date", flat=True)
            .distinct()
        )
    )


def _date_key(day) -> str:
    return f"{DATE_PREFIX}{day.isoformat()}"


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _figure(entry):
    """The number for a file, or None: not delivered, or suppressed."""
    if entry is None or entry[1]:
        return None
    return plain(entry[0])


# --- KomMonitor: CSV ------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def kommonitor_csv_chunks(*, indicator, rounds=None):
    """The CSV as pieces of bytes: UTF-8, ";" between cells, numbers with a decimal point
    (as the importer reads them), text a spreadsheet would run defused."""
    days = reference_dates(indicator, rounds)
    writer = csv.writer(_Echo(), delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    header = ["ID", "NAME", "validStartDate", "validEndDate", "AGS", "LEVEL"]
    lines = [writer.writerow([*header, *(_date_key(day) for day in days), "SUPPRESSED"])]
    for unit in _units(indicator, rounds):
        figures = [_figure(unit.series.get(day)) for day in days]
        suppressed = [day.isoformat() for day in days if unit.series.get(day, (0, False))[1]]
        lines.append(
            writer.writerow(
                [
                    defuse(unit.key),
                    defuse(unit.name),
                    _iso(unit.valid_from),
                    _iso(unit.valid_until),
                    defuse(unit.ags or ""),
                    unit.level,
                    *("" if figure is None else format(figure, "f") for figure in figures),
                    " ".join(suppressed),
                ]
            )
        )
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def write_kommonitor_csv(stream, *, indicator, rounds=None):
    """Write the indicator's approved values to `stream` (binary) in KomMonitor's table
    format: one row per spatial unit, one `DATE_…` column per reference date."""
    for chunk in kommonitor_csv_chunks(indicator=indicator, rounds=rounds):
        stream.write(chunk)


# --- KomMonitor: GeoJSON --------------------------------------------------------------------


def _json_number(number):
    if number is None:
        return None
    return int(number) if number == number.to_integral() else float(number)


def _feature(unit, days) -> dict:
    properties = {
        "ID": unit.key,
        "NAME": unit.name,
        "validStartDate": unit.valid_from.isoformat() if unit.valid_from else None,
        "validEndDate": unit.valid_until.isoformat() if unit.valid_until else None,
        "AGS": unit.ags,
        "LEVEL": unit.level,
    }
    for day in days:
        properties[_date_key(day)] = _json_number(_figure(unit.series.get(day)))
    properties["SUPPRESSED"] = [
        day.isoformat() for day in days if unit.series.get(day, (0, False))[1]
    ]
    return {"type": "Feature", "geometry": unit.geometry, "properties": properties}


def kommonitor_geojson_chunks(*, indicator, rounds=None):
    """The GeoJSON FeatureCollection as pieces of bytes."""
    days = reference_dates(indicator, rounds)
    head = {"type": "FeatureCollection", "name": indicator.code}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n').encode()
    pieces = []
    for number, unit in enumerate(_units(indicator, rounds, geometry=True)):
        text = json.dumps(_feature(unit, days), ensure_ascii=False)
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


def xlsx_rows(*, rounds=None, indicators=None):
    """One row per approved value and supplier, the header first; numbers as numbers, a
    suppressed value empty with its note."""
    yield [
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
    for value in approved_values(rounds=rounds, indicators=indicators):
        yield [
            value.reference_date,
            value.indicator_code,
            value.ags or "",
            value.municipality_name,
            value.space_key or value.ags or "",
            value.space_name or _("municipality as a whole"),
            value.level or "municipality",
            value.valid_from,
            value.valid_until,
            None if value.suppressed else plain(value.number),
            _("suppressed (small number)") if value.suppressed else "",
            value.supplier,
        ]


def write_xlsx(stream, *, rounds=None, indicators=None):
    """Write the approved values to `stream` (binary, seekable or not) as an XLSX workbook,
    text cells as text (never a formula)."""
    write_xlsx_rows(
        xlsx_rows(rounds=rounds, indicators=indicators), stream, sheet_title=_("Values")
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
