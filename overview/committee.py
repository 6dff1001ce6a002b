"""The committee report (Vorlage an den Ausschuss): the parts every installed app gives for a
period, and the report built from them as PDF, DOCX and XLSX, in German.

An app contributes through a module `<app>.report` with `summary(*, start, end)` (the
contract is `participation.report`). The modules are found through the app registry
(`participation.hooks.app_modules`), as `sections.home_modules` finds `<app>.home`: the
overview imports no feature app by name, and a later app (consultations) adds its part
without touching this module.

The files carry the period's last day as their date, never the clock's, so the same records
and period give byte-identical files."""

import datetime
from dataclasses import dataclass
from functools import cache

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from participation.charts import Bar, bar_chart
from participation.documents import pdf, word
from participation.hooks import app_modules
from participation.report import ReportPart
from participation.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes, xlsx_cell

REPORT_LANGUAGE = "de"
LANGUAGE_TAG = "de-DE"
FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "pdf": pdf.CONTENT_TYPE,
    "docx": word.CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}


class PeriodError(ValueError):
    """The period is empty or inverted; the message says what to change."""


def check_period(start, end):
    if start is None or end is None:
        raise PeriodError(_("Enter both the first and the last day of the period."))
    if end < start:
        raise PeriodError(_("The last day of the period must not be before the first day."))


@cache
def report_modules():
    """The `report` modules of the installed apps that give a `summary`, in app order
    (`app_modules`)."""
    return tuple(
        module
        for _config, module in app_modules("report")
        if callable(getattr(module, "summary", None))
    )


def collect_parts(start, end) -> list[ReportPart]:
    """Every app's parts for the period, ordered by `order`, then `key`."""
    parts = []
    for module in report_modules():
        parts.extend(module.summary(start=start, end=end))
    return sorted(parts, key=lambda part: (part.order, part.key))


@dataclass
class ReportContent:
    title: str
    period: str
    start: datetime.date
    end: datetime.date
    parts: list[ReportPart]

    @property
    def created(self):
        return timezone.make_aware(datetime.datetime.combine(self.end, datetime.time(12)))


def _date(value):
    return formats.date_format(value, "d.m.Y")


def report_content(start, end) -> ReportContent:
    """The report's content, read once, in the report's language."""
    check_period(start, end)
    with translation.override(REPORT_LANGUAGE):
        period = _("%(start)s to %(end)s") % {"start": _date(start), "end": _date(end)}
        return ReportContent(
            title=_("Report to the committee: participation work from %(period)s")
            % {"period": period},
            period=period,
            start=start,
            end=end,
            parts=collect_parts(start, end),
        )


# --- the files ------------------------------------------------------------------------------


def _drawn(chart):
    return bar_chart([Bar(bar.label, bar.count) for bar in chart.bars])


def build_pdf(content: ReportContent) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        parts = [
            (
                part,
                [
                    (chart, _drawn(chart), f"chart-{part.key}-{number}")
                    for number, chart in enumerate(part.charts, start=1)
                ],
            )
            for part in content.parts
        ]
        return pdf.render_pdf(
            "overview/committee_report_document.html",
            {"content": content, "parts": parts},
            created=content.created,
        )


def build_docx(content: ReportContent) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        document = word.new_document(
            title=content.title,
            language=LANGUAGE_TAG,
            created=content.created,
            subject=_("Report to the committee"),
        )
        word.add_heading(document, content.title, 0)
        word.add_facts(document, [(_("Period"), content.period)])
        for part in content.parts:
            word.add_heading(document, part.heading, 1)
            for paragraph in part.paragraphs:
                word.add_paragraph(document, paragraph)
            for chart in part.charts:
                word.add_heading(document, chart.title, 2)
                word.add_paragraph(document, chart.text)
                word.add_table(
                    document,
                    [_("Label"), _("Number")],
                    [[bar.label, bar.count] for bar in chart.bars],
                )
            for table in part.tables:
                word.add_heading(document, table.caption, 2)
                if table.rows:
                    word.add_table(document, table.header, table.rows)
                else:
                    word.add_paragraph(document, _("None in this period."))
        return word.to_bytes(document)


def _sheet_title(table, taken):
    base = (table.sheet or table.caption)[:31]
    for char in "[]:*?/\\":
        base = base.replace(char, " ")
    title, number = base, 2
    while title in taken:
        suffix = f" {number}"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title)
    return title


def build_xlsx(content: ReportContent) -> bytes:
    """Every table of the report on a sheet of its own, its caption above the header; the
    numeric columns as numbers."""
    with translation.override(REPORT_LANGUAGE):
        workbook = Workbook(write_only=True)
        taken = set()
        bold = Font(bold=True)
        for part in content.parts:
            for table in part.tables:
                sheet = workbook.create_sheet(title=_sheet_title(table, taken))
                caption = xlsx_cell(sheet, f"{part.heading}: {table.caption}")
                caption.font = bold
                sheet.append([caption])
                header = [xlsx_cell(sheet, title) for title in table.header]
                for cell in header:
                    cell.font = bold
                sheet.append(header)
                for row in table.rows:
                    sheet.append([xlsx_cell(sheet, value) for value in row])
        return xlsx_bytes(workbook, title=content.title, created=content.created)


BUILDERS = {"pdf": build_pdf, "docx": build_docx, "xlsx": build_xlsx}


def filename(start, end, file_format):
    return f"bericht-ausschuss_{start.isoformat()}_{end.isoformat()}.{file_format}"
