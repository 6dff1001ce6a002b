"""What each question kind accepts, stores and shows (see `Question` for `config`).

`clean_answer` is idempotent: a stored value passes again unchanged, so answers can be
re-checked when a response moves to a new version. It never enforces `required`; that is
checked on submission with `is_answered`, so drafts can be saved piece by piece.
"""

import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.uploads import CONTENT_CHECKS

TEXT_LIMITS = {"short_text": 500, "long_text": 10000}
FILE_TYPES = ("pdf", "xlsx", "csv", "docx", "odt")
FILE_KEYS = {"name": str, "size": int, "content_type": str, "storage_key": str}
INTEGER_RE = re.compile(r"[+-]?[0-9]+")
# One separator only: "1.234,5" is ambiguous and refused rather than guessed.
DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
GERMAN_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
YES_NO = {"yes": True, "ja": True, "true": True, "1": True}
YES_NO |= {"no": False, "nein": False, "false": False, "0": False}


def _is_empty(value):
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def _error(message, code="invalid", **params):
    return ValidationError(message, code=code, params=params or None)


def _invalid():
    # Only a forged or broken request gets here; the forms never send such shapes.
    return _error(_("This answer has an invalid format."))


def _labels(options):
    return {option["value"]: option.get("label") or option["value"] for option in options}


def _short(value):
    return Truncator(str(value)).chars(60)


def _for_kind(kind, table):
    if kind not in table:
        raise ValueError(f"Unknown question kind {kind!r}")
    return table[kind]


# --- cleaning: each cleaner takes (config, raw) with a raw value that is not empty ----------


def _clean_text(raw, max_length):
    if not isinstance(raw, str):
        raise _invalid()
    value = raw.replace("\r\n", "\n").strip()
    if "\x00" in value:
        raise _error(_("The text contains a character that is not allowed."), "null")
    if len(value) > max_length:
        message = _("Enter at most %(max)s characters (it has %(length)s).")
        raise _error(message, "max_length", max=max_length, length=len(value))
    return value or None


def _check_range(value, config):
    low, high = config.get("min"), config.get("max")
    if low is not None and value < Decimal(str(low)):
        message = _("The value must be at least %(min)s.")
        raise _error(message, "min_value", min=formats.number_format(Decimal(str(low))))
    if high is not None and value > Decimal(str(high)):
        message = _("The value must be at most %(max)s.")
        raise _error(message, "max_value", max=formats.number_format(Decimal(str(high))))
    return value


def _clean_integer(config, raw):
    value = None
    if isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and len(raw) < 100 and INTEGER_RE.fullmatch(raw.strip()):
        value = int(raw.strip())
    if value is None:
        raise _error(_("Enter a whole number."))
    return _check_range(value, config)


def _clean_decimal(config, raw):
    places = int(config.get("decimal_places", 2))
    number = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = Decimal(str(raw))
    elif isinstance(raw, str) and DECIMAL_RE.fullmatch(raw.strip()):
        number = Decimal(raw.strip().replace(",", "."))
    try:
        if number is None or not number.is_finite():
            raise InvalidOperation
        exact = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        raise _error(_("Enter a number.")) from None
    # Refused rather than rounded: "12,345" may well mean twelve thousand.
    if exact != number and places == 0:
        raise _error(_("Enter a whole number."), "decimal_places")
    if exact != number:
        message = ngettext(
            "Enter a number with at most %(places)s decimal place.",
            "Enter a number with at most %(places)s decimal places.",
            places,
        )
        raise _error(message, "decimal_places", places=places)
    _check_range(exact, config)
    return str(abs(exact) if exact == 0 else exact)  # no "-0.00"


def _clean_choice(offered, raw):
    if not isinstance(raw, str):
        raise _invalid()
    if raw not in offered:
        message = _("“%(value)s” is not one of the offered choices.")
        raise _error(message, "invalid_choice", value=_short(raw))
    return raw


def _clean_other(config, raw):
    other = _clean_text(raw if raw is not None else "", TEXT_LIMITS["short_text"])
    if other and not config.get("allow_other"):
        raise _error(_("This question does not accept answers of your own."), "other")
    return other


def _clean_single_choice(config, raw):
    if isinstance(raw, dict) and set(raw) == {"other"}:
        other = _clean_other(config, raw["other"])
        return {"other": other} if other else None
    if isinstance(raw, dict):
        if set(raw) != {"choice"}:
            raise _invalid()
        raw = raw["choice"]
        if _is_empty(raw):
            return None
    return _clean_choice(_labels(config.get("choices", [])), raw)


def _clean_multiple_choice(config, raw):
    other = None
    if isinstance(raw, dict):
        if not set(raw) <= {"choices", "other"}:
            raise _invalid()
        other = _clean_other(config, raw.get("other"))
        raw = raw.get("choices", [])
    if not isinstance(raw, list):
        raise _invalid()
    offered = _labels(config.get("choices", []))
    values = sorted({_clean_choice(offered, value) for value in raw if value != ""})
    count = len(values) + bool(other)
    low, high = config.get("min_selected"), config.get("max_selected")
    if count and low is not None and count < low:
        message = ngettext(
            "Choose at least %(min)s option.", "Choose at least %(min)s options.", low
        )
        raise _error(message, "min_selected", min=low)
    if high is not None and count > high:
        message = ngettext(
            "Choose at most %(max)s option.", "Choose at most %(max)s options.", high
        )
        raise _error(message, "max_selected", max=high)
    if other:
        return {"choices": values, "other": other}
    return values or None


