"""The weighing table as files (XLSX, DOCX, PDF), built from the database every time, for
the page and the API alike: one row per organisation and section, and per point of its
statement the administration's response with reasons."""

import io
import itertools

from django.http import HttpResponse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participation import spreadsheets
from participation.documents import pdf, word
from participation.downloads import private_download

from . import weighing
from .models import Position, Reply

FORMATS = ("xlsx", "docx", "pdf")
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}


def header():
    return [
        _("Section"),
        _("Organisation"),
        _("Position"),
        _("Comment"),
        _("Proposed wording"),
        _("Point"),
        _("Response"),
        _("Reasons"),
    ]


def rows(consultation):
    """One row per organisation, section and point (an answer without points: one row),
    from the plain entries: streamed, no model instances."""
    # Labels translated once, not per row.
    replies = {value: str(label) for value, label in Reply.choices}
    positions = {value: str(label) for value, label in Position.choices}
    declined, missing = _("no statement (declared)"), _("no statement received")
    for entry in weighing.plain_entries(consultation):
        if not entry.received:
            text = declined if entry.declined else missing
            yield [entry.section, entry.organisation, text, "", "", "", "", ""]
            continue
        value = entry.value or {}
        base = [
            entry.section,
            entry.organisation,
            positions[value["position"]] if value.get("position") else "",
            value.get("comment", ""),
            value.get("wording", ""),
        ]
        if not entry.points:
            yield [*base, "", "", ""]
        for point in entry.points:
            reply = replies.get(point.reply, point.reply)
            yield [*base, f"{point.number}. {point.text}", reply, point.reasons]


def title(consultation):
    return _("Weighing table: %(title)s") % {"title": consultation.title}


def write_weighing_xlsx(consultation, file):
    """The weighing table as XLSX into `file`, row by row (flat in memory)."""
    spreadsheets.write_xlsx(
        itertools.chain([header()], rows(consultation)), file, sheet_title=_("Weighing table")
    )


def weighing_xlsx(consultation) -> bytes:
    buffer = io.BytesIO()
    write_weighing_xlsx(consultation, buffer)
    return buffer.getvalue()


def weighing_docx(consultation) -> bytes:
    language = LANGUAGE_TAGS.get(translation.get_language() or "de", "de-DE")
    modified = weighing.touch(consultation)
    document = word.new_document(
        title=title(consultation),
        language=language,
        created=consultation.closed_at or modified,
        modified=modified,
    )
    word.add_heading(document, title(consultation), 1)
    for section_rows in weighing.table(consultation):
        word.add_heading(document, str(section_rows.section), 2)
        lines = []
        for entry in section_rows.entries:
            if entry.answer is None:
                lines.append(
                    [entry.organisation.name, weighing.no_statement_text(entry), "", "", ""]
                )
                continue
            points = "\n".join(
                f"{point.number}. {point.text} – {point.get_reply_display() or '–'}"
                + (f": {point.reasons}" if point.reasons else "")
                for point in entry.points
            )
            lines.append(
                [
                    entry.organisation.name,
                    entry.position_label,
                    entry.comment,
                    entry.wording,
                    points,
                ]
            )
        word.add_table(
            document,
            [
                _("Organisation"),
                _("Position"),
                _("Comment"),
                _("Proposed wording"),
                _("Points and responses"),
            ],
            lines,
        )
    return word.to_bytes(document)


def weighing_pdf(consultation) -> bytes:
    modified = weighing.touch(consultation)
    return pdf.render_pdf(
        "consultations/weighing_document.html",
        {
            "title": title(consultation),
            "table": weighing.table(consultation),
        },
        created=consultation.closed_at or modified,
        modified=modified,
    )


CONTENT_TYPES = {
    "xlsx": spreadsheets.XLSX_CONTENT_TYPE,
    "docx": word.CONTENT_TYPE,
    "pdf": pdf.CONTENT_TYPE,
}
BUILDERS = {"xlsx": weighing_xlsx, "docx": weighing_docx, "pdf": weighing_pdf}


def download(consultation, file_format) -> HttpResponse:
    """Raises pdf.PdfUnavailable when PDF files cannot be made on this machine."""
    content = BUILDERS[file_format](consultation)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    name = f"{slugify(_('weighing table'))}-{slugify(consultation.title)}.{file_format}"
    return private_download(response, name, export="consultation weighing table")
