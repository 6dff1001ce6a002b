"""Answer inputs: what each question kind renders, and that posting the rendered inputs as a
browser would gives `clean_answer` back exactly the stored value. Also labels, required
markers, read-only rendering and forged posts."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.template import Context, Template
from django.urls import include, path
from django.utils import translation

from surveys.answer_types import clean_answer
from surveys.inputs import field_name, raw_from_post, value_for_display_in_input
from surveys.models import Question, Response

CHOICES = [
    {"value": "yes", "label": "Ja, eine Stelle"},
    {"value": "planned", "label": "In Planung"},
    {"value": "no", "label": "Nein"},
]
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
FILE = {"name": "Bericht.pdf", "size": 2048, "content_type": "application/pdf", "storage_key": "k1"}
KINDS = {  # one config per kind, for the checks every kind must pass
    "short_text": {},
    "long_text": {},
    "integer": {"unit": "Stellen"},
    "decimal": {"unit": "EUR"},
    "single_choice": {"choices": CHOICES, "allow_other": True},
    "multiple_choice": {"choices": CHOICES, "allow_other": True},
    "yes_no": {},
    "scale": {"min_label": "gar nicht", "max_label": "voll"},
    "date": {},
    "matrix": MATRIX,
    "table": TABLE,
    "file": {"types": ["pdf", "xlsx"]},
}
STORED = {  # a stored value per kind, shown and posted back in the checks above
    "short_text": "Stadtteilbüro Nord",
    "long_text": "Zeile 1\nZeile 2",
    "integer": 12,
    "decimal": "3.50",
    "single_choice": "planned",
    "multiple_choice": ["no", "yes"],
    "yes_no": False,
    "scale": 4,
    "date": "2024-02-29",
    "matrix": {"youth": "good", "care": "poor"},
    "table": [{"name": "Kita Sonnenschein", "places": 40, "rate": "0.75", "since": None}],
    "file": FILE,
}
GROUPED = {"single_choice", "multiple_choice", "yes_no", "scale", "matrix", "table"}

# A download view for the file link (the real one is the lead's; this stands in for it).
urlpatterns = [
    path(
        "surveys/",
        include(
            (
                [
                    path(
                        "responses/<int:pk>/files/<slug:key>/",
                        lambda request, pk, key: HttpResponse(),
                        name="answer_file",
                    )
                ],
                "surveys",
            )
        ),
    )
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def question(kind, key="q", required=False, help_text="", **config):
    return Question(
        kind=kind,
        key=key,
        text=f"Frage {key}?",
        required=required,
        help_text=help_text,
        config=config,
    )


def render(q, value, **context):
    template = Template(
        "{% load survey_inputs %}{% answer_input question value disabled=disabled error=error %}"
    )
    context = {"question": q, "value": value, "disabled": False, "error": ""} | context
    return template.render(Context(context))


class Page(HTMLParser):
    """The form controls, labels, fieldsets and ids of rendered HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.controls, self.labels, self.ids, self.fieldsets = [], {}, [], []
        self.text = []
        self._open_fieldsets, self._label, self._legend, self._textarea = [], None, None, None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "fieldset":
            fieldset = {"legend": "", "attrs": attrs}
            self.fieldsets.append(fieldset)
            self._open_fieldsets.append(fieldset)
        elif tag == "legend":
            self._legend = self._open_fieldsets[-1]
        elif tag == "label":
            self._label = (attrs.get("for"), [])
        elif tag in ("input", "textarea", "select"):
            control = {"tag": tag, **attrs, "fieldsets": list(self._open_fieldsets)}
            self.controls.append(control)
            if tag == "textarea":
                control["text"] = ""
                self._textarea = control

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._open_fieldsets.pop()
        elif tag == "legend":
            self._legend = None
        elif tag == "label" and self._label:
            target, parts = self._label
            self.labels[target] = " ".join("".join(parts).split())
            self._label = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        self.text.append(data)
        if self._textarea is not None:
            self._textarea["text"] += data
        if self._label:
            self._label[1].append(data)
        if self._legend is not None:
            self._legend["legend"] += data

    def visible_controls(self):
        return [c for c in self.controls if c.get("type") != "hidden"]

    def submitted(self):
        """The form data a browser sends for these controls, unchanged."""
        data = QueryDict(mutable=True)
        for control in self.controls:
            name = control.get("name")
            if not name or "disabled" in control or control.get("type") == "file":
                continue
            if control["tag"] == "textarea":
                text = control["text"]
                # Browsers drop the newline right after <textarea> and send CRLF line ends.
                text = text.removeprefix("\n").replace("\n", "\r\n")
                data.appendlist(name, text)
            elif control.get("type") in ("radio", "checkbox"):
                if "checked" in control:
                    data.appendlist(name, control.get("value") or "on")
            else:
                data.appendlist(name, control.get("value") or "")
        return data


