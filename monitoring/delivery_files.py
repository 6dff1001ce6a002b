"""A delivery as a file: the template a supplier downloads (CSV for German Excel or XLSX), fills
in and uploads again.

The template is long: one row per asked cell of the delivery's grid, with the current figure
prefilled and the cell's revision in the column "Stand". Its headers are German and fixed;
they (or the machine keys beside them) are what an upload is read by, whatever the page's
language.

An upload is checked as a whole before anything is stored: its type by content, its columns,
and every row (the municipality and space, the indicator, whether the supplier is asked for
that cell, duplicates, the figure's type and range, the comment's length, and the conflict
rule: a figure changed by someone else since the template was made is not overwritten). One
wrong row refuses the file, each error named by row and column. A file without errors is
stored in one transaction through the engine (`values.save_cell`), so every change keeps its
history."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from participation import uploads
from participation.spreadsheets import FORMULA_STARTS, csv_bytes, write_xlsx
from participation.templatetags.accounts import account_name

from . import grid
from .models import Delivery, ValueChange
from .values import Entry, as_stored, parse_number, plain, save_cell, shown

FILE_TYPES = ("csv", "xlsx")
MAX_BYTES = 10 * 1024 * 1024
# An XLSX file is a ZIP: what it may hold unpacked, so a small file cannot unfold into
# gigabytes while it is read.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 200  # listed; the rest are counted
SHEET_TITLE = "Lieferung"


@dataclass(frozen=True)
class Column:
    key: str  # the machine key, also accepted as a header
    header: str  # the German header the template writes
    required: bool = False  # an uploaded file must have it


AGS = Column("ags", "AGS", required=True)
SPACE_KEY = Column("space_key", "Raumschlüssel", required=True)
SPACE = Column("space", "Raum")
INDICATOR = Column("indicator", "Indikator", required=True)
INDICATOR_NAME = Column("indicator_name", "Indikatorname")
UNIT = Column("unit", "Einheit")
REQUIRED = Column("required", "Pflichtangabe")
VALUE = Column("value", "Wert", required=True)
COMMENT = Column("comment", "Kommentar")
REVISION = Column("revision", "Stand")
COLUMNS = (
    AGS,
    SPACE_KEY,
    SPACE,
    INDICATOR,
    INDICATOR_NAME,
    UNIT,
    REQUIRED,
    VALUE,
    COMMENT,
    REVISION,
)
_BY_HEADER = {name.casefold(): column for column in COLUMNS for name in (column.key, column.header)}


# --- errors and the result ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong where: `row` is the spreadsheet's row number (the header is row 1), None
    for the file as a whole; `column` the column's header as in the file, or None."""

    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column is None:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class FileRejected(ValidationError):
    """The file is refused and nothing of it stored; `errors` lists every RowError found."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__([str(error) for error in self.errors], code="file_rejected")


@dataclass
class ImportResult:
    """What an upload stored: cells whose figure or comment changed, and cells the file
    left as they were."""

    changed: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.changed + self.unchanged


# --- the template ---------------------------------------------------------------------------------


def template_rows(delivery):
    """The header and one row per asked cell, current figures prefilled."""
    the_grid = grid.build(delivery)
    stored = grid.stored_values(delivery)
    yield [column.header for column in COLUMNS]
    for row in the_grid.rows:
        for indicator in the_grid.indicators:
            cell = the_grid.cell(row, indicator)
            if cell is None:
                continue
            value = stored.get(cell.key)
            yield [
                row.municipality.ags or "",
                row.space.key if row.space else "",
                row.space.name if row.space else f"{row.municipality.name} (gesamt)",
                indicator.code,
                indicator.name,
                indicator.unit,
                "ja" if cell.required else "nein",
                plain(value.number) if value is not None and value.number is not None else None,
                value.comment if value is not None else "",
                value.revision if value is not None else 0,
            ]


def template_csv(delivery) -> bytes:
    """The template as CSV for German Excel (UTF-8 with BOM, semicolons)."""
    return csv_bytes(template_rows(delivery))


def template_xlsx(delivery) -> bytes:
    """The template as an XLSX workbook; text is written as text cells, never formulas."""
    file = io.BytesIO()
    write_xlsx(template_rows(delivery), file, sheet_title=SHEET_TITLE)
    return file.getvalue()


def template_name(delivery, file_type) -> str:
    organisation = delivery.organisation
    who = organisation.ags or organisation.short_name or str(organisation.pk)
    day = delivery.round.reference_date.isoformat()
    return f"lieferung-{day}-{who}.{file_type}".replace(" ", "-").lower()


# --- reading a file ------------------------------------------------------------------------------


def file_type(uploaded) -> str:
    """The file's type, "csv" or "xlsx", judged by its content; a name's extension must
    agree with it."""
    if uploads.file_type_of(uploaded.name or ""):
        return uploads.check_upload(uploaded, allowed=FILE_TYPES, max_bytes=MAX_BYTES)
    # Without an extension (an API client sending bare bytes) the content alone decides.
    if uploaded.size > MAX_BYTES:
        uploads.check_upload(uploaded, allowed=FILE_TYPES, max_bytes=MAX_BYTES)  # raises
    uploaded.seek(0)
    head = uploaded.read(uploads.HEAD_BYTES)
    uploaded.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    for candidate in FILE_TYPES:
        matches = uploads.CONTENT_CHECKS[candidate](head, uploaded)
        uploaded.seek(0)
        if matches:
            return candidate
    raise ValidationError(
        _("Upload a file of one of these types: %(types)s.") % {"types": "CSV, XLSX"},
        code="file_type",
    )


def _decode(raw: bytes) -> str:
    """Excel on German Windows saves CSV as Windows-1252; everything else sends UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _undefused(text: str) -> str:
    """A CSV cell as it was before the export defused it (the leading ' before a formula)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _csv_rows(raw: bytes):
    try:
        text = _decode(raw)
    except UnicodeDecodeError:
        raise FileRejected(
            [RowError(None, None, _("The file is neither UTF-8 nor Windows-1252 text."))]
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_undefused(cell.strip()) for cell in cells]
    except csv.Error as error:
        raise FileRejected(
            [RowError(None, None, _("The file cannot be read as CSV: %s") % error)]
        ) from None


def _xlsx_text(value) -> str:
    """A cell of a workbook as text the checks read. A number is written with a decimal
    comma, so that parse_number never takes its point for a thousands separator."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            return str(value)
        if number == number.to_integral():
            return str(int(number))
        return format(number.normalize(), "f").replace(".", ",")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(uploaded):
    unreadable = FileRejected([RowError(None, None, _("The XLSX file cannot be read."))])
    try:
        with zipfile.ZipFile(uploaded) as package:
            unpacked = sum(entry.file_size for entry in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected([RowError(None, None, _("The XLSX file holds too much data."))])
    uploaded.seek(0)
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_xlsx_text(value) for value in values]
    finally:
        workbook.close()


