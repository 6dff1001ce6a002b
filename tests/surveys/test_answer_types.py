"""Answer types: what each question kind accepts and stores, uploads checked by content,
conditions and the text shown in tables and exports."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.answer_types import (
    check_upload,
    clean_answer,
    display_value,
    is_answered,
    is_visible,
)
from surveys.models import Question

CHOICES = {
    "choices": [
        {"value": "yes", "label": "Ja, eine Stelle"},
        {"value": "planned", "label": "In Planung"},
        {"value": "no", "label": "Nein"},
    ]
}
MATRIX = {
    "rows": [{"value": "youth", "label": "Jugendhilfe"}, {"value": "care", "label": "Pflege"}],
    "columns": [{"value": "good", "label": "gut"}, {"value": "poor", "label": "schlecht"}],
}
TABLE = {
    "columns": [
        {"key": "name", "label": "Einrichtung", "kind": "short_text", "required": True},
        {"key": "places", "label": "Plätze", "kind": "integer"},
        {"key": "rate", "label": "Quote", "kind": "decimal"},
        {"key": "since", "label": "Seit", "kind": "date"},
    ]
}
MB = 1024 * 1024
FILE = {"name": "Bericht.pdf", "size": 2048, "content_type": "application/pdf", "storage_key": "k1"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def question(kind, condition=None, key="q", **config):
    return Question(kind=kind, key=key, config=config, condition=condition)


def error(q, raw):
    with pytest.raises(ValidationError) as info:
        clean_answer(q, raw)
    return " ".join(info.value.messages)


def upload_error(q, name, head, size=None):
    with pytest.raises(ValidationError) as info:
        check_upload(q, name, head, len(head) if size is None else size)
    return " ".join(info.value.messages)


# --- no answer, unknown kinds ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["short_text", "integer", "multiple_choice", "table", "file"])
@pytest.mark.parametrize("raw", [None, "", "   ", [], {}])
def test_clean_answer_empty_input_is_no_answer(kind, raw):
    assert clean_answer(question(kind, **CHOICES, **TABLE), raw) is None


def test_clean_answer_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        clean_answer(question("slider"), "3")
    with pytest.raises(ValueError):
        display_value(question("slider"), "3")


def test_clean_answer_raises_in_german_too():
    with translation.override("de"), pytest.raises(ValidationError):
        clean_answer(question("integer"), "drei")


# --- text -------------------------------------------------------------------------------------


def test_text_is_stripped_with_unified_line_breaks():
    assert clean_answer(question("short_text"), "  Sozialamt  ") == "Sozialamt"
    assert clean_answer(question("long_text"), " Zeile 1\r\nZeile 2\n") == "Zeile 1\nZeile 2"


def test_text_length_limits_are_inclusive():
    assert clean_answer(question("short_text"), "x" * 500) == "x" * 500
    assert error(question("short_text"), "x" * 501) == (
        "Enter at most 500 characters (it has 501)."
    )
    assert clean_answer(question("long_text"), "x" * 10000) == "x" * 10000
    assert "at most 10000 characters" in error(question("long_text"), "x" * 10001)
    assert clean_answer(question("long_text", max_length=20), "x" * 20) == "x" * 20
    assert "at most 20 characters" in error(question("long_text", max_length=20), "x" * 21)


def test_text_with_nul_or_of_wrong_type_is_refused():
    assert error(question("short_text"), "a\x00b") == (
        "The text contains a character that is not allowed."
    )
    assert error(question("short_text"), 42) == "This answer has an invalid format."


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("42", 42), (" -3 ", -3), ("+7", 7), (12, 12), (3.0, 3), ("0", 0)]
)
def test_integer_normalises(raw, expected):
    value = clean_answer(question("integer"), raw)
    assert value == expected and type(value) is int


@pytest.mark.parametrize("raw", ["3,5", "3.5", "1.000", "drei", "١٢", True, 2.5, "9" * 200])
def test_integer_refuses_non_whole_numbers(raw):
    assert error(question("integer"), raw) == "Enter a whole number."


def test_integer_min_and_max_are_inclusive():
    q = question("integer", min=0, max=50)
    assert clean_answer(q, "0") == 0
    assert clean_answer(q, "50") == 50
    assert error(q, "-1") == "The value must be at least 0."
    assert error(q, "51") == "The value must be at most 50."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3,5", "3.50"),
        ("3.5", "3.50"),
        (" 1234,56 ", "1234.56"),
        (",5", "0.50"),
        ("-0", "0.00"),
        (2, "2.00"),
        (1.25, "1.25"),
        ("3.50", "3.50"),
    ],
)
def test_decimal_normalises_to_exact_string(raw, expected):
    assert clean_answer(question("decimal"), raw) == expected


def test_decimal_places_from_config():
    assert clean_answer(question("decimal", decimal_places=1), "7") == "7.0"
    assert clean_answer(question("decimal", decimal_places=0), "7,0") == "7"
    assert error(question("decimal", decimal_places=0), "7,5") == "Enter a whole number."
    assert error(question("decimal", decimal_places=1), "7,25") == (
        "Enter a number with at most 1 decimal place."
    )


def test_decimal_with_more_places_is_refused_not_rounded():
    # In German "12,345" may mean twelve thousand: never silently turn it into 12.35.
    assert error(question("decimal"), "12,345") == "Enter a number with at most 2 decimal places."


@pytest.mark.parametrize(
    "raw", ["abc", "1.234,5", "1e5", "3,5 €", float("nan"), float("inf"), False]
)
def test_decimal_refuses_non_numbers(raw):
    assert error(question("decimal"), raw) == "Enter a number."


def test_decimal_min_and_max_are_inclusive():
    q = question("decimal", min=2.5, max=10)
    assert clean_answer(q, "2,5") == "2.50"
    assert clean_answer(q, "10") == "10.00"
    assert error(q, "2,49") == "The value must be at least 2.5."
    assert error(q, "10,01") == "The value must be at most 10."


# --- choices ----------------------------------------------------------------------------------


def test_single_choice_accepts_offered_values():
    q = question("single_choice", **CHOICES)
    assert clean_answer(q, "planned") == "planned"
    assert clean_answer(q, {"choice": "no"}) == "no"
    assert clean_answer(q, {"choice": ""}) is None


def test_single_choice_refuses_forged_values():
    q = question("single_choice", **CHOICES)
    assert error(q, "maybe") == "“maybe” is not one of the offered choices."
    assert error(q, "Planned") == "“Planned” is not one of the offered choices."
    assert error(q, ["yes"]) == "This answer has an invalid format."
    assert error(q, {"choice": "yes", "other": "x"}) == "This answer has an invalid format."


def test_single_choice_other_only_when_allowed():
    q = question("single_choice", allow_other=True, **CHOICES)
    assert clean_answer(q, {"other": "  Kreisweit geteilt "}) == {"other": "Kreisweit geteilt"}
    assert clean_answer(q, {"other": " "}) is None
    assert error(question("single_choice", **CHOICES), {"other": "x"}) == (
        "This question does not accept answers of your own."
    )


def test_multiple_choice_sorted_unique():
    q = question("multiple_choice", **CHOICES)
    assert clean_answer(q, ["yes", "no", "yes", ""]) == ["no", "yes"]
    assert clean_answer(q, {"choices": ["planned"]}) == ["planned"]
    assert clean_answer(q, {"choices": [], "other": ""}) is None


def test_multiple_choice_refuses_forged_values():
    q = question("multiple_choice", **CHOICES)
    assert error(q, ["yes", "hacked"]) == "“hacked” is not one of the offered choices."
    assert error(q, "yes") == "This answer has an invalid format."
    assert error(q, [["yes"]]) == "This answer has an invalid format."


def test_multiple_choice_other():
    q = question("multiple_choice", allow_other=True, **CHOICES)
    assert clean_answer(q, {"choices": ["yes"], "other": " Verbund "}) == {
        "choices": ["yes"],
        "other": "Verbund",
    }
    assert clean_answer(q, {"choices": [], "other": "Verbund"}) == {
        "choices": [],
        "other": "Verbund",
    }
    assert error(question("multiple_choice", **CHOICES), {"choices": [], "other": "x"}) == (
        "This question does not accept answers of your own."
    )


def test_multiple_choice_selection_limits_are_inclusive():
    q = question("multiple_choice", min_selected=2, max_selected=2, allow_other=True, **CHOICES)
    assert clean_answer(q, ["yes", "no"]) == ["no", "yes"]
    assert clean_answer(q, {"choices": ["no"], "other": "x"}) == {"choices": ["no"], "other": "x"}
    assert error(q, ["yes"]) == "Choose at least 2 options."
    assert error(q, ["yes", "no", "planned"]) == "Choose at most 2 options."
    assert error(question("multiple_choice", max_selected=1, **CHOICES), ["yes", "no"]) == (
        "Choose at most 1 option."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Ja", True),
        ("true", True),
        ("1", True),
        (1, True),
        ("no", False),
        ("NEIN", False),
        ("false", False),
        ("0", False),
        (0, False),
    ],
)
def test_yes_no_normalises(raw, expected):
    assert clean_answer(question("yes_no"), raw) is expected


@pytest.mark.parametrize("raw", ["vielleicht", 2, ["yes"]])
def test_yes_no_refuses_other_values(raw):
    assert error(question("yes_no"), raw) == "Choose yes or no."


def test_scale_bounds_are_inclusive():
    q = question("scale")
    assert clean_answer(q, "1") == 1
    assert clean_answer(q, 5) == 5
    for raw in ["0", "6", "2,5", "gut"]:
        assert error(q, raw) == "Choose a value from 1 to 5."
    q = question("scale", min=0, max=10)
    assert clean_answer(q, "0") == 0
    assert clean_answer(q, "10") == 10
    assert error(q, "11") == "Choose a value from 0 to 10."


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-21", "2026-11-21"),
        ("21.11.2026", "2026-11-21"),
        (" 1.2.2026 ", "2026-02-01"),
        ("29.02.2028", "2028-02-29"),
    ],
)
def test_date_normalises_to_iso(raw, expected):
    assert clean_answer(question("date"), raw) == expected


@pytest.mark.parametrize(
    "raw", ["31.02.2026", "29.02.2027", "2026-13-01", "21/11/2026", "21.11.26", "morgen", 20261121]
)
def test_date_refuses_impossible_or_unknown_formats(raw):
    assert error(question("date"), raw) == "Enter a valid date."


# --- matrix and table -------------------------------------------------------------------------


def test_matrix_keeps_answered_rows():
    q = question("matrix", **MATRIX)
    assert clean_answer(q, {"care": "poor", "youth": "good"}) == {"youth": "good", "care": "poor"}
    assert clean_answer(q, {"care": "poor", "youth": ""}) == {"care": "poor"}
    assert clean_answer(q, {"care": "", "youth": ""}) is None


def test_matrix_refuses_unknown_rows_and_columns():
    q = question("matrix", **MATRIX)
    assert error(q, {"schools": "good"}) == "“schools” is not one of the rows."
    assert error(q, {"youth": "excellent"}) == "“excellent” is not one of the columns."
    assert error(q, ["youth"]) == "This answer has an invalid format."


def test_table_cleans_cells_by_column_kind_and_drops_empty_rows():
    q = question("table", **TABLE)
    raw = [
        {"name": " Kita Sonnenschein ", "places": "45", "rate": "0,8", "since": "1.8.2020"},
        {"name": "", "places": "", "rate": "", "since": ""},
        {"name": "Kita Regenbogen"},
    ]
    assert clean_answer(q, raw) == [
        {"name": "Kita Sonnenschein", "places": 45, "rate": "0.80", "since": "2020-08-01"},
        {"name": "Kita Regenbogen", "places": None, "rate": None, "since": None},
    ]
    assert clean_answer(q, [{"name": " "}, {}]) is None


def test_table_required_cell_names_row_and_column():
    q = question("table", **TABLE)
    raw = [{"name": "Kita A"}, {"name": "", "places": "12"}]
    assert error(q, raw) == "Row 2: “Einrichtung” is required."


def test_table_cell_errors_name_row_and_column_all_at_once():
    q = question("table", **TABLE)
    raw = [{"name": "Kita A", "places": "viele"}, {"name": "Kita B", "since": "31.02.2026"}]
    assert error(q, raw) == (
        "Row 1, “Plätze”: Enter a whole number. Row 2, “Seit”: Enter a valid date."
    )


def test_table_refuses_unknown_columns():
    q = question("table", **TABLE)
    assert error(q, [{"name": "Kita A", "admin": "1"}]) == (
        "“admin” is not one of the table’s columns."
    )
    assert error(q, ["Kita A"]) == "This answer has an invalid format."


def test_table_max_rows():
    q = question("table", **TABLE)
    assert len(clean_answer(q, [{"name": f"K{i}"} for i in range(100)])) == 100
    assert error(q, [{"name": f"K{i}"} for i in range(101)]) == "Enter at most 100 rows."
    q = question("table", max_rows=2, **TABLE)
    assert error(q, [{"name": "a"}, {"name": "b"}, {"name": "c"}]) == "Enter at most 2 rows."
    # Blank rows offered by the form do not count.
    assert len(clean_answer(q, [{"name": "a"}, {}, {"name": ""}, {"name": "b"}])) == 2


# --- files ------------------------------------------------------------------------------------


def test_file_answer_shape():
    assert clean_answer(question("file"), dict(FILE)) == FILE
    assert error(question("file"), {**FILE, "extra": "x"}) == "This answer has an invalid format."
    assert error(question("file"), {**FILE, "size": "2048"}) == "This answer has an invalid format."
    assert error(question("file"), {**FILE, "storage_key": ""}) == (
        "This answer has an invalid format."
    )


def test_file_answer_size_and_type():
    assert clean_answer(question("file"), {**FILE, "size": 10 * MB})["size"] == 10 * MB
    assert error(question("file"), {**FILE, "size": 10 * MB + 1}) == (
        "The file is larger than 10 MB."
    )
    assert error(question("file"), {**FILE, "name": "setup.exe"}) == (
        "Upload a file of one of these types: pdf, xlsx, csv, docx, odt."
    )
    only_csv = question("file", types=["csv"])
    assert error(only_csv, FILE) == "Upload a file of one of these types: csv."


def zip_bytes(*entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def test_check_upload_accepts_real_files():
    q = question("file")
    assert check_upload(q, "Bericht.PDF", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 70_000) == "pdf"
    odt = zip_bytes(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "x"))
    assert check_upload(q, "Konzept.odt", odt, len(odt)) == "odt"
    docx = zip_bytes(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "x"))
    assert check_upload(q, "Konzept.docx", docx, len(docx)) == "docx"
    assert check_upload(q, "daten.csv", "Gemeinde;Plätze\nKönigswinter;12\n".encode(), 40) == "csv"
    cp1252 = "Gemeinde;Plätze\nBad Honnef;3\n".encode("cp1252")
    assert check_upload(q, "daten.csv", cp1252, 40) == "csv"
    # A head cut inside a multi-byte character is still UTF-8.
    assert check_upload(q, "daten.csv", "Plätze".encode()[:3], 9000) == "csv"


def test_check_upload_accepts_xlsx_from_openpyxl():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Plätze"
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    assert (
        check_upload(question("file"), "daten.xlsx", content[:2048], 5000, file=io.BytesIO(content))
        == "xlsx"
    )


def test_check_upload_refuses_disguised_files():
    q = question("file")
    assert upload_error(q, "Bericht.pdf", b"MZ\x90\x00\x03\x00\x00\x00") == (
        "The content of this file does not match its type (PDF)."
    )
    plain_zip = zip_bytes(("content.xml", "x"))
    assert (
        upload_error(q, "Konzept.odt", plain_zip)
        == "The content of this file does not match its type (ODT)."
    )
    assert (
        upload_error(q, "daten.xlsx", b"%PDF-1.4")
        == "The content of this file does not match its type (XLSX)."
    )
    assert (
        upload_error(q, "daten.csv", plain_zip)
        == "The content of this file does not match its type (CSV)."
    )
    assert upload_error(q, "daten.csv", "Plätze".encode("utf-16")) == (
        "The content of this file does not match its type (CSV)."
    )


def test_check_upload_refuses_wrong_type_size_and_empty_files():
    q = question("file")
    assert upload_error(q, "setup.exe", b"MZ\x90\x00") == (
        "Upload a file of one of these types: pdf, xlsx, csv, docx, odt."
    )
    assert upload_error(q, "README", b"%PDF-1.4") == (
        "Upload a file of one of these types: pdf, xlsx, csv, docx, odt."
    )
    assert check_upload(q, "Bericht.pdf", b"%PDF-1.4", 10 * MB) == "pdf"
    assert upload_error(q, "Bericht.pdf", b"%PDF-1.4", 10 * MB + 1) == (
        "The file is larger than 10 MB."
    )
    small = question("file", max_size_mb=2)
    assert (
        upload_error(small, "Bericht.pdf", b"%PDF-1.4", 3 * MB) == "The file is larger than 2 MB."
    )
    assert upload_error(q, "Bericht.pdf", b"", 0) == "The file is empty."


# --- stored values pass again -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "raw"),
    [
        (question("short_text"), " Text "),
        (question("integer"), "12"),
        (question("decimal"), "3,5"),
        (question("single_choice", allow_other=True, **CHOICES), {"other": "x"}),
        (
            question("multiple_choice", allow_other=True, **CHOICES),
            {"choices": ["no"], "other": "x"},
        ),
        (question("multiple_choice", **CHOICES), ["yes", "no"]),
        (question("yes_no"), "nein"),
        (question("scale"), "4"),
        (question("date"), "21.11.2026"),
        (question("matrix", **MATRIX), {"care": "good"}),
        (question("table", **TABLE), [{"name": "a", "places": "3", "rate": "1,5", "since": ""}]),
        (question("file"), FILE),
    ],
)
def test_clean_answer_is_idempotent(q, raw):
    stored = clean_answer(q, raw)
    assert clean_answer(q, stored) == stored


# --- answered and visible -----------------------------------------------------------------------


def test_is_answered():
    assert not is_answered(question("short_text"), None)
    assert not is_answered(question("short_text"), "")
    assert not is_answered(question("multiple_choice", **CHOICES), [])
    assert is_answered(question("yes_no"), False)
    assert is_answered(question("integer"), 0)
    matrix = question("matrix", **MATRIX)
    assert not is_answered(matrix, {"youth": "good"})
    assert is_answered(matrix, {"youth": "good", "care": "poor"})


def test_is_visible_without_condition():
    assert is_visible(question("integer"), {})


def test_is_visible_on_single_choice():
    q = question("integer", condition={"question": "planner", "equals": "yes"})
    assert is_visible(q, {"planner": "yes"})
    assert not is_visible(q, {"planner": "no"})
    assert not is_visible(q, {"planner": {"other": "yes"}})
    assert not is_visible(q, {})
    assert not is_visible(q, {"planner": None})


def test_is_visible_on_multiple_choice_contains():
    q = question("integer", condition={"question": "fields", "equals": "care"})
    assert is_visible(q, {"fields": ["care", "youth"]})
    assert is_visible(q, {"fields": {"choices": ["care"], "other": "x"}})
    assert not is_visible(q, {"fields": ["youth"]})
    assert not is_visible(q, {"fields": {"choices": [], "other": "care"}})


def test_is_visible_on_yes_no():
    on_yes = question("integer", condition={"question": "has_plan", "equals": True})
    assert is_visible(on_yes, {"has_plan": True})
    assert not is_visible(on_yes, {"has_plan": False})
    on_no = question("integer", condition={"question": "has_plan", "equals": False})
    assert is_visible(on_no, {"has_plan": False})
    assert not is_visible(on_no, {})
    written = question("integer", condition={"question": "has_plan", "equals": "ja"})
    assert is_visible(written, {"has_plan": True})
    assert not is_visible(written, {"has_plan": False})


# --- display ------------------------------------------------------------------------------------


def test_display_value_for_each_kind():
    assert display_value(question("short_text"), "Sozialamt") == "Sozialamt"
    assert display_value(question("long_text"), None) == ""
    assert display_value(question("integer", unit="Stellen"), 3) == "3 Stellen"
    assert display_value(question("decimal"), "2.50") == "2.50"
    single = question("single_choice", **CHOICES)
    assert display_value(single, "planned") == "In Planung"
    assert display_value(single, {"other": "Verbund"}) == "Other: Verbund"
    assert display_value(single, "retired") == "retired"  # choice of an older version
    multi = question("multiple_choice", **CHOICES)
    assert display_value(multi, ["no", "yes"]) == "Ja, eine Stelle, Nein"
    assert display_value(multi, {"choices": ["no"], "other": "Verbund"}) == "Nein, Other: Verbund"
    assert display_value(question("yes_no"), True) == "Yes"
    assert display_value(question("yes_no"), False) == "No"
    scale = question("scale", min_label="schlecht", max_label="sehr gut")
    assert display_value(scale, 1) == "1 (schlecht)"
    assert display_value(scale, 3) == "3"
    assert display_value(scale, 5) == "5 (sehr gut)"
    assert display_value(question("date"), "2026-11-21") == "11/21/2026"
    assert display_value(question("matrix", **MATRIX), {"care": "poor", "youth": "good"}) == (
        "Jugendhilfe: gut; Pflege: schlecht"
    )
    rows = [
        {"name": "Kita A", "places": 45, "rate": "0.80", "since": "2020-08-01"},
        {"name": "Kita B", "places": None, "rate": None, "since": None},
    ]
    assert display_value(question("table", **TABLE), rows) == (
        "Kita A, 45, 0.80, 08/01/2020 | Kita B, –, –, –"
    )
    assert display_value(question("file"), FILE) == "Bericht.pdf"


def test_display_value_in_german():
    with translation.override("de"):
        assert display_value(question("decimal", unit="€"), "1234.50") == "1234,50 €"
        assert display_value(question("date"), "2026-11-21") == "21.11.2026"
        assert display_value(question("yes_no"), True) == "Ja"