def _clean_yes_no(config, raw):
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in YES_NO:
        return YES_NO[raw.strip().lower()]
    raise _error(_("Choose yes or no."))


def _clean_scale(config, raw):
    low, high = int(config.get("min", 1)), int(config.get("max", 5))
    try:
        return _clean_integer({"min": low, "max": high}, raw)
    except ValidationError:
        raise _error(_("Choose a value from %(min)s to %(max)s."), min=low, max=high) from None


def _clean_date(config, raw):
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw.isoformat()
    text = raw.strip() if isinstance(raw, str) else ""
    if match := ISO_DATE_RE.fullmatch(text):
        year, month, day = match.groups()
    elif match := GERMAN_DATE_RE.fullmatch(text):
        day, month, year = match.groups()
    if match:
        try:
            return datetime.date(int(year), int(month), int(day)).isoformat()
        except ValueError:  # 31.02. and the like
            pass
    raise _error(_("Enter a valid date."))


def _clean_matrix(config, raw):
    if not isinstance(raw, dict):
        raise _invalid()
    rows, columns = _labels(config.get("rows", [])), _labels(config.get("columns", []))
    value = {}
    for row, column in raw.items():
        if row not in rows:
            raise _error(_("“%(value)s” is not one of the rows."), "invalid_row", value=_short(row))
        if _is_empty(column):
            continue
        if not isinstance(column, str) or column not in columns:
            message = _("“%(value)s” is not one of the columns.")
            raise _error(message, "invalid_column", value=_short(column))
        value[row] = column
    return {row: value[row] for row in rows if row in value} or None


def _clean_table(config, raw):
    if not isinstance(raw, list):
        raise _invalid()
    columns = config.get("columns", [])
    keys = {column["key"] for column in columns}
    rows, errors = [], []
    for number, cells in enumerate(raw, start=1):  # numbered as the respondent sees them
        if not isinstance(cells, dict):
            raise _invalid()
        if unknown := sorted(map(str, set(cells) - keys)):
            message = _("“%(value)s” is not one of the table’s columns.")
            raise _error(message, "invalid_column", value=_short(unknown[0]))
        if all(_is_empty(cell) for cell in cells.values()):
            continue  # the blank row a form offers for adding one
        row = dict.fromkeys(column["key"] for column in columns)
        for column in columns:
            key, label = column["key"], column.get("label") or column["key"]
            cleaner = _for_kind(column.get("kind", "short_text"), CELL_CLEANERS)
            try:
                if not _is_empty(cells.get(key)):
                    row[key] = cleaner(column, cells[key])
                elif column.get("required"):
                    message = _("Row %(row)s: “%(column)s” is required.")
                    errors.append(_error(message, "required_cell", row=number, column=label))
            except ValidationError as error:
                message = _("Row %(row)s, “%(column)s”: %(error)s")
                text = " ".join(error.messages)
                errors.append(_error(message, "invalid_cell", row=number, column=label, error=text))
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    limit = int(config.get("max_rows", 100))
    if len(rows) > limit:
        message = ngettext("Enter at most %(max)s row.", "Enter at most %(max)s rows.", limit)
        raise _error(message, "max_rows", max=limit)
    return rows or None


def _allowed_type(config, name):
    allowed = [kind for kind in (config.get("types") or FILE_TYPES) if kind in FILE_TYPES]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        message = _("Upload a file of one of these types: %(types)s.")
        raise _error(message, "file_type", types=", ".join(allowed))
    return extension


def _check_size(config, size):
    limit = config.get("max_size_mb", 10)
    if size > limit * 1024 * 1024:
        raise _error(_("The file is larger than %(max)s MB."), "file_size", max=limit)


def _clean_file(config, raw):
    if not isinstance(raw, dict) or set(raw) != set(FILE_KEYS):
        raise _invalid()
    for key, expected in FILE_KEYS.items():
        if not isinstance(raw[key], expected) or isinstance(raw[key], bool):
            raise _invalid()
    if not raw["name"] or "\x00" in raw["name"] or not raw["storage_key"] or raw["size"] < 0:
        raise _invalid()
    _check_size(config, raw["size"])
    _allowed_type(config, raw["name"])
    return {key: raw[key] for key in FILE_KEYS}


def _text_cleaner(kind):
    return lambda config, raw: _clean_text(raw, config.get("max_length", TEXT_LIMITS[kind]))


CELL_CLEANERS = {
    "short_text": _text_cleaner("short_text"),
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "date": _clean_date,
}
CLEANERS = CELL_CLEANERS | {
    "long_text": _text_cleaner("long_text"),
    "single_choice": _clean_single_choice,
    "multiple_choice": _clean_multiple_choice,
    "yes_no": _clean_yes_no,
    "scale": _clean_scale,
    "matrix": _clean_matrix,
    "table": _clean_table,
    "file": _clean_file,
}