@dataclass
class FileRow:
    number: int  # the spreadsheet's row number
    values: dict  # column key → text
    headers: dict  # column key → its header as the file writes it
    extra: bool = False  # text right of the last column


def read_file(uploaded) -> list[FileRow]:
    """The rows of an uploaded CSV or XLSX file, or FileRejected naming what is wrong with the
    file or its header."""
    try:
        kind = file_type(uploaded)
    except ValidationError as error:
        raise FileRejected([RowError(None, None, message) for message in error.messages]) from None
    uploaded.seek(0)
    lines = _csv_rows(uploaded.read()) if kind == "csv" else _xlsx_rows(uploaded)
    header = None
    rows = []
    for number, cells in enumerate(lines, start=1):
        if not any(cells):
            continue  # blank lines, above the header or between rows
        if header is None:
            header = _read_header(cells, number)
            headers = {column.key: text for column, text in header if column}
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(
                [RowError(None, None, _("A file holds at most %d rows.") % MAX_ROWS)]
            )
        row = FileRow(number, {}, headers)
        for index, text in enumerate(cells):
            if index < len(header) and header[index][0] is not None:
                row.values[header[index][0].key] = text
            elif text:
                row.extra = True
        rows.append(row)
    if header is None:
        raise FileRejected([RowError(None, None, _("The file is empty."))])
    if not rows:
        raise FileRejected([RowError(None, None, _("The file holds no rows below the header."))])
    return rows


def _read_header(cells, row_number):
    header, errors, seen = [], [], set()
    for text in cells:
        if not text:
            header.append((None, text))
            continue
        column = _BY_HEADER.get(text.strip().casefold())
        if column is None:
            errors.append(
                RowError(
                    row_number,
                    text,
                    _("Unknown column. The template's columns are: %s.")
                    % ", ".join(c.header for c in COLUMNS),
                )
            )
        elif column.key in seen:
            errors.append(RowError(row_number, text, _("This column appears twice.")))
        else:
            seen.add(column.key)
        header.append((column, text))
    for column in COLUMNS:
        if column.required and column.key not in seen:
            errors.append(RowError(row_number, column.header, _("This column is missing.")))
    if errors:
        raise FileRejected(errors)
    return header


# --- checking and storing -----------------------------------------------------------------


