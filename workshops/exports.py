"""Participants and replies of one workshop as CSV (for German Excel) or XLSX, for
coordinators. A workshop has hundreds of invitees at most, so the file is built in memory.

Text a spreadsheet would run as a formula is defused; dates stay dates in XLSX."""

import csv
import datetime
import io

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from participation.invitations import invitations_of
from participation.models import Reply

FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def rows(workshop):
    """The header, then one row per invitation, by name. One query."""
    yield [
        _("Name"),
        _("Organisation"),
        _("E-mail"),
        _("Reply"),
        _("On the waitlist"),
        _("Deputy for"),
        _("Accessibility needs"),
        _("Dietary wishes"),
        _("Checked in"),
    ]
    invitations = (
        invitations_of(workshop)
        .select_related("organisation", "deputy_for")
        .order_by("name", "email")
    )
    yes, no = _("yes"), _("no")
    for invitation in invitations:
        deputy_for = invitation.deputy_for
        yield [
            invitation.name or invitation.email,
            str(invitation.organisation) if invitation.organisation else None,
            invitation.email,
            str(Reply(invitation.reply).label),
            yes if invitation.is_waitlisted else no,
            str(deputy_for) if deputy_for else None,
            invitation.accessibility_needs or None,
            invitation.dietary_wishes or None,
            invitation.checked_in_at,
        ]


def filename(workshop, file_format, *, today=None) -> str:
    """`<title-slug>-participants-<YYYY-MM-DD>.<format>`"""
    today = today or timezone.localdate()
    slug = slugify(workshop.title)[:60].strip("-") or f"workshop-{workshop.pk}"
    label = slugify(_("participants"))
    return f"{slug}-{label}-{today.isoformat()}.{file_format}"


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return defuse(str(value))


def csv_bytes(table) -> bytes:
    """UTF-8 with a byte order mark, ";" between cells, CRLF line ends: what German Excel
    opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in table:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if isinstance(value, str):
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel knows no time zones
    return value


def xlsx_bytes(table, *, sheet_title) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    table = iter(table)
    sheet.append([_xlsx_value(title) for title in next(table)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append([_xlsx_value(value) for value in row])
    for column in sheet.iter_cols(min_row=2, max_row=sheet.max_row):
        for cell in column:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
