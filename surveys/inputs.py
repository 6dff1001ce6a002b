"""The form inputs of each question kind: their names, what a POST of them hands to
`clean_answer`, and what the input templates (`surveys/inputs/<kind>.html`) show.

Every control of a question is named from `field_name(question)` ("q-<key>") and its id
starts with "id_" + that name, so a page can hold many questions. What the inputs show
round-trips: posting them unchanged gives `clean_answer` a raw value that cleans to the
same stored value. The templates also accept a raw value from `raw_from_post`, so a
rejected or conflicting entry can be shown again as it was typed.
"""

import re

from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from .answer_types import FILE_TYPES, TEXT_LIMITS, YES_NO

OTHER = "__other__"  # the value of the "Other" radio button or checkbox
EXTRA_TABLE_ROWS = 2  # empty rows offered for adding; more appear after saving
DEFAULT_MAX_ROWS = 100  # as clean_answer
# Rows posted beyond max_rows are still read, so clean_answer refuses them instead of
# them being cut off silently; the slack bounds what a forged row count can make us read.
TABLE_ROW_SLACK = 5
DEFAULT_MAX_FILE_MB = 10  # as clean_answer
STORED_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# Radio buttons cannot be unchecked, so these kinds offer a button that clears the answer.
CLEARABLE_KINDS = {"single_choice", "yes_no", "scale"}
SINGLE_VALUE_KINDS = {"short_text", "long_text", "integer", "decimal", "yes_no", "scale", "date"}
CELL_INPUTS = {  # table column kind -> (input type, inputmode)
    "short_text": ("text", ""),
    "integer": ("text", "numeric"),
    "decimal": ("text", "decimal"),
    "date": ("date", ""),
}


def field_name(question):
    """The name of a question's input; the prefix of the names of all its inputs."""
    return f"q-{question.key}"


def other_name(name):
    return f"{name}-other"


def other_shown_name(name):
    """Hidden marker: the "Other" checkbox was shown checked (see `_multiple_choice_raw`)."""
    return f"{name}-other-shown"


def clear_name(name):
    """The "Clear answer" button: posting it empties the question, whatever its inputs hold."""
    return f"{name}-clear"


def matrix_row_name(name, row_value):
    return f"{name}-row-{row_value}"


def table_rows_name(name):
    return f"{name}-rows"


def table_cell_name(name, index, column_key):
    return f"{name}-{index}-{column_key}"


# --- from a POST to the raw value ------------------------------------------------------------


def _single_choice_raw(config, name, data):
    choice = data.get(name)
    if not config.get("allow_other"):
        return choice  # a forged OTHER is refused by clean_answer as not offered
    other = data.get(other_name(name), "")
    # Text typed without choosing "Other" still counts: the autosave may have redrawn the
    # question (unchecking an "Other" saved without text) before the text was typed.
    if choice == OTHER or (not choice and other.strip()):
        return {"other": other}
    return choice


def _multiple_choice_raw(config, name, data):
    chosen = data.getlist(name)
    if not config.get("allow_other"):
        return chosen
    choices = [choice for choice in chosen if choice != OTHER]
    other = data.get(other_name(name), "")
    # As with single choice, text typed next to an unchecked "Other" counts, unless the box
    # was shown checked: then the respondent unchecked it to drop the answer.
    was_checked = data.get(other_shown_name(name)) == "1"
    if OTHER in chosen or (other.strip() and not was_checked):
        return {"choices": choices, "other": other}
    return choices


def _matrix_raw(config, name, data):
    value = {}
    for row in config.get("rows", []):
        column = data.get(matrix_row_name(name, row["value"]))
        if column:
            value[row["value"]] = column
    return value


def _table_raw(config, name, data):
    try:
        count = int(data.get(table_rows_name(name), ""))
    except ValueError:
        count = 0
    limit = int(config.get("max_rows", DEFAULT_MAX_ROWS)) + TABLE_ROW_SLACK
    count = max(0, min(count, limit))
    keys = [column["key"] for column in config.get("columns", [])]
    return [
        {key: data.get(table_cell_name(name, index, key), "") for key in keys}
        for index in range(count)
    ]