def round_trip(q, value, **context):
    page = Page(render(q, value, **context))
    return clean_answer(q, raw_from_post(q, page.submitted()))


def post(**data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            query.appendlist(name.replace("_", "-"), item)
    return query


# --- round trips: the inputs show what is stored and post back the same ----------------------


ROUND_TRIPS = [
    ("short_text", {}, "Stadtteilbüro Nord"),
    ("short_text", {}, 'Träger & Partner <GmbH> "Nord"'),
    ("long_text", {}, "Zeile 1\nZeile 2\n\n  eingerückt & <markiert>"),
    ("long_text", {}, "\n".join(["lang"] * 500)),
    ("integer", {}, 0),
    ("integer", {"unit": "Stellen", "min": -5}, -3),
    ("integer", {}, 1234567),
    ("decimal", {}, "3.50"),
    ("decimal", {"unit": "EUR"}, "-1234.05"),
    ("decimal", {"decimal_places": 0}, "12"),
    ("decimal", {"decimal_places": 3}, "0.125"),
    ("single_choice", {"choices": CHOICES}, "planned"),
    ("single_choice", {"choices": CHOICES, "allow_other": True}, "no"),
    ("single_choice", {"choices": CHOICES, "allow_other": True}, {"other": "Mit dem Kreis"}),
    ("multiple_choice", {"choices": CHOICES}, ["no", "yes"]),
    ("multiple_choice", {"choices": CHOICES}, ["planned"]),
    ("multiple_choice", {"choices": CHOICES, "allow_other": True}, ["no", "planned", "yes"]),
    (
        "multiple_choice",
        {"choices": CHOICES, "allow_other": True},
        {"choices": ["yes"], "other": "Ehrenamt"},
    ),
    ("multiple_choice", {"choices": CHOICES, "allow_other": True}, {"choices": [], "other": "x"}),
    ("yes_no", {}, True),
    ("yes_no", {}, False),
    ("scale", {}, 1),
    ("scale", {}, 5),
    ("scale", {"min": 0, "max": 10, "min_label": "nie", "max_label": "immer"}, 7),
    ("scale", {"min": -2, "max": 2}, -1),
    ("date", {}, "2024-02-29"),
    ("matrix", MATRIX, {"youth": "good", "care": "poor"}),
    ("matrix", MATRIX, {"care": "good"}),
    (
        "table",
        TABLE,
        [
            {"name": "Kita Sonnenschein", "places": 40, "rate": "0.75", "since": "2020-08-01"},
            {"name": "Hort", "places": None, "rate": "-1.50", "since": None},
        ],
    ),
    ("table", TABLE | {"max_rows": 1}, [{"name": "A", "places": 0, "rate": None, "since": None}]),
]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("kind", "config", "stored"), ROUND_TRIPS)
def test_inputs_round_trip_the_stored_value(language, kind, config, stored):
    q = question(kind, **config)
    assert clean_answer(q, stored) == stored  # really a stored (normalised) value
    with translation.override(language):
        assert round_trip(q, stored) == stored


@pytest.mark.parametrize("kind", KINDS)
def test_inputs_without_an_answer_post_no_answer(kind):
    q = question(kind, **KINDS[kind])
    page = Page(render(q, None))
    assert clean_answer(q, raw_from_post(q, page.submitted())) is None
    checked = [c for c in page.controls if "checked" in c]
    assert checked == []


@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"file"}))
def test_inputs_of_every_kind_show_the_stored_value(kind):
    """Guards the round trip against inputs that show nothing and post nothing."""
    q = question(kind, **KINDS[kind])
    assert round_trip(q, STORED[kind]) == STORED[kind]
    assert Page(render(q, STORED[kind])).submitted() != Page(render(q, None)).submitted()


