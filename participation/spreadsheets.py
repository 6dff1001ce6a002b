"""Tables as files for spreadsheets, for every feature that exports: CSV for German Excel,
streamed, and XLSX. Text a spreadsheet would run as a formula is defused: in CSV, which
knows no types, by a leading apostrophe; in XLSX by writing it as an explicit text cell,
which no spreadsheet runs, so the cell holds exactly what was typed."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from django.utils import formats, timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter

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
        # Most cells are empty or harmless text, which csv.writer takes as they are.
        cells = [
            value
            if value is None or (type(value) is str and not value.startswith(FORMULA_STARTS))
            else cell(value)
            for value in row
        ]
        lines.append(writer.writerow(cells))
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

    The sheet's XML is written straight into the ZIP entry as the rows come, so memory
    stays flat and each cell costs a few string operations (openpyxl's write-only sheet
    built a cell object, and checked it, for each). Cells are typed as `xlsx_cell` types
    them: text always as a text cell (never a formula), numbers as numbers, dates and
    times as dates in the formats openpyxl gave them; empty cells are left out."""
    rows = iter(rows)
    cells = _XmlCells()
    write_xlsx_xml(
        next(rows, None),
        (cells.row(number, row) for number, row in enumerate(rows, start=2)),
        file,
        sheet_title=sheet_title,
    )


def write_xlsx_xml(header, xml_rows, file, *, sheet_title):
    """Write an XLSX workbook whose rows after the header (a list of values, in bold; None:
    no header) come as the sheet's XML, one `<row>` element each, numbered from 2: for an
    export that knows its columns and writes its rows itself, with `XmlText` for its text
    cells and the styles `DATE_STYLE` for dates (Excel's day numbers, `excel_day`)."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=XLSX_COMPRESSION) as xlsx:
        for name, content in _xlsx_parts(sheet_title[:31]).items():
            xlsx.writestr(name, content)
        with xlsx.open(_SHEET, "w") as sheet:
            sheet.write(_SHEET_START)
            lines = []
            if header is not None:
                lines.append(_XmlCells().row(1, header, bold=True))
            for line in xml_rows:
                lines.append(line)
                if len(lines) >= XLSX_ROWS_PER_WRITE:
                    sheet.write("".join(lines).encode())
                    lines = []
            sheet.write("".join(lines).encode() + _SHEET_END)


XLSX_ROWS_PER_WRITE = 100
# Level 1 is several times faster than zlib's default and makes the file about a fifth
# larger; spreadsheet XML compresses well either way.
XLSX_COMPRESSION = 1
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system
_SECONDS_PER_DAY = 86400
_SHEET = "xl/worksheets/sheet1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_START = f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
_SHEET_END = b"</sheetData></worksheet>"
# Styles by index: 0 plain, 1 bold (the header), 2 date, 3 date and time, 4 and 5 the same
# in bold. The number formats are the ones openpyxl wrote.
_STYLES = f"""{_DECLARATION}<styleSheet xmlns="{_MAIN}">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ h:mm:ss"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" \
applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" \
applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""


def _xlsx_parts(sheet_title):
    title = xml_escape(sheet_title, {'"': "&quot;"})
    office = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": f"""{_DECLARATION}\
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/{_SHEET}" ContentType="{office}.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>\
</Types>""",
        "_rels/.rels": f"""{_DECLARATION}<Relationships xmlns="{_PACKAGE_RELS}">\
<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>""",
        "xl/workbook.xml": f"""{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">\
<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>""",
        "xl/_rels/workbook.xml.rels": f"""{_DECLARATION}<Relationships xmlns="{_PACKAGE_RELS}">\
<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/>\
</Relationships>""",
        "xl/styles.xml": _STYLES,
    }


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# Most text needs neither: one search tells.
_XML_SPECIAL = re.compile(f"[&<>\r]|{ILLEGAL_CHARACTERS_RE.pattern}")


class _XmlCells:
    """A row of typed values as the sheet's XML. Column names and dates, which repeat in
    every row, are worked out once."""

    def __init__(self):
        self.columns = []
        self.dates = {}

    def column(self, index):
        while len(self.columns) <= index:
            self.columns.append(get_column_letter(len(self.columns) + 1))
        return self.columns[index]

    def row(self, number, values, *, bold=False):
        if len(values) > len(self.columns):
            self.column(len(values) - 1)
        columns, style = self.columns, ' s="1"' if bold else ""
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "":  # as openpyxl did: no cell at all
                continue
            kind = type(value)
            if kind is str:
                cells.append(f'<c r="{columns[index]}{number}"{style}{self.text(value)}</c>')
            elif kind is bool:
                cells.append(f'<c r="{columns[index]}{number}"{style} t="b"><v>{value:d}</v></c>')
            elif kind is int or kind is float or kind is Decimal:
                cells.append(f'<c r="{columns[index]}{number}"{style}><v>{value}</v></c>')
            elif isinstance(value, datetime.date):
                serial, date_style = self.serial(value)
                date_style += 2 if bold else 0
                cells.append(
                    f'<c r="{columns[index]}{number}" s="{date_style}"><v>{serial}</v></c>'
                )
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{columns[index]}{number}"{style}><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{columns[index]}{number}"{style}{self.text(str(value))}</c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    @staticmethod
    def text(value):
        """The end of a text cell's opening tag and its content: always an inline text
        cell, which no spreadsheet runs as a formula."""
        if len(value) > XLSX_CELL_LIMIT or _XML_SPECIAL.search(value):
            value = xlsx_value(value).translate(_XML_TEXT)
        return f' t="inlineStr"><is><t xml:space="preserve">{value}</t></is>'

    def serial(self, value):
        """Excel's day number of a date (style 2) or date and time (style 3)."""
        if isinstance(value, datetime.datetime):
            moment = xlsx_value(value)  # local time, as Excel knows no time zones
            delta = moment - _EXCEL_EPOCH
            days = delta.days + (delta.seconds + delta.microseconds / 1e6) / _SECONDS_PER_DAY
            return repr(days), 3
        if value not in self.dates:
            self.dates[value] = (value - _EXCEL_EPOCH.date()).days
        return self.dates[value], 2


DATE_STYLE = 2  # the style of a date cell (`_STYLES`)


def excel_day(day: datetime.date) -> int:
    """Excel's day number of a date, as a date cell holds it."""
    return (day - _EXCEL_EPOCH.date()).days


class XmlText:
    """The end of a text cell's opening tag and its content (`_XmlCells.text`), each text
    worked out once while it repeats: an export's columns repeat their texts row after
    row. At most `size` texts are remembered, so memory stays flat."""

    def __init__(self, size=4096):
        self.size = size
        self.known = {}

    def __call__(self, value: str) -> str:
        cell = self.known.get(value)
        if cell is None:
            if len(self.known) >= self.size:
                self.known.clear()
            cell = self.known[value] = _XmlCells.text(value)
        return cell


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