@dataclass
class _Planned:
    row_number: int
    cell: grid.Cell
    entry: Entry
    base_revision: int
    new: object  # the value as stored, None for an empty cell


@dataclass
class _Check:
    delivery: Delivery
    the_grid: grid.Grid
    stored: dict
    errors: list = field(default_factory=list)
    planned: list = field(default_factory=list)
    unchanged: int = 0

    def error(self, row, column, message):
        header = row.headers.get(column.key, column.header) if column else None
        self.errors.append(RowError(row.number, header, message))


def _same(a, b) -> bool:
    """Two stored values alike: the same figure (as a number) and the same comment."""
    if a is None or b is None:
        return a is None and b is None
    number_a, number_b = a.get("number"), b.get("number")
    if (number_a in (None, "")) != (number_b in (None, "")):
        return False
    if number_a not in (None, "") and Decimal(number_a) != Decimal(number_b):
        return False
    return (a.get("comment") or "") == (b.get("comment") or "")


def _normalised_ags(text):
    # Excel drops the leading zero of an AGS it takes for a number.
    return text.zfill(8) if text.isdigit() and len(text) < 8 else text


def _check_rows(check: _Check, rows):
    """Check every row; each row without errors that changes its cell is planned."""
    places = _Places(check)
    seen = {}
    for file_row in rows:
        if file_row.extra:
            check.error(file_row, None, _("The row has more cells than the header has columns."))
        errors_before = len(check.errors)
        place = places.place(file_row)
        indicator = places.indicator(file_row)
        cell = None
        if place is not None and indicator is not None:
            cell = places.cell(file_row, place, indicator, seen)
        planned = _read_entry(check, file_row, indicator, cell)
        if planned is None or len(check.errors) > errors_before:
            continue
        current = check.stored.get(cell.key)
        if _same(current.value if current is not None else None, planned.new):
            check.unchanged += 1
        else:
            check.planned.append(planned)
    _apply_conflict_rule(check)


class _Places:
    """Finds a row's municipality and space, its indicator and so its cell in the grid,
    naming what it cannot find."""

    def __init__(self, check: _Check):
        self.check = check
        self.rows = {
            (row.municipality.ags or "", row.space.key if row.space else ""): row
            for row in check.the_grid.rows
        }
        self.municipalities = {
            row.municipality.ags or "": row.municipality for row in check.the_grid.rows
        }
        self.asked = {indicator.code.casefold() for indicator in check.the_grid.indicators}
        self.indicators = {
            indicator.code.casefold(): indicator
            for indicator in check.delivery.round.indicator_set.indicators.all()
        }

    def place(self, file_row) -> grid.Row | None:
        """The municipality by its AGS, the space by its key (none: the municipality's total)."""
        ags = _normalised_ags(file_row.values.get("ags", "").strip())
        space_key = file_row.values.get("space_key", "").strip()
        if not ags:
            # Without an AGS a space's key alone may do.
            matches = [
                row for (_a, key), row in self.rows.items() if space_key and key == space_key
            ]
            if len(matches) == 1:
                return matches[0]
            self.check.error(file_row, AGS, _("Name the municipality by its AGS."))
            return None
        if ags not in self.municipalities:
            self.check.error(
                file_row,
                AGS,
                _("No municipality with the AGS “%s” is part of this delivery.") % ags,
            )
            return None
        place = self.rows.get((ags, space_key))
        if place is None:
            self.check.error(
                file_row,
                SPACE_KEY,
                _("%(municipality)s has no space with the key “%(key)s” in this round.")
                % {"municipality": self.municipalities[ags].name, "key": space_key},
            )
        return place

    def indicator(self, file_row):
        code = file_row.values.get("indicator", "").strip()
        indicator = self.indicators.get(code.casefold())
        if not code:
            self.check.error(file_row, INDICATOR, _("Name the indicator by its code."))
        elif indicator is None:
            self.check.error(file_row, INDICATOR, _("The round asks for no indicator “%s”.") % code)
        elif code.casefold() not in self.asked:
            self.check.error(
                file_row,
                INDICATOR,
                _("“%(code)s” is not asked of %(supplier)s.")
                % {"code": indicator.code, "supplier": self.check.delivery.organisation.name},
            )
            # Its figure is still checked, so that the row's other errors show too.
        return indicator

    def cell(self, file_row, place, indicator, seen) -> grid.Cell | None:
        cell = self.check.the_grid.cell(place, indicator)
        if cell is None:
            if indicator.code.casefold() in self.asked:
                self.check.error(
                    file_row,
                    INDICATOR,
                    _("“%(indicator)s” is not asked for %(space)s.")
                    % {"indicator": indicator.code, "space": place.label},
                )
            return None
        if cell.key in seen:
            self.check.error(
                file_row,
                INDICATOR,
                _("The figure of “%(indicator)s” for %(space)s is in row %(row)d already.")
                % {"indicator": indicator.code, "space": place.label, "row": seen[cell.key]},
            )
            return None
        seen[cell.key] = file_row.number
        return cell


