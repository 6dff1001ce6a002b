"""Exports of all responses to a survey's current version, as CSV (for German Excel) or XLSX.

Two layouts, both produced as a stream of rows so memory does not grow with the number of
organisations: the database is read in chunks, CSV is written while it is read, XLSX goes
to a temporary file through `spreadsheets.write_xlsx`, row by row.

- "wide": one row per organisation of the audience (name, AGS, status, submitted), then one
  column per question; a matrix has one column per row, a table one per table column
  (its rows joined with " | ").
- "long": one row per answer and sub-field (matrix row or table column), with who changed
  it last and when.

Numbers (whole, decimal, scale) stay numbers and dates dates; everything else is written as
`display_value` shows it. Text that a spreadsheet would run as a formula is defused.
"""

import dataclasses
import datetime
import json
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.handlers.asgi import ASGIRequest
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participation import spreadsheets
from participation.downloads import private_download, streamed

from .answer_types import DISPLAY, display_value
from .models import Answer, Question, QuestionKind, Response, Survey
from .results import current_questions

LAYOUTS = ("wide", "long")
CHUNK_SIZE = 200  # organisations (wide) per round of queries
LONG_CHUNK_SIZE = 2000  # answers (long) fetched per round trip
FILE_BLOCK = 64 * 1024
NUMBER_KINDS = {QuestionKind.INTEGER, QuestionKind.DECIMAL, QuestionKind.SCALE}
SUB_FIELD_SEPARATOR = " – "
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
MEMO_SIZE = 100  # converted answers remembered per column: few, so memory stays flat
# The stored answer as JSON text: decoded only when not met before (see `Field.converter`).
RAW_VALUE = Cast("value", output_field=TextField())


def _decoded(raw):
    if raw is None:
        return None
    if raw[0] == '"' and "\\" not in raw:
        return raw[1:-1]  # a JSON string without escapes is its text as it stands
    return json.loads(raw)


class _LastDecoded:
    """Decodes stored answers, keeping the last one: a table's columns ask for the same
    answer one after another, and it is decoded once. One per table and export."""

    def __init__(self):
        self.raw = self.value = None

    def __call__(self, raw):
        if raw is not self.raw:
            self.raw, self.value = raw, _decoded(raw)
        return self.value


def _text(value):
    """A text answer's cell, as `_typed` gives it."""
    if isinstance(value, str):
        return value if value.strip() else None
    return None if value in (None, [], {}) else value


def _labels(options):
    return {option["value"]: option.get("label") or option["value"] for option in options}


def _typed(question, value):
    """The cell value of a whole answer: a number, a date, or its text."""
    if value in (None, "", [], {}):
        return None
    if question.kind in NUMBER_KINDS:
        return value if isinstance(value, int) else Decimal(str(value))
    if question.kind == QuestionKind.DATE:
        return datetime.date.fromisoformat(value)
    return display_value(question, value)


def _table_column_text(column, value, display=None):
    """One table column across the answer's rows, as " | "-joined cells; `display` shows a
    cell (`_cell_display`)."""
    if not value:
        return None
    display, key = display or _cell_display(column), column["key"]

    def cell(row):
        content = row.get(key)
        return "–" if content in (None, "") else display(content)

    return " | ".join(cell(row) for row in value)


def _cell_display(column):
    """How a table column shows one cell, remembering up to MEMO_SIZE cells (a table
    column's numbers and dates repeat, and formatting them is slow)."""
    display, memo = DISPLAY[column.get("kind", "short_text")], {}

    def shown(content):
        try:
            return memo[type(content), content]
        except KeyError:
            text = str(display(column, content))
            if len(memo) < MEMO_SIZE:
                memo[type(content), content] = text
            return text
        except TypeError:
            return str(display(column, content))

    return shown


@dataclass(frozen=True)
class Field:
    """One column of the wide layout, one sub-field of the long layout: a whole question, a
    matrix row (`matrix_columns` names its answers) or a table column (`table_column`)."""

    question: Question
    sub_key: str | None = None
    sub_label: str = ""
    matrix_columns: dict | None = None
    table_column: dict | None = None
    table_decoder: _LastDecoded | None = dataclasses.field(default=None, compare=False)

    @property
    def header(self):
        header = f"{self.question.key}: {self.question.text}"
        return f"{header}{SUB_FIELD_SEPARATOR}{self.sub_label}" if self.sub_key else header

    def converter(self):
        """`value` as a function of the answer's stored JSON text, remembering what it has
        converted: the same answers (a choice, a number, a date) come back in many rows,
        and each is decoded and formatted once. At most MEMO_SIZE of them per column, so
        memory stays flat; text and tables, different in most rows, are not remembered."""
        if self.table_column is not None:
            column, display = self.table_column, _cell_display(self.table_column)
            decoded = self.table_decoder
            return lambda raw: _table_column_text(column, decoded(raw), display)
        if self.sub_key is None and self.question.kind in TEXT_KINDS:
            return lambda raw: _text(_decoded(raw))  # mostly different in every row
        memo, value = {}, self.value

        def convert(raw):
            if raw is None:
                return None
            try:
                return memo[raw]
            except KeyError:
                converted = value(json.loads(raw))
                if len(memo) < MEMO_SIZE:
                    memo[raw] = converted
                return converted

        return convert

    def value(self, stored):
        if self.sub_key is None:
            return _typed(self.question, stored)
        if not stored:
            return None
        if self.matrix_columns is not None:
            chosen = stored.get(self.sub_key)
            return self.matrix_columns.get(chosen, chosen) if chosen else None
        return _table_column_text(self.table_column, stored)


