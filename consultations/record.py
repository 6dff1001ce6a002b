"""The participation record of a consultation, as evidence: per consulted organisation who
was asked when, the reminders sent, who answered when, who declined ("no statement") or
never answered. A page and a CSV/XLSX file, built from the database every time."""

import io
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participation import spreadsheets
from participation.downloads import private_download

FORMATS = ("csv", "xlsx")


@dataclass
class RecordRow:
    organisation: object
    requests: list  # (person, sent_at)
    reminders: list  # dates
    outcome: str
    answered_at: object
    answered_by: str


def record(consultation) -> list[RecordRow]:
    statements = {
        s.organisation_id: s for s in consultation.statements.select_related("submitted_by__person")
    }
    requests, reminders = {}, {}
    for request in consultation.requests.select_related("person").order_by("sent_at", "pk"):
        requests.setdefault(request.organisation_id, []).append(
            (request.person.full_name, request.sent_at)
        )
    for reminder in consultation.reminders.select_related("person").order_by("sent_on", "pk"):
        dates = reminders.setdefault(reminder.organisation_id, [])
        if reminder.sent_on not in dates:
            dates.append(reminder.sent_on)
    rows = []
    for organisation in consultation.organisations.order_by("name"):
        statement = statements.get(organisation.pk)
        answered = statement is not None and statement.is_released
        if answered and statement.no_statement:
            outcome = _("declined (no statement)")
        elif answered:
            outcome = _("statement released")
        else:
            outcome = _("never answered")
        by = ""
        if answered and statement.submitted_by is not None:
            person = getattr(statement.submitted_by, "person", None)
            by = person.full_name if person else str(statement.submitted_by)
        rows.append(
            RecordRow(
                organisation,
                requests.get(organisation.pk, []),
                reminders.get(organisation.pk, []),
                outcome,
                statement.submitted_at if answered else None,
                by,
            )
        )
    return rows


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def table_rows(consultation):
    yield [
        _("Organisation"),
        _("Asked"),
        _("Reminders"),
        _("Outcome"),
        _("Answered"),
        _("Answered by"),
    ]
    for row in record(consultation):
        yield [
            row.organisation.name,
            "; ".join(f"{person} ({_when(sent)})" for person, sent in row.requests),
            ", ".join(formats.date_format(day, "SHORT_DATE_FORMAT") for day in row.reminders),
            row.outcome,
            row.answered_at,
            row.answered_by,
        ]


def download(consultation, file_format) -> HttpResponse:
    name = f"{slugify(_('participation record'))}-{slugify(consultation.title)}.{file_format}"
    if file_format == "xlsx":
        buffer = io.BytesIO()
        spreadsheets.write_xlsx(
            table_rows(consultation), buffer, sheet_title=_("Participation record")
        )
        response = HttpResponse(buffer.getvalue(), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(
            spreadsheets.csv_chunks(table_rows(consultation)),
            content_type=spreadsheets.CSV_CONTENT_TYPE,
        )
    return private_download(response, name, export="consultation participation record")
