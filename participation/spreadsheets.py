"""Tables as files for spreadsheets, for every feature that exports: CSV for German Excel,
streamed, and XLSX. Text a spreadsheet would run as a formula is defused: in CSV, which
knows no types, by a leading apostrophe; in XLSX by writing it as an explicit text cell,
which no spreadsheet runs, so the cell holds exactly what was typed."""

import codecs
import csv
import datetime
import io
import re
from decimal import Decimal

from django.utils import formats, timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from .documents.archive import fixed_zip

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_ROWS_PER_CHUNK = 100  # rows per piece of the HTTP stream
XLSX_CELL_LIMIT = 32767
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """Text as a spreadsheet shows it from a CSV file but never runs it: a leading ' where
    it would start a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written, so csv.writer yields lines one by one."""

    def write(self, value):
        return value


class _CsvCells:
    """Turns typed values into the text German Excel reads back as the same type. Dates
    repeat a lot in an export, so each is formatted once."""

    def __init__(self):
        self.decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
        self.dates = {}

    def __call__(self, value):
        if value is None:
            return ""
        if isinstance(value, str):
            return defuse(value)
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            if value not in self.dates:
                self.dates[value] = formats.date_format(value, "SHORT_DATE_FORMAT")
            return self.dates[value]
        if isinstance(value, Decimal):
            # The decimal comma German Excel reads as a number; no thousands separator.
            return f"{value:f}".replace(".", self.decimal_separator)
        return str(value)


def csv_chunks(rows):
    """Encode rows for German Excel: UTF-8 with a byte order mark, ";" between cells,
    CRLF line ends. Yields bytes every CSV_ROWS_PER_CHUNK rows."""
    writer = csv.writer(_Echo(), delimiter=";")
    cell = _CsvCells()
    yield codecs.BOM_UTF8
    lines = []
    for row in rows:
        lines.append(writer.writerow([cell(value) for value in row]))
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


def csv_bytes(rows) -> bytes:
    """The whole CSV file at once, for small tables."""
    return b"".join(csv_chunks(rows))


# --- XLSX --------------------------------------------------------------------------------------


def xlsx_value(value):
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return text if len(text) <= XLSX_CELL_LIMIT else text[: XLSX_CELL_LIMIT - 1] + "…"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel knows no time zones
    return value


def xlsx_cell(sheet, value) -> Cell:
    """A cell for `sheet.append`. Text is always a text cell: openpyxl would otherwise store
    text starting with "=" as a formula."""
    cell = Cell(sheet, row=1, column=1, value=xlsx_value(value))  # placed by append
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_xlsx(rows, file, *, sheet_title):
    """Write rows (the first one the header, in bold) to `file` as an XLSX workbook.
    The write-only workbook keeps rows on disk, not in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    rows = iter(rows)
    header = [xlsx_cell(sheet, title) for title in next(rows)]
    bold = Font(bold=True)
    for cell in header:
        cell.font = bold
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    workbook.save(file)


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def xlsx_bytes(workbook, *, title, created) -> bytes:
    """`workbook` as XLSX bytes that are the same for the same content: no author, the
    record's date `created` for created and modified (openpyxl would write the clock's),
    and one fixed timestamp per ZIP entry."""
    workbook.properties.creator = ""
    workbook.properties.title = title
    stamp = timezone.localtime(created, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    saved = io.BytesIO()
    workbook.save(saved)
    return fixed_zip(
        saved.getvalue(),
        replace={
            "docProps/core.xml": lambda xml: _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", xml)
        },
    )