def test_decimal_is_shown_with_the_languages_separator():
    q = question("decimal", unit="EUR")
    with translation.override("de"):
        assert value_for_display_in_input(q, "3.50") == "3,50"
        assert Page(render(q, "-1234.50")).submitted()["q-q"] == "-1234,50"
    assert value_for_display_in_input(q, "3.50") == "3.50"
    assert value_for_display_in_input(q, None) == ""


def test_inputs_show_a_raw_entry_again_as_typed():
    """After a refused or conflicting save the entry is shown again, not lost."""
    assert Page(render(question("integer"), "zwölf")).submitted()["q-q"] == "zwölf"
    with translation.override("de"):
        assert Page(render(question("decimal"), "1.234,5")).submitted()["q-q"] == "1.234,5"
    raw = [{"name": "", "places": "viele", "rate": "", "since": ""}]
    data = Page(render(question("table", **TABLE), raw)).submitted()
    assert data["q-q-0-places"] == "viele"
    other = {"choices": ["yes"], "other": ""}
    data = Page(render(question("multiple_choice", choices=CHOICES, allow_other=True), other))
    assert data.submitted().getlist("q-q") == ["yes"]
    assert Page(render(question("yes_no"), "no")).submitted()["q-q"] == "no"
    assert Page(render(question("scale"), "2")).submitted()["q-q"] == "2"


# --- what each kind renders --------------------------------------------------------------------


def test_number_inputs_are_text_with_inputmode_and_unit_after_the_input():
    html = render(question("integer", unit="Stellen"), 3)
    control = Page(html).controls[0]
    assert (control["type"], control["inputmode"]) == ("text", "numeric")
    assert "id_q-q_unit" in control["aria-describedby"].split()
    assert html.index('id="id_q-q"') < html.index(">Stellen<")
    assert Page(render(question("decimal"), "1.00")).controls[0]["inputmode"] == "decimal"
    whole = question("decimal", decimal_places=0)
    assert Page(render(whole, "1")).controls[0]["inputmode"] == "numeric"
    assert "unit" not in render(question("integer"), 3)


def test_text_date_and_long_text_controls():
    short = Page(render(question("short_text", max_length=80), "x")).controls[0]
    assert (short["tag"], short["type"], short["maxlength"]) == ("input", "text", "80")
    assert Page(render(question("long_text"), "x")).controls[0]["tag"] == "textarea"
    date = Page(render(question("date"), "2024-01-31")).controls[0]
    assert (date["type"], date["value"]) == ("date", "2024-01-31")


def test_scale_offers_min_to_max_with_end_labels():
    q = question("scale", min=0, max=4, min_label="nie", max_label="immer")
    page = Page(render(q, 2))
    radios = page.visible_controls()
    assert [c["value"] for c in radios] == ["0", "1", "2", "3", "4"]
    assert [c["value"] for c in radios if "checked" in c] == ["2"]
    assert page.labels[radios[0]["id"]] == "0 nie"
    assert page.labels[radios[-1]["id"]] == "4 immer"
    assert page.labels[radios[1]["id"]] == "1"


def test_choices_are_labelled_and_escaped():
    q = question("single_choice", choices=[{"value": "a", "label": "<b>fett</b> & mehr"}])
    html = render(q, None)
    assert "<b>" not in html
    page = Page(html)
    assert page.labels["id_q-q_0"] == "<b>fett</b> & mehr"
    yes_no = Page(render(question("yes_no"), True))
    assert [yes_no.labels[c["id"]] for c in yes_no.controls] == ["Yes", "No"]


def test_matrix_is_a_table_with_row_and_column_headers():
    html = render(question("matrix", **MATRIX), {"youth": "poor"})
    assert re.search(r'<th scope="col"[^>]*>gut</th>', html)
    assert re.search(r'<th scope="row"[^>]*>Jugendhilfe</th>', html)
    page = Page(html)
    names = sorted({c["name"] for c in page.controls})
    assert names == ["q-q-row-care", "q-q-row-youth"]
    assert page.labels["id_q-q_0_1"] == "Jugendhilfe: schlecht"
    assert page.submitted() == post(q_q_row_youth="poor")