def raw_from_post(question, data):
    """The raw value for `clean_answer` from a QueryDict holding the question's inputs.

    Files are not read here (the upload view stores them): None for file questions, which
    must therefore never be saved from this value.
    """
    name, config = field_name(question), question.config or {}
    if question.kind in CLEARABLE_KINDS and data.get(clear_name(name)):
        return None
    if question.kind in SINGLE_VALUE_KINDS:
        return data.get(name)
    readers = {
        "single_choice": _single_choice_raw,
        "multiple_choice": _multiple_choice_raw,
        "matrix": _matrix_raw,
        "table": _table_raw,
        "file": lambda config, name, data: None,
    }
    if question.kind not in readers:
        raise ValueError(f"Unknown question kind {question.kind!r}")
    return readers[question.kind](config, name, data)


# --- from a value to what the inputs show ----------------------------------------------------


def _shown(kind, value):
    if value is None:
        return ""
    if kind == "decimal" and isinstance(value, str) and STORED_DECIMAL_RE.fullmatch(value):
        # "3.50" is shown as "3,50" in German; clean_answer reads either separator.
        return value.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return str(value)


def value_for_display_in_input(question, value):
    """The text a single-value input shows for a stored (or raw) value."""
    return _shown(question.kind, value)


def _labels(options):
    return [(option["value"], option.get("label") or option["value"]) for option in options]


def _options(base_id, pairs, checked):
    return [
        {"id": f"{base_id}_{index}", "value": value, "label": label, "checked": value in checked}
        for index, (value, label) in enumerate(pairs)
    ]


def _text_context(question, config, value, ids):
    limit = config.get("max_length", TEXT_LIMITS[question.kind])
    return {"shown": _shown(question.kind, value), "max_length": limit}


def _number_context(question, config, value, ids):
    unit = config.get("unit", "")
    if unit:
        ids.append(f"id_{field_name(question)}_unit")
    inputmode = "numeric" if question.kind == "integer" else "decimal"
    if question.kind == "decimal" and int(config.get("decimal_places", 2)) == 0:
        inputmode = "numeric"
    return {"shown": _shown(question.kind, value), "unit": unit, "inputmode": inputmode}


def _date_context(question, config, value, ids):
    return {"shown": _shown("date", value)}


def _choice_context(question, config, value, ids):
    base_id = f"id_{field_name(question)}"
    chosen, other = set(), ""
    if isinstance(value, str):
        chosen = {value}
    elif isinstance(value, list):
        chosen = {choice for choice in value if isinstance(choice, str)}
    elif isinstance(value, dict):
        picked = value.get("choice", value.get("choices", []))
        chosen = {picked} if isinstance(picked, str) else set(picked or [])
        other = value.get("other") or ""
    context = {"options": _options(base_id, _labels(config.get("choices", [])), chosen)}
    if config.get("allow_other"):
        context["other"] = {
            "value": OTHER,
            "choice_id": f"{base_id}_other_choice",
            "text_id": f"{base_id}_other",
            "name": other_name(field_name(question)),
            "shown_name": other_shown_name(field_name(question)),
            "shown_id": f"{base_id}_other_shown",
            "checked": bool(other) or OTHER in chosen,
            "text": other if isinstance(other, str) else "",
        }
    return context


def _yes_no_context(question, config, value, ids):
    if isinstance(value, str):
        value = YES_NO.get(value.strip().lower())
    checked = {"yes"} if value is True else {"no"} if value is False else set()
    pairs = [("yes", _("Yes")), ("no", _("No"))]
    return {"options": _options(f"id_{field_name(question)}", pairs, checked)}


def _scale_context(question, config, value, ids):
    low, high = int(config.get("min", 1)), int(config.get("max", 5))
    options = _options(
        f"id_{field_name(question)}",
        [(str(number), str(number)) for number in range(low, high + 1)],
        {str(value).strip()} if value is not None else set(),
    )
    if options:
        options[0]["end_label"] = config.get("min_label", "")
        options[-1]["end_label"] = config.get("max_label", "")
    return {"options": options}


def _matrix_context(question, config, value, ids):
    name, base_id = field_name(question), f"id_{field_name(question)}"
    value = value if isinstance(value, dict) else {}
    columns = _labels(config.get("columns", []))
    rows = []
    for row_index, (row, row_label) in enumerate(_labels(config.get("rows", []))):
        cells = _options(f"{base_id}_{row_index}", columns, {value.get(row)})
        rows.append({"label": row_label, "name": matrix_row_name(name, row), "cells": cells})
    return {"columns": [label for _value, label in columns], "rows": rows}


