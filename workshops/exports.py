"""Participants and replies of one workshop as CSV (for German Excel) or XLSX, and the
results of its live session as CSV, for coordinators. A workshop has hundreds of invitees
and entries at most, so the file is built in memory.

Text a spreadsheet would run as a formula is defused; dates stay dates in XLSX."""

import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from participation import spreadsheets
from participation.downloads import private_download
from participation.events.selectors import invitations_of
from participation.models import Reply

from .live.models import ActivityKind
from .live.report import workshop_reports

FORMATS = ("csv", "xlsx")


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


def live_result_rows(workshop):
    """The header, then one row per entry of every activity that was opened, in the
    session's order: per card (with its cluster), per option of a dot vote or poll, per
    question, per value or word of a mood round. Hidden cards and questions are in it,
    marked. Ten queries at most."""
    yield [
        _("Activity"),
        _("Kind"),
        _("Entry"),
        _("Option or cluster"),
        _("Text"),
        _("Category"),
        _("Count"),
        _("Hidden"),
        _("Answered"),
        _("Pinned"),
    ]
    yes, no = _("yes"), _("no")

    def flag(value):
        return yes if value else no

    for report in workshop_reports(workshop, drafts=False):
        activity = report.activity
        start = [activity.title, str(ActivityKind(activity.kind).label)]
        if activity.kind == ActivityKind.CARDS:
            for group in report.clusters:
                for card in group.cards:
                    row = [_("Card"), group.title, card.text, card.category or None, None]
                    yield [*start, *row, flag(card.hidden), None, None]
        elif activity.kind == ActivityKind.QUESTIONS:
            for entry in report.questions:
                question = entry.question
                row = [_("Question"), None, question.text, None, entry.upvotes]
                flags = [flag(question.hidden), flag(question.answered), flag(question.pinned)]
                yield [*start, *row, *flags]
        elif report.words:
            for word in report.words:
                yield [*start, _("Word"), None, word.word, None, word.count, None, None, None]
        else:
            entry = _("Value") if activity.kind == ActivityKind.MOOD else _("Option")
            for option in report.options:
                row = [entry, option.label, None, None, option.count]
                yield [*start, *row, None, None, None]


def filename(workshop, file_format, *, today=None, label=None) -> str:
    """`<title-slug>-<label>-<YYYY-MM-DD>.<format>`; the label defaults to
    "participants"."""
    today = today or timezone.localdate()
    slug = slugify(workshop.title)[:60].strip("-") or f"workshop-{workshop.pk}"
    label = slugify(label or _("participants"))
    return f"{slug}-{label}-{today.isoformat()}.{file_format}"


def xlsx_bytes(table, *, sheet_title) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    table = iter(table)
    sheet.append([spreadsheets.xlsx_cell(sheet, title) for title in next(table)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append([spreadsheets.xlsx_cell(sheet, value) for value in row])
    for column in sheet.iter_cols(min_row=2, max_row=sheet.max_row):
        for cell in column:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participants_download(workshop, file_format) -> HttpResponse:
    """Participants and replies as a CSV or XLSX download, for the web page and the API.
    Names, needs and diets of officials: no cache may keep a copy."""
    table = rows(workshop)
    if file_format == "csv":
        content = spreadsheets.csv_bytes(table)
        content_type = spreadsheets.CSV_CONTENT_TYPE
    else:
        content = xlsx_bytes(table, sheet_title=_("Participants"))
        content_type = spreadsheets.XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    return private_download(
        response, filename(workshop, file_format), export="workshop participants"
    )


def live_results_download(workshop) -> HttpResponse:
    """The live session's results as a CSV download, for the web page and the API. Display
    names and hidden entries: no cache may keep a copy."""
    response = HttpResponse(
        spreadsheets.csv_bytes(live_result_rows(workshop)),
        content_type=spreadsheets.CSV_CONTENT_TYPE,
    )
    return private_download(
        response,
        filename(workshop, "csv", label=_("live results")),
        export="workshop live results",
    )