def test_table_shows_stored_rows_plus_two_empty_rows_and_the_row_count():
    stored = [{"name": "A", "places": 1, "rate": None, "since": None}]
    page = Page(render(question("table", **TABLE), stored))
    data = page.submitted()
    assert data["q-q-rows"] == "3"
    assert [data[f"q-q-{index}-name"] for index in range(3)] == ["A", "", ""]
    assert "q-q-3-name" not in data
    assert page.labels["id_q-q_1_0"] == "Row 2: Einrichtung (required)"
    assert page.labels["id_q-q_1_1"] == "Row 2: Plätze"
    by_name = {c["name"]: c for c in page.controls}
    assert by_name["q-q-0-since"]["type"] == "date"
    assert by_name["q-q-0-places"]["inputmode"] == "numeric"
    assert by_name["q-q-0-rate"]["inputmode"] == "decimal"
    html = render(question("table", **TABLE), stored)
    assert html.count('<th scope="col"') == 5  # row number and four columns
    assert re.search(r'<th scope="row"[^>]*>3</th>', html)


def test_table_offers_no_more_rows_than_allowed():
    full = [{"name": n, "places": None, "rate": None, "since": None} for n in "AB"]
    assert Page(render(question("table", max_rows=2, **TABLE), full)).submitted()["q-q-rows"] == "2"
    data = Page(render(question("table", max_rows=3, **TABLE), full)).submitted()
    assert data["q-q-rows"] == "3"


def test_file_input_accepts_the_configured_types_and_shows_the_stored_file():
    q = question("file", types=["pdf", "xlsx"], max_size_mb=5)
    page = Page(render(q, FILE))
    control = page.controls[0]
    assert (control["type"], control["name"], control["accept"]) == ("file", "q-q", ".pdf,.xlsx")
    assert "File types: PDF, XLSX. At most 5 MB." in "".join(page.text)
    assert "Bericht.pdf" in "".join(page.text)
    assert set(control["aria-describedby"].split()) == {"id_q-q_types", "id_q-q_current"}
    assert "<a " not in render(q, FILE)  # no response, so no download link
    assert raw_from_post(q, post(q_q="Bericht.pdf")) is None
    assert "Bericht.pdf" not in render(q, None)


@pytest.mark.urls("tests.surveys.test_inputs")
def test_file_links_the_stored_file_when_the_response_is_known():
    html = render(question("file"), FILE, response=Response(pk=7))
    assert re.search(r'<a [^>]*href="/surveys/responses/7/files/q/">Bericht.pdf</a>', html)


def test_file_name_links_to_its_download_for_the_response():
    html = render(question("file"), FILE, response=Response(pk=7))
    assert "Bericht.pdf" in html
    assert 'href="/surveys/responses/7/files/' in html


def test_file_name_without_a_response_is_not_linked():
    html = render(question("file"), FILE)
    assert "Bericht.pdf" in html
    assert "<a " not in html


# --- accessibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_control_has_an_accessible_name(kind):
    q = question(kind, required=True, help_text="Bitte Stand 31.12.", **KINDS[kind])
    page = Page(render(q, STORED[kind]))
    assert page.visible_controls()
    for control in page.visible_controls():
        assert page.labels.get(control["id"]), f"{control['id']} has no label"
        if control.get("type") in ("radio", "checkbox"):
            assert control["fieldsets"], f"{control['id']} is not in a fieldset"
            assert control["fieldsets"][-1]["legend"].strip()
        assert control["name"].startswith(field_name(q))
    assert len(page.ids) == len(set(page.ids))


@pytest.mark.parametrize("kind", KINDS)
def test_question_text_required_marker_and_help_are_tied_to_the_inputs(kind):
    q = question(kind, required=True, help_text="Bitte Stand 31.12.", **KINDS[kind])
    page = Page(render(q, None))
    assert "id_q-q_help" in page.ids
    if kind in GROUPED:
        (fieldset,) = page.fieldsets
        assert " ".join(fieldset["legend"].split()) == "Frage q? (required)"
        described = [fieldset["attrs"]["aria-describedby"]]
    else:
        assert page.labels["id_q-q"] == "Frage q? (required)"
        described = [page.controls[0]["aria-describedby"]]
        assert page.controls[0]["aria-required"] == "true"
    assert "id_q-q_help" in described[0].split()
    for control in page.controls:
        described.append(control.get("aria-describedby") or "")
    for target in " ".join(described).split():
        assert target in page.ids