def _table_context(question, config, value, ids):
    name, base_id = field_name(question), f"id_{field_name(question)}"
    stored = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
    max_rows = int(config.get("max_rows", DEFAULT_MAX_ROWS))
    count = len(stored) + max(0, min(EXTRA_TABLE_ROWS, max_rows - len(stored)))
    columns = []
    for column in config.get("columns", []):
        kind = column.get("kind", "short_text")
        input_type, inputmode = CELL_INPUTS.get(kind, CELL_INPUTS["short_text"])
        label = column.get("label") or column["key"]
        columns.append(
            {
                **column,
                "kind": kind,
                "label": label,
                "input_type": input_type,
                "inputmode": inputmode,
            }
        )
    rows = []
    for index in range(count):
        cells = stored[index] if index < len(stored) else {}
        rows.append(
            {
                "number": index + 1,
                "cells": [
                    {
                        "column": column,
                        "name": table_cell_name(name, index, column["key"]),
                        "id": f"{base_id}_{index}_{column_index}",
                        "shown": _shown(column["kind"], cells.get(column["key"])),
                    }
                    for column_index, column in enumerate(columns)
                ],
            }
        )
    ids.append(f"{base_id}_hint")
    return {
        "columns": columns,
        "rows": rows,
        "rows_name": table_rows_name(name),
        "rows_id": f"{base_id}_rows",
        "body_id": f"{base_id}_body",
        "row_count": count,
        "max_rows": max_rows,
    }


def _file_context(question, config, value, ids, response=None):
    base_id = f"id_{field_name(question)}"
    types = [kind for kind in (config.get("types") or FILE_TYPES) if kind in FILE_TYPES]
    ids.append(f"{base_id}_types")
    context = {
        "accept": ",".join(f".{kind}" for kind in types),
        "types": ", ".join(kind.upper() for kind in types),
        "max_size_mb": config.get("max_size_mb", DEFAULT_MAX_FILE_MB),
        "file_name": "",
        "file_url": "",
    }
    if isinstance(value, dict) and value.get("name"):
        context["file_name"] = value["name"]
        ids.append(f"{base_id}_current")
        if response is not None and response.pk:
            try:  # the download view is optional: without it the name is shown unlinked
                url = reverse("surveys:answer_file", args=[response.pk, question.key])
            except NoReverseMatch:
                url = ""
            context["file_url"] = url
    return context


KIND_CONTEXTS = {
    "short_text": _text_context,
    "long_text": _text_context,
    "integer": _number_context,
    "decimal": _number_context,
    "date": _date_context,
    "single_choice": _choice_context,
    "multiple_choice": _choice_context,
    "yes_no": _yes_no_context,
    "scale": _scale_context,
    "matrix": _matrix_context,
    "table": _table_context,
    "file": _file_context,
}
GROUPED_KINDS = {"single_choice", "multiple_choice", "yes_no", "scale", "matrix", "table"}


def input_context(question, value, *, disabled=False, error="", autofocus=False, response=None):
    """The context of `surveys/inputs/<kind>.html` for one question.

    `error` (the message, shown by the caller in the element with id "<name>-error")
    marks the inputs invalid and points them at it; `autofocus` puts the focus on its first
    input when the page loads (the first refused entry of a section saved without JavaScript).
    """
    if question.kind not in KIND_CONTEXTS:
        raise ValueError(f"Unknown question kind {question.kind!r}")
    name = field_name(question)
    config = question.config or {}
    described = [f"id_{name}_help"] if question.help_text else []
    if error:
        described.append(f"{name}-error")
    if question.kind == "file":
        extra = _file_context(question, config, value, described, response=response)
    else:
        extra = KIND_CONTEXTS[question.kind](question, config, value, described)
    return {
        "question": question,
        "value": value,
        "name": name,
        "id": f"id_{name}",
        "help_id": f"id_{name}_help",
        "describedby": " ".join(described),
        "disabled": bool(disabled),
        "required": question.required,
        "error": error,
        "autofocus": bool(autofocus) and not disabled,
        "grouped": question.kind in GROUPED_KINDS,
        **extra,
    }


def refresh_context(question, value, data):
    """After an autosave that leaves the respondent's inputs in place (they may be typing in
    another of them), the parts of `input_context` that follow the stored `value` and must
    be updated around them: a table gains the empty rows a reload would show (`new_rows`,
    after the rows `data` posted), and a multiple choice's "Other" marker follows whether
    "Other" is saved checked."""
    context = input_context(question, value)
    context["new_rows"] = []
    if question.kind == "table":
        try:
            posted = int(data.get(table_rows_name(field_name(question)), ""))
        except ValueError:
            posted = -1
        context["new_rows"] = context["rows"][posted:] if posted >= 0 else []
    return context