def clean_answer(question, raw):
    """The value to store for `raw`, None for no answer; ValidationError when invalid."""
    cleaner = _for_kind(question.kind, CLEANERS)
    return None if _is_empty(raw) else cleaner(question.config or {}, raw)


# --- uploads ---------------------------------------------------------------------------------
# The same content checks as every other upload (participation/uploads.py): the first bytes,
# and for the office formats the package's table of contents.


def check_upload(question, name, head_bytes, size, *, file=None):
    """Check an upload's size, name and content (its first HEAD_BYTES bytes and, for a
    ZIP-based office type, the package in `file`); return its type ("pdf", "xlsx", …) or
    raise ValidationError. `file` (the head alone when not given) is left at the start."""
    config = question.config or {}
    _check_size(config, size)
    if not size or not head_bytes:
        raise _error(_("The file is empty."), "empty")
    file_type = _allowed_type(config, name)
    file = file or io.BytesIO(head_bytes)
    matches = CONTENT_CHECKS[file_type](head_bytes, file)
    file.seek(0)
    if not matches:
        message = _("The content of this file does not match its type (%(type)s).")
        raise _error(message, "file_content", type=file_type.upper())
    return file_type


# --- conditions and display ------------------------------------------------------------------


def has_value(value):
    """Whether anything is stored: what tables show as an answer (`display_value` is not
    empty)."""
    return not _is_empty(value)


def is_answered(question, value):
    """Whether a stored value counts as an answer; a matrix counts once every row has one."""
    if question.kind == "matrix" and not _is_empty(value):
        return all(row in value for row in _labels((question.config or {}).get("rows", [])))
    return not _is_empty(value)


def is_visible(question, answers_by_key):
    """Whether the question's condition holds. Callers pass only the answers of visible
    questions, so a condition on a hidden question is false."""
    condition = question.condition
    if not condition:
        return True
    answer, expected = answers_by_key.get(condition.get("question")), condition.get("equals")
    if isinstance(answer, dict) and "choices" in answer:
        answer = answer["choices"]
    if _is_empty(answer):
        return False
    if isinstance(answer, list):
        return expected in answer
    if isinstance(answer, bool) and isinstance(expected, str):
        expected = YES_NO.get(expected.strip().lower())  # "yes"/"ja" written for yes/no
    return answer == expected


def visible_in_order(questions, answers):
    """The one visibility rule: of `questions` (in the order the respondent meets them),
    those shown given `answers` keyed by question key. A condition sees only the answers of
    questions shown before it, so a question hidden by its condition hides its dependents."""
    shown = {}
    visible = []
    for question in questions:
        if is_visible(question, shown):
            visible.append(question)
            if question.key in answers:
                shown[question.key] = answers[question.key]
    return visible


def _display_number(config, value):
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        text = str(value)  # what number_format gives a whole number, many times faster
    else:
        text = formats.number_format(Decimal(str(value)))
    return f"{text} {config['unit']}" if config.get("unit") else text


def _display_choices(config, value):
    labels = _labels(config.get("choices", []))
    chosen = [value] if isinstance(value, str) else value
    other = None
    if isinstance(value, dict):
        chosen, other = value.get("choices", []), value.get("other")
    shown = [label for choice, label in labels.items() if choice in chosen]
    shown += [choice for choice in chosen if choice not in labels]  # from an older version
    if other:
        shown.append(_("Other: %(text)s") % {"text": other})
    return ", ".join(shown)


def _display_scale(config, value):
    label = None
    if value == config.get("min", 1):
        label = config.get("min_label")
    elif value == config.get("max", 5):
        label = config.get("max_label")
    return f"{value} ({label})" if label else str(value)


def _display_matrix(config, value):
    rows, columns = _labels(config.get("rows", [])), _labels(config.get("columns", []))
    ordered = [row for row in rows if row in value] + [row for row in value if row not in rows]
    return "; ".join(
        f"{rows.get(row, row)}: {columns.get(value[row], value[row])}" for row in ordered
    )


def _display_table(config, value):
    def cell(column, row):
        kind, cell_value = column.get("kind", "short_text"), row.get(column["key"])
        return "–" if _is_empty(cell_value) else DISPLAY[kind](column, cell_value)

    columns = config.get("columns", [])
    return " | ".join(", ".join(cell(column, row) for column in columns) for row in value)


DISPLAY = {
    "short_text": lambda config, value: value,
    "long_text": lambda config, value: value,
    "integer": _display_number,
    "decimal": _display_number,
    "single_choice": _display_choices,
    "multiple_choice": _display_choices,
    "yes_no": lambda config, value: _("Yes") if value else _("No"),
    "scale": _display_scale,
    "date": lambda config, value: formats.date_format(
        datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT"
    ),
    "matrix": _display_matrix,
    "table": _display_table,
    "file": lambda config, value: value["name"],
}


def display_value(question, value):
    """The stored value as text for tables and exports ("" when unanswered)."""
    display = _for_kind(question.kind, DISPLAY)
    return "" if _is_empty(value) else display(question.config or {}, value)