@pytest.mark.parametrize("kind", KINDS)
def test_optional_questions_have_no_required_marker(kind):
    html = render(question(kind, **KINDS[kind]), None)
    page = Page(html)
    if kind in GROUPED:
        assert " ".join(page.fieldsets[0]["legend"].split()) == "Frage q?"
    else:
        assert page.labels["id_q-q"] == "Frage q?"
    assert "aria-required" not in html
    assert "id_q-q_help" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_an_error_marks_the_inputs_and_points_at_the_message(kind):
    q = question(kind, **KINDS[kind])
    page = Page(render(q, None, error="Bitte eine Zahl eingeben."))
    if kind in GROUPED:
        assert "q-q-error" in page.fieldsets[0]["attrs"]["aria-describedby"].split()
    else:
        control = page.controls[0]
        assert "q-q-error" in control["aria-describedby"].split()
        assert control["aria-invalid"] == "true"
    assert "aria-invalid" not in render(q, None)


def test_ids_are_unique_on_a_page_of_all_kinds():
    html = "".join(
        render(question(kind, key=f"k{index}", **KINDS[kind]), STORED[kind])
        for index, kind in enumerate(KINDS)
    )
    page = Page(html)
    assert len(page.ids) == len(set(page.ids))
    for control in page.visible_controls():
        assert page.labels.get(control["id"])


@pytest.mark.parametrize("kind", KINDS)
def test_disabled_renders_only_disabled_controls(kind):
    q = question(kind, **KINDS[kind])
    page = Page(render(q, STORED[kind], disabled=True))
    assert page.controls
    assert all("disabled" in control for control in page.controls)
    assert page.submitted() == QueryDict()
    assert not any("disabled" in c for c in Page(render(q, STORED[kind])).controls)


# --- reading posts: forged values are refused -----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "config", "data"),
    [
        ("single_choice", {"choices": CHOICES}, post(q_q="maybe")),
        ("single_choice", {"choices": CHOICES}, post(q_q="__other__", q_q_other="frei")),
        ("multiple_choice", {"choices": CHOICES}, post(q_q=["yes", "maybe"])),
        ("multiple_choice", {"choices": CHOICES}, post(q_q=["__other__"], q_q_other="frei")),
        ("multiple_choice", {"choices": CHOICES, "allow_other": True}, post(q_q=["nope"])),
        ("yes_no", {}, post(q_q="vielleicht")),
        ("scale", {}, post(q_q="6")),
        ("scale", {}, post(q_q="2.5")),
        ("integer", {}, post(q_q="1e3")),
        ("date", {}, post(q_q="2024-02-30")),
        ("matrix", MATRIX, post(q_q_row_youth="excellent")),
        ("table", TABLE, post(q_q_rows="1", q_q_0_name="A", q_q_0_places="viele")),
        ("table", TABLE, post(q_q_rows="1", q_q_0_places="3")),  # required cell missing
    ],
)
def test_forged_or_invalid_posts_are_refused(kind, config, data):
    q = question(kind, **config)
    with pytest.raises(ValidationError):
        clean_answer(q, raw_from_post(q, data))


def test_matrix_reads_only_the_offered_rows():
    q = question("matrix", **MATRIX)
    data = post(q_q_row_youth="good", q_q_row_admin="good", q_q_row_care="")
    assert raw_from_post(q, data) == {"youth": "good"}


def test_table_row_count_is_clamped():
    q = question("table", max_rows=2, **TABLE)
    rows = {f"q_q_{index}_name": f"E{index}" for index in range(20)}
    assert len(raw_from_post(q, post(q_q_rows="1000", **rows))) == 7  # max_rows + 5
    with pytest.raises(ValidationError, match="at most 2 rows"):
        clean_answer(q, raw_from_post(q, post(q_q_rows="3", **rows)))
    assert raw_from_post(q, post(q_q_rows="-4", **rows)) == []
    assert raw_from_post(q, post(q_q_rows="zwei", **rows)) == []
    assert raw_from_post(q, post(**rows)) == []
    assert raw_from_post(q, post(q_q_rows="1", q_q_0_name="A")) == [
        {"name": "A", "places": "", "rate": "", "since": ""}
    ]


def test_table_blank_rows_are_dropped_and_rows_renumber():
    q = question("table", **TABLE)
    data = post(q_q_rows="3", q_q_0_name="", q_q_1_name="B", q_q_2_name="")
    assert clean_answer(q, raw_from_post(q, data)) == [
        {"name": "B", "places": None, "rate": None, "since": None}
    ]