def fields_of(question: Question) -> list[Field]:
    config = question.config or {}
    if question.kind == QuestionKind.MATRIX:
        columns = _labels(config.get("columns", []))
        return [
            Field(question, row, label, matrix_columns=columns)
            for row, label in _labels(config.get("rows", [])).items()
        ]
    if question.kind == QuestionKind.TABLE:
        decoder = _LastDecoded()
        return [
            Field(
                question,
                column["key"],
                column.get("label") or column["key"],
                table_column=column,
                table_decoder=decoder,
            )
            for column in config.get("columns", [])
        ]
    return [Field(question)]


def _status_label(status):
    return str(Response.Status(status).label) if status else _("Not started")


def _batches(iterable, size):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def wide_rows(survey: Survey, *, chunk_size=CHUNK_SIZE):
    """The header, then one row per organisation of the audience, by name. Three queries
    per `chunk_size` organisations (organisations, responses, answers), one for questions."""
    version = survey.current_version
    fields = [field for question in current_questions(version) for field in fields_of(question)]
    yield [
        _("Organisation"),
        _("AGS"),
        _("Status"),
        _("Submitted"),
        *(field.header for field in fields),
    ]
    columns = [(field.question.pk, field.converter()) for field in fields]
    statuses = {}
    organisations = (
        survey.audience.order_by("name", "pk")
        .values_list("pk", "name", "ags")
        .iterator(chunk_size=chunk_size)
    )
    for batch in _batches(organisations, chunk_size):
        ids = [pk for pk, _name, _ags in batch]
        responses = {
            organisation_id: (status, submitted_at)
            for organisation_id, status, submitted_at in Response.objects.filter(
                survey=survey, organisation__in=ids
            ).values_list("organisation_id", "status", "submitted_at")
        }
        answers = {}
        for organisation_id, question_id, value in Answer.objects.filter(
            response__survey=survey,
            response__organisation__in=ids,
            question__section__version=version,
        ).values_list("response__organisation_id", "question_id", RAW_VALUE):
            answers.setdefault(organisation_id, {})[question_id] = value
        for pk, name, ags in batch:
            status, submitted_at = responses.get(pk, (None, None))
            if status not in statuses:
                statuses[status] = _status_label(status)
            given = answers.get(pk, {})
            yield [
                name,
                ags,
                statuses[status],
                submitted_at,
                *[convert(given.get(question_id)) for question_id, convert in columns],
            ]


def _person_name(title, first_name, last_name, email):
    return " ".join(part for part in (title, first_name, last_name) if part) or email


def long_rows(survey: Survey, *, chunk_size=LONG_CHUNK_SIZE):
    """The header, then one row per answer (per sub-field for a matrix or table), by
    organisation and question order. Two queries: questions, then the answers in chunks."""
    version = survey.current_version
    questions = current_questions(version)
    fields = {
        question.pk: [(field, field.converter()) for field in fields_of(question)]
        for question in questions
    }
    yield [
        _("Organisation"),
        _("AGS"),
        _("Question key"),
        _("Question"),
        _("Sub-field"),
        _("Answer"),
        _("Last changed by"),
        _("Last changed"),
    ]
    answers = (
        Answer.objects.filter(
            response__survey=survey,
            response__organisation__in=survey.audience.values("pk"),
            question__section__version=version,
        )
        .order_by(
            "response__organisation__name",
            "response__organisation__pk",
            "question__section__position",
            "question__section__pk",
            "question__position",
            "question__pk",
        )
        .values_list(
            "response__organisation__name",
            "response__organisation__ags",
            "question_id",
            RAW_VALUE,
            "updated_by__person__title",
            "updated_by__person__first_name",
            "updated_by__person__last_name",
            "updated_by__email",
            "updated_at",
        )
        .iterator(chunk_size=chunk_size)
    )
    for name, ags, question_id, value, *person, updated_at in answers:
        changed_by = _person_name(*person) if any(person) else None
        for field, convert in fields[question_id]:
            question = field.question
            yield [
                name,
                ags,
                question.key,
                question.text,
                field.sub_label or None,
                convert(value),
                changed_by,
                updated_at,
            ]


def rows_for(survey: Survey, layout: str):
    return wide_rows(survey) if layout == "wide" else long_rows(survey)


def filename(survey: Survey, layout: str, extension: str, *, today=None) -> str:
    """`<title-slug>-<layout>-<YYYY-MM-DD>.<extension>`"""
    today = today or timezone.localdate()
    slug = slugify(survey.title)[:60].strip("-") or f"survey-{survey.pk}"
    return f"{slug}-{layout}-{today.isoformat()}.{extension}"


# --- CSV ---------------------------------------------------------------------------------------


def download(request, survey: Survey, *, layout: str, file_format: str):
    """The export of `survey` as a streamed download, for the web page and the API alike.
    `request` is Django's, for it tells whether the server runs under ASGI. Names of
    officials and unpublished answers: no cache may keep a copy."""
    rows = rows_for(survey, layout)
    name = filename(survey, layout, file_format)
    if file_format == "csv":
        chunks = spreadsheets.csv_chunks(rows)
        response = StreamingHttpResponse(
            streamed(request, chunks), content_type="text/csv; charset=utf-8"
        )
        return private_download(response, name, export="survey responses")
    # Deleted when closed; the response closes it once sent, so no `with` here.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        spreadsheets.write_xlsx(rows, file, sheet_title=_("Responses"))
    except BaseException:
        file.close()
        raise
    file.seek(0)
    response = FileResponse(file, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    if isinstance(request, ASGIRequest):
        blocks = iter(lambda: file.read(FILE_BLOCK), b"")
        response.streaming_content = streamed(request, blocks)
    return private_download(response, name, export="survey responses")