def _read_entry(check: _Check, file_row, indicator, cell) -> _Planned | None:
    """The row's figure, comment and revision, checked; None when there is no cell."""
    values = file_row.values
    number = None
    if indicator is not None:
        try:
            number = parse_number(values.get("value", ""), indicator)
        except ValidationError as error:
            check.error(file_row, VALUE, " ".join(error.messages))
    stored = check.stored.get(cell.key) if cell else None
    if "comment" in file_row.headers:
        comment = values.get("comment", "")
    else:  # a file without comments leaves them as they are
        comment = stored.comment if stored is not None else ""
    new = None
    try:
        new = as_stored(number, comment)
    except ValidationError as error:
        check.error(file_row, COMMENT, " ".join(error.messages))
    revision_text = values.get("revision", "").strip() or "0"
    if not revision_text.isdigit():
        check.error(
            file_row,
            REVISION,
            _("“%s” is not a revision; keep the template's “Stand”.") % revision_text,
        )
        return None
    if cell is None:
        return None
    entry = Entry(number="" if number is None else format(number, "f"), comment=comment)
    return _Planned(file_row.number, cell, entry, int(revision_text), new)


_UNKNOWN = object()


def _apply_conflict_rule(check: _Check):
    """A figure changed since the template was made (its revision is past the file's "Stand")
    is a conflict when the file's value differs from it; unless the file only repeats what
    the cell held at the file's revision (the row was left as it was): then the newer figure
    stays."""
    stale = {
        check.stored[p.cell.key].pk: p
        for p in check.planned
        if p.cell.key in check.stored and check.stored[p.cell.key].revision != p.base_revision
    }
    if not stale:
        return
    earlier = {
        (change.answer_id, change.revision): change.new_value
        for change in ValueChange.objects.filter(answer_id__in=stale).only(
            "answer_id", "revision", "new_value"
        )
    }
    keep = []
    for planned in check.planned:
        stored = check.stored.get(planned.cell.key)
        if stored is None or stored.revision == planned.base_revision:
            keep.append(planned)
            continue
        if planned.base_revision == 0:
            at_base = None
        else:
            at_base = earlier.get((stored.pk, planned.base_revision), _UNKNOWN)
        if at_base is not _UNKNOWN and _same(at_base, planned.new):
            check.unchanged += 1
            continue
        check.errors.append(
            RowError(
                planned.row_number,
                VALUE.header,
                _(
                    "%(who)s changed this figure since the template was made (now: "
                    "%(number)s, Stand %(revision)d). Download the template again and enter "
                    "your figure there."
                )
                % {
                    "who": account_name(stored.updated_by),
                    "number": shown(stored.number) if stored.number is not None else "–",
                    "revision": stored.revision,
                },
            )
        )
    check.planned = keep


def import_file(delivery, uploaded, *, actor) -> ImportResult:
    """Check every row of `uploaded` (a CSV or XLSX file, e.g. a filled-in template) and, only
    if none is wrong, store all its figures in one transaction. Raises FileRejected (nothing
    stored) listing each error by row and column; a delivery that is locked is refused with
    the reason."""
    _check_editable(delivery)
    rows = read_file(uploaded)
    the_grid = grid.build(delivery)
    with transaction.atomic():
        # Holding the delivery's lock while checking: nobody saves a cell in between.
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        _check_editable(locked)
        check = _Check(delivery, the_grid, grid.stored_values(delivery))
        _check_rows(check, rows)
        if check.errors:
            raise FileRejected(_listed(check.errors))
        for planned in check.planned:
            save_cell(
                delivery,
                planned.cell,
                planned.entry,
                actor=actor,
                base_revision=planned.base_revision,
                whole_form=True,
            )
    return ImportResult(changed=len(check.planned), unchanged=check.unchanged)


def _check_editable(delivery):
    try:
        delivery.check_editable()
    except ValidationError as error:
        raise FileRejected([RowError(None, None, message) for message in error.messages]) from None


def _listed(errors):
    errors = sorted(errors, key=lambda error: error.row or 0)
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS
    return [
        *errors[:MAX_ERRORS],
        RowError(None, None, _("Errors not listed here: %d.") % more),
    ]