def test_single_choice_other():
    q = question("single_choice", choices=CHOICES, allow_other=True)
    assert raw_from_post(q, post(q_q="__other__", q_q_other="frei")) == {"other": "frei"}
    assert clean_answer(q, raw_from_post(q, post(q_q="__other__", q_q_other=" "))) is None
    # A real choice wins over leftover text; text typed without choosing "Other" counts.
    assert raw_from_post(q, post(q_q="yes", q_q_other="frei")) == "yes"
    assert raw_from_post(q, post(q_q_other="frei")) == {"other": "frei"}
    assert raw_from_post(q, post()) is None


def test_multiple_choice_other():
    q = question("multiple_choice", choices=CHOICES, allow_other=True)
    data = post(q_q=["yes", "__other__"], q_q_other="frei")
    assert clean_answer(q, raw_from_post(q, data)) == {"choices": ["yes"], "other": "frei"}
    # Text typed next to an "Other" box that was not shown checked counts ...
    data = post(q_q=["yes"], q_q_other="frei")
    assert clean_answer(q, raw_from_post(q, data)) == {"choices": ["yes"], "other": "frei"}
    # ... but unchecking a box that was shown checked drops the text.
    data = post(q_q=["yes"], q_q_other="frei", q_q_other_shown="1")
    assert clean_answer(q, raw_from_post(q, data)) == ["yes"]
    assert clean_answer(q, raw_from_post(q, post(q_q=["__other__"], q_q_other=""))) is None


def test_multiple_choice_unchecking_other_in_the_rendered_form_drops_it():
    q = question("multiple_choice", choices=CHOICES, allow_other=True)
    data = Page(render(q, {"choices": ["no"], "other": "frei"})).submitted()
    data.setlist("q-q", ["no"])  # the respondent unchecks "Other"
    assert clean_answer(q, raw_from_post(q, data)) == ["no"]


def test_simple_kinds_read_their_one_input():
    assert raw_from_post(question("short_text"), post(q_q="x", q_other="y")) == "x"
    assert raw_from_post(question("yes_no", key="a-b"), post(q_a_b="yes")) == "yes"
    assert raw_from_post(question("date"), post()) is None


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError):
        raw_from_post(question("slider"), post())
    with pytest.raises(ValueError):
        render(question("slider"), None)


# --- in a browser: WCAG 2.1 AA (axe-core) and what a browser really posts ---------------------


def inputs_page(html):
    styles = "".join(
        Path(finders.find(name)).read_text(encoding="utf-8")
        for name in (
            "kern/kern.min.css",
            "participation/theme.css",
            "participation/mitplanen.css",
            "surveys/survey.css",
        )
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Umfrage</title>'
        f'<style>{styles}</style></head><body data-kern-theme="light">'
        '<main class="wrap"><h1>Umfrage</h1>'
        f'<form method="post" action="/">{html}</form></main></body></html>'
    )


def all_kinds_html(**context):
    return "".join(
        '<div class="question">'
        + render(
            question(
                kind,
                key=f"k{index}",
                required=index % 2 == 0,
                help_text="Stand: 2024",
                **KINDS[kind],
            ),
            STORED[kind],
            **context,
        )
        + "</div>"
        for index, kind in enumerate(KINDS)
    )


@pytest.mark.browser
@pytest.mark.parametrize("disabled", [False, True])
def test_inputs_of_all_kinds_meet_wcag_aa(page, disabled):
    with translation.override("de"):
        page.set_content(inputs_page(all_kinds_html(disabled=disabled)))
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }
    violations = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page, options=options).response["violations"]
    ]
    assert not violations, "\n".join(violations)
    # WCAG 1.4.10 reflow: at 320 px only the tables scroll sideways, never the page.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


@pytest.mark.browser
def test_a_browser_posts_back_the_stored_values(page):
    """The browser's own form data (not our parser's idea of it) round-trips."""
    with translation.override("de"):
        page.set_content(inputs_page(all_kinds_html()))
    pairs = page.evaluate("() => [...new FormData(document.forms[0])].map(([k, v]) => [k, v])")
    data = QueryDict(mutable=True)
    for name, value in pairs:
        if isinstance(value, str):  # the file input posts a File, read by the upload view
            data.appendlist(name, value)
    for index, kind in enumerate(KINDS):
        q = question(kind, key=f"k{index}", **KINDS[kind])
        expected = None if kind == "file" else STORED[kind]
        assert clean_answer(q, raw_from_post(q, data)) == expected, kind
