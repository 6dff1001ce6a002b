"""Results for coordinators: one question compared across all organisations with a chart and
its data table, and exports of all responses as CSV (for German Excel) and XLSX."""

import csv
import datetime
import io
import re
import warnings
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl
import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils import timezone, translation

from surveys import results, services
from surveys.models import Answer, Question, Response
from tests.factories import (
    OrganisationFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    member_of,
)
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
CHANGED_AT = datetime.datetime(2019, 5, 2, 10, 30, tzinfo=datetime.UTC)  # 12:30 in Siegburg
SUBMITTED_AT = datetime.datetime(2019, 5, 3, 8, 0, tzinfo=datetime.UTC)

QUESTIONS = [
    (
        "planner",
        "single_choice",
        "Gibt es eine Sozialplanung?",
        {
            "choices": [
                {"value": "yes", "label": "Ja, eine Stelle"},
                {"value": "no", "label": "Nein"},
                {"value": "planned", "label": "Geplant"},
            ],
            "allow_other": True,
        },
    ),
    (
        "plans",
        "multiple_choice",
        "Welche Fachplanungen gibt es?",
        {
            "choices": [
                {"value": "youth", "label": "Jugendhilfe"},
                {"value": "daycare", "label": "Kita"},
                {"value": "elderly", "label": "Altenhilfe"},
            ],
            "allow_other": True,
        },
    ),
    ("monitoring", "yes_no", "Gibt es ein Sozialmonitoring?", {}),
    (
        "data_quality",
        "scale",
        "Wie gut ist die Datenlage?",
        {"min": 1, "max": 5, "min_label": "schlecht", "max_label": "sehr gut"},
    ),
    ("posts", "integer", "Wie viele Stellen?", {"unit": "Stellen"}),
    ("budget", "decimal", "Budget in Mio. Euro", {"decimal_places": 2}),
    ("since", "date", "Seit wann?", {}),
    (
        "levels",
        "matrix",
        "Auf welcher Ebene liegen Daten vor?",
        {
            "rows": [
                {"value": "population", "label": "Bevölkerung"},
                {"value": "sgb2", "label": "SGB II"},
            ],
            "columns": [
                {"value": "municipality", "label": "Gemeinde"},
                {"value": "district", "label": "Ortsteil"},
            ],
        },
    ),
    (
        "areas",
        "table",
        "Sozialräume",
        {
            "columns": [
                {"key": "name", "label": "Name", "kind": "short_text"},
                {"key": "residents", "label": "Einwohner", "kind": "integer"},
            ]
        },
    ),
    ("notes", "long_text", "Anmerkungen", {}),
]

SIEGBURG = {
    "planner": "yes",
    "plans": {"choices": ["daycare", "youth"], "other": "Wohnen"},
    "monitoring": "yes",
    "data_quality": "5",
    "posts": "2",
    "budget": "1,5",
    "since": "01.03.2019",
    "levels": {"population": "district", "sgb2": "municipality"},
    "areas": [{"name": "Kaldauen", "residents": "9000"}, {"name": "Innenstadt", "residents": ""}],
    "notes": "Stellenplan 2020 beschlossen.",
}
MUCH = {"planner": {"other": "Im Aufbau"}, "plans": ["youth"], "monitoring": "no", "posts": "0"}


def de(message):
    with translation.override("de"):
        return translation.gettext(message)


def build_results_survey(coordinator, audience, *, title="Ausgangssituation der Kommunen"):
    survey = SurveyFactory(title=title, actor=coordinator, audience=audience)
    section = SectionFactory(version=survey.draft_version, position=1, title="Daten")
    for position, (key, kind, text, config) in enumerate(QUESTIONS, start=1):
        QuestionFactory(
            section=section, position=position, key=key, kind=kind, text=text, config=config
        )
    services.publish(survey, actor=coordinator)
    return survey


def answer(survey, organisation, answers, *, actor):
    response = services.response_for(survey, organisation)
    for key, raw in answers.items():
        question = Question.objects.get(section__version=response.version, key=key)
        services.save_answer(response, question, raw, actor=actor, base_revision=0)
    Answer.objects.filter(response=response).update(updated_at=CHANGED_AT)
    return response


@pytest.fixture
def third_org():
    return OrganisationFactory(name="Gemeinde Eitorf", ags="05382012")


@pytest.fixture
def survey(coordinator, member, outsider, own_org, other_org, third_org):
    """Siegburg submitted everything, Much answered some, Eitorf has not started."""
    survey = build_results_survey(coordinator, [own_org, other_org, third_org])
    siegburg = answer(survey, own_org, SIEGBURG, actor=member)
    services.submit_response(siegburg, actor=member)
    Response.objects.filter(pk=siegburg.pk).update(submitted_at=SUBMITTED_AT)
    answer(survey, other_org, MUCH, actor=outsider)
    return survey


def compare_url(survey, key=None):
    url = reverse("surveys:compare", args=[survey.pk])
    return f"{url}?question={key}" if key else url


def export_url(survey, file_format, layout):
    return reverse(f"surveys:export_{file_format}", args=[survey.pk]) + f"?layout={layout}"


def read_csv(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(response):
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "outsider"])
@pytest.mark.parametrize(
    "url",
    [
        lambda s: compare_url(s),
        lambda s: compare_url(s, "plans"),
        lambda s: export_url(s, "csv", "wide"),
        lambda s: export_url(s, "csv", "long"),
        lambda s: export_url(s, "xlsx", "wide"),
        lambda s: export_url(s, "xlsx", "long"),
    ],
)
def test_results_are_404_for_everyone_but_coordinators(client, request, survey, who, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(survey)).status_code == 404


def test_unknown_question_or_layout_is_404(client, coordinator, survey):
    client.force_login(coordinator)
    assert client.get(compare_url(survey, "gibt-es-nicht")).status_code == 404
    assert client.get(export_url(survey, "csv", "diagonal")).status_code == 404


def test_survey_page_links_coordinators_to_the_results(client, coordinator, member, survey):
    link = reverse("surveys:compare", args=[survey.pk])
    client.force_login(coordinator)
    assert link in client.get(survey.get_absolute_url()).content.decode()
    client.force_login(member)
    assert link not in client.get(survey.get_absolute_url()).content.decode()


# --- comparison ----------------------------------------------------------------------------------


def comparison_rows(page):
    """The comparison table as a user reads it: each row's name and the text of its cells."""
    table = page[page.index('<table id="comparison"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
    text = lambda html: " ".join(re.sub(r"<[^>]+>", " ", html).split())  # noqa: E731
    return [
        (text(name), [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)])
        for name, cells in rows
    ]


def test_comparison_shows_every_organisation_of_the_audience(client, coordinator, survey):
    client.force_login(coordinator)
    page = client.get(compare_url(survey, "planner")).content.decode()
    rows = comparison_rows(page)
    assert [name for name, _cells in rows] == ["Gemeinde Eitorf", "Gemeinde Much", "Stadt Siegburg"]
    eitorf, much, siegburg = (cells for _name, cells in rows)
    assert eitorf[:4] == ["05382012", de("Not started"), "–", "–"]
    assert much[:3] == [
        "05382036",
        de("In progress"),
        de("Other: %(text)s") % {"text": "Im Aufbau"},
    ]
    assert siegburg[:3] == ["05382060", de("Submitted"), "Ja, eine Stelle"]
    assert "Gibt es ein Sozialmonitoring?" in page  # the select offers every question


def test_comparison_defaults_to_the_first_question(client, coordinator, survey):
    client.force_login(coordinator)
    page = client.get(compare_url(survey)).content.decode()
    assert '<option value="planner" selected>' in page


@pytest.mark.parametrize("organisations", [2, 20])
def test_comparison_queries_do_not_grow_with_organisations(
    client, coordinator, django_assert_num_queries, organisations
):
    audience = [OrganisationFactory() for _ in range(organisations)]
    survey = build_results_survey(coordinator, audience)
    for organisation in audience:
        answer(survey, organisation, SIEGBURG, actor=member_of(organisation))
    client.force_login(coordinator)
    client.get(compare_url(survey, "plans"))  # the session and 2FA checks warm up
    # Two more than unpaged: the chart's values of all organisations, and their count.
    with django_assert_num_queries(11):
        page = client.get(compare_url(survey, "plans"))
    assert page.status_code == 200


def test_comparison_is_paged_and_its_chart_counts_every_page(client, coordinator, monkeypatch):
    monkeypatch.setattr(results, "PAGE_SIZE", 2)
    audience = [OrganisationFactory(name=f"Gemeinde {n}") for n in range(5)]
    survey = build_results_survey(coordinator, audience)
    for organisation in audience[:3]:
        answer(survey, organisation, SIEGBURG, actor=member_of(organisation))
    client.force_login(coordinator)
    first = client.get(compare_url(survey, "plans")).content.decode()
    assert [name for name, _cells in comparison_rows(first)] == ["Gemeinde 0", "Gemeinde 1"]
    assert "Geantwortet: 3 von 5 Organisationen." in first
    assert "?question=plans&amp;page=2" in first
    last = client.get(compare_url(survey, "plans") + "&page=3").content.decode()
    assert [name for name, _cells in comparison_rows(last)] == ["Gemeinde 4"]
    labels, counts, _table_labels, _table_counts = chart_numbers(last, "plans")
    assert counts[labels.index("Jugendhilfe")] == 3  # all answers, not this page's
    beyond = client.get(compare_url(survey, "plans") + "&page=9").content.decode()
    assert [name for name, _cells in comparison_rows(beyond)] == ["Gemeinde 4"]


def chart_numbers(page, key):
    svg = page[page.index(f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{key}"') :]
    svg = ET.fromstring(svg[: svg.index("</svg>") + len("</svg>")])
    texts = svg.findall(f"{SVG}text")
    labels = [text.text for text in texts if text.get("class") != "chart-count"]
    counts = [int(text.text) for text in texts if text.get("class") == "chart-count"]
    table = page[re.search(rf'<table [^>]*id="chart-{key}-data"', page).start() :]
    table = ET.fromstring(table[: table.index("</table>") + len("</table>")])
    rows = table.findall("./tbody/tr")
    table_labels = [row.find("th").text for row in rows]
    table_counts = [int(row.find("td").text) for row in rows]
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert table.find("caption").text
    assert {th.get("scope") for th in table.iter("th")} == {"col", "row"}
    return labels, counts, table_labels, table_counts


def test_chart_shows_the_same_numbers_as_its_data_table(client, coordinator, survey):
    client.force_login(coordinator)
    page = client.get(compare_url(survey, "plans")).content.decode()
    labels, counts, table_labels, table_counts = chart_numbers(page, "plans")
    assert labels == table_labels == ["Jugendhilfe", "Kita", "Altenhilfe", de("Other")]
    assert counts == table_counts == [2, 1, 0, 1]
    page = client.get(compare_url(survey, "monitoring")).content.decode()
    labels, counts, table_labels, table_counts = chart_numbers(page, "monitoring")
    assert (labels, counts) == (table_labels, table_counts) == ([de("Yes"), de("No")], [1, 1])


def test_question_without_a_chart_shows_only_the_table(client, coordinator, survey):
    client.force_login(coordinator)
    page = client.get(compare_url(survey, "notes")).content.decode()
    assert 'id="chart-' not in page and "Stellenplan 2020 beschlossen." in page


def test_numbers_get_a_histogram_with_lowest_median_and_highest():
    question = Question(kind="integer", config={"unit": "Stellen"})
    chart = results.chart_data(question, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, None], asked=14)
    assert (chart.answered, chart.asked) == (12, 14)
    assert [(bar.label, bar.count) for bar in chart.bars] == [
        ("0–1", 2),
        ("2–3", 2),
        ("4–5", 2),
        ("6–7", 2),
        ("8–9", 2),
        ("10–11", 2),
    ]
    with translation.override("de"):
        summary = results.chart_data(question, [1, 2, 4, 10], asked=4).summary
    assert [value for _name, value in summary] == ["1 Stellen", "3 Stellen", "10 Stellen"]
    decimals = Question(kind="decimal", config={"decimal_places": 1})
    values = [str(Decimal(n) / 10) for n in range(0, 100, 10)]  # 0.0 … 9.0: ten values
    bars = results.chart_data(decimals, values, asked=10).bars
    assert sum(bar.count for bar in bars) == 10 and len(bars) == 6


def test_text_is_escaped_on_the_comparison_page_and_in_the_chart(
    client, coordinator, member, own_org
):
    survey = build_results_survey(coordinator, [own_org], title="<script>alert(1)</script>")
    planner = Question.objects.get(section__version=survey.current_version, key="planner")
    planner.config = {"choices": [{"value": "yes", "label": "<script>alert(3)</script>"}]}
    planner.save()
    answer(survey, own_org, {"notes": "<script>alert(2)</script>", "planner": "yes"}, actor=member)
    client.force_login(coordinator)
    page = client.get(compare_url(survey, "notes")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    page = client.get(compare_url(survey, "planner")).content.decode()
    assert "<script>alert" not in page
    labels, counts, table_labels, _table_counts = chart_numbers(page, "planner")
    assert labels == table_labels == ["<script>alert(3)</script>"]  # parsed back from &lt;…


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_comparison_page_meets_wcag_aa(page, live_server, coordinator, survey):
    sign_in(page, live_server, coordinator)
    for key in ("plans", "posts", "levels"):
        assert_accessible(page, live_server.url + compare_url(survey, key))


# --- exports -------------------------------------------------------------------------------------

WIDE_HEADER = [
    "planner: Gibt es eine Sozialplanung?",
    "plans: Welche Fachplanungen gibt es?",
    "monitoring: Gibt es ein Sozialmonitoring?",
    "data_quality: Wie gut ist die Datenlage?",
    "posts: Wie viele Stellen?",
    "budget: Budget in Mio. Euro",
    "since: Seit wann?",
    "levels: Auf welcher Ebene liegen Daten vor? – Bevölkerung",
    "levels: Auf welcher Ebene liegen Daten vor? – SGB II",
    "areas: Sozialräume – Name",
    "areas: Sozialräume – Einwohner",
    "notes: Anmerkungen",
]


def wide_header():
    return [de("Organisation"), de("AGS"), de("Status"), de("Submitted"), *WIDE_HEADER]


def other(text):
    return de("Other: %(text)s") % {"text": text}


def test_csv_wide_has_one_row_per_organisation(client, coordinator, survey):
    client.force_login(coordinator)
    response = client.get(export_url(survey, "csv", "wide"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="ausgangssituation-der-kommunen-wide-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response)
    assert rows[0] == wide_header()
    assert rows[1] == ["Gemeinde Eitorf", "05382012", de("Not started"), ""] + [""] * 12
    assert rows[2] == [
        "Gemeinde Much",
        "05382036",
        de("In progress"),
        "",
        other("Im Aufbau"),
        "Jugendhilfe",
        de("No"),
        "",
        "0",
        *[""] * 7,
    ]
    assert rows[3] == [
        "Stadt Siegburg",
        "05382060",
        de("Submitted"),
        "03.05.2019 10:00",
        "Ja, eine Stelle",
        f"Jugendhilfe, Kita, {other('Wohnen')}",
        de("Yes"),
        "5",
        "2",
        "1,50",
        "01.03.2019",
        "Ortsteil",
        "Gemeinde",
        "Kaldauen | Innenstadt",
        "9000 | –",
        "Stellenplan 2020 beschlossen.",
    ]
    assert len(rows) == 4


def long_expected(member, outsider):
    by_much = outsider.person.full_name
    by_siegburg = member.person.full_name
    levels = ("levels", "Auf welcher Ebene liegen Daten vor?")
    areas = ("areas", "Sozialräume")
    much = [
        ("planner", "Gibt es eine Sozialplanung?", "", other("Im Aufbau")),
        ("plans", "Welche Fachplanungen gibt es?", "", "Jugendhilfe"),
        ("monitoring", "Gibt es ein Sozialmonitoring?", "", de("No")),
        ("posts", "Wie viele Stellen?", "", 0),
    ]
    siegburg = [
        ("planner", "Gibt es eine Sozialplanung?", "", "Ja, eine Stelle"),
        ("plans", "Welche Fachplanungen gibt es?", "", f"Jugendhilfe, Kita, {other('Wohnen')}"),
        ("monitoring", "Gibt es ein Sozialmonitoring?", "", de("Yes")),
        ("data_quality", "Wie gut ist die Datenlage?", "", 5),
        ("posts", "Wie viele Stellen?", "", 2),
        ("budget", "Budget in Mio. Euro", "", Decimal("1.50")),
        ("since", "Seit wann?", "", datetime.date(2019, 3, 1)),
        (*levels, "Bevölkerung", "Ortsteil"),
        (*levels, "SGB II", "Gemeinde"),
        (*areas, "Name", "Kaldauen | Innenstadt"),
        (*areas, "Einwohner", "9000 | –"),
        ("notes", "Anmerkungen", "", "Stellenplan 2020 beschlossen."),
    ]
    return [("Gemeinde Much", "05382036", *row, by_much) for row in much] + [
        ("Stadt Siegburg", "05382060", *row, by_siegburg) for row in siegburg
    ]


def long_header():
    return [
        de("Organisation"),
        de("AGS"),
        de("Question key"),
        de("Question"),
        de("Sub-field"),
        de("Answer"),
        de("Last changed by"),
        de("Last changed"),
    ]


def test_csv_long_has_one_row_per_answer_and_sub_field(
    client, coordinator, member, outsider, survey
):
    client.force_login(coordinator)
    rows = read_csv(client.get(export_url(survey, "csv", "long")))
    assert rows[0] == long_header()
    as_text = {0: "0", 2: "2", 5: "5", Decimal("1.50"): "1,50"}
    expected = [
        [
            *row[:5],
            as_text.get(row[5], "01.03.2019" if isinstance(row[5], datetime.date) else row[5]),
            row[6],
            "02.05.2019 12:30",
        ]
        for row in long_expected(member, outsider)
    ]
    assert rows[1:] == expected


def test_xlsx_wide_keeps_numbers_and_dates_typed(client, coordinator, survey):
    client.force_login(coordinator)
    response = client.get(export_url(survey, "xlsx", "wide"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'-wide-{timezone.localdate()}.xlsx"')
    rows = read_xlsx(response)
    assert rows[0] == wide_header()
    assert rows[1] == ["Gemeinde Eitorf", "05382012", de("Not started")] + [None] * 13
    assert rows[2][:9] == [
        "Gemeinde Much",
        "05382036",
        de("In progress"),
        None,
        other("Im Aufbau"),
        "Jugendhilfe",
        de("No"),
        None,
        0,
    ]
    assert rows[3] == [
        "Stadt Siegburg",
        "05382060",
        de("Submitted"),
        local(SUBMITTED_AT),
        "Ja, eine Stelle",
        f"Jugendhilfe, Kita, {other('Wohnen')}",
        de("Yes"),
        5,
        2,
        1.5,
        datetime.datetime(2019, 3, 1),
        "Ortsteil",
        "Gemeinde",
        "Kaldauen | Innenstadt",
        "9000 | –",
        "Stellenplan 2020 beschlossen.",
    ]


def test_xlsx_long_has_one_row_per_answer_and_sub_field(
    client, coordinator, member, outsider, survey
):
    client.force_login(coordinator)
    rows = read_xlsx(client.get(export_url(survey, "xlsx", "long")))
    assert rows[0] == long_header()

    def as_read(value):
        if isinstance(value, datetime.date):
            return datetime.datetime.combine(value, datetime.time())
        return float(value) if isinstance(value, Decimal) else value

    expected = [
        [*row[:4], row[4] or None, as_read(row[5]), row[6], local(CHANGED_AT)]
        for row in long_expected(member, outsider)
    ]
    assert rows[1:] == expected


def test_cells_that_would_run_as_formulas_are_defused(client, coordinator, member, own_org):
    survey = build_results_survey(coordinator, [own_org])
    formulas = {
        "notes": '=HYPERLINK("https://example.org","Klick")',
        "planner": {"other": "+49 2241 13-0"},
        "areas": [{"name": "@SUM(A1)", "residents": "5"}, {"name": "-Innenstadt"}],
        "budget": "-2,5",
    }
    answer(survey, own_org, formulas, actor=member)
    client.force_login(coordinator)
    guarded = {
        "notes": '\'=HYPERLINK("https://example.org","Klick")',
        "planner": other("+49 2241 13-0"),  # "Sonstiges: …" starts harmlessly
        "areas_name": "'@SUM(A1) | -Innenstadt",
    }
    header, row = read_csv(client.get(export_url(survey, "csv", "wide")))
    cells = dict(zip(header, row, strict=True))
    assert cells["notes: Anmerkungen"] == guarded["notes"]
    assert cells["planner: Gibt es eine Sozialplanung?"] == guarded["planner"]
    assert cells["areas: Sozialräume – Name"] == guarded["areas_name"]
    assert cells["budget: Budget in Mio. Euro"] == "-2,50"  # a number, not text: left as it is
    # XLSX keeps what was typed, in explicit text cells that never run as formulas.
    response = client.get(export_url(survey, "xlsx", "wide"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cells = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    assert cells["notes: Anmerkungen"].value == formulas["notes"]
    assert cells["planner: Gibt es eine Sozialplanung?"].value == other("+49 2241 13-0")
    assert cells["areas: Sozialräume – Name"].value == "@SUM(A1) | -Innenstadt"
    for title in ("notes: Anmerkungen", "areas: Sozialräume – Name"):
        assert cells[title].data_type == "s"
    assert cells["budget: Budget in Mio. Euro"].value == -2.5
    long_rows = read_csv(client.get(export_url(survey, "csv", "long")))
    assert [row[5] for row in long_rows if row[2] == "notes"] == [guarded["notes"]]


def test_organisation_names_are_defused_too(client, coordinator):
    organisation = OrganisationFactory(name="=Gemeinde", kind="other", ags=None)
    survey = build_results_survey(coordinator, [organisation])
    client.force_login(coordinator)
    rows = read_csv(client.get(export_url(survey, "csv", "wide")))
    assert rows[1][:2] == ["'=Gemeinde", ""]


@pytest.mark.parametrize("organisations", [2, 20])
def test_export_queries_do_not_grow_with_organisations(
    client, coordinator, django_assert_num_queries, organisations
):
    audience = [OrganisationFactory() for _ in range(organisations)]
    survey = build_results_survey(coordinator, audience)
    for organisation in audience:
        answer(survey, organisation, SIEGBURG, actor=member_of(organisation))
    client.force_login(coordinator)
    client.get(compare_url(survey))  # the session and 2FA checks warm up
    for file_format, read in (("csv", read_csv), ("xlsx", read_xlsx)):
        for layout in ("wide", "long"):
            # The last one writes the export to the security log.
            with django_assert_num_queries(10 if layout == "wide" else 8):
                rows = read(client.get(export_url(survey, file_format, layout)))
            assert len(rows) > organisations


def test_exports_stream_under_asgi_without_reading_everything_first(
    async_client, coordinator, survey
):
    """Django reads a synchronous iterator into one list before an ASGI server sends it;
    the exports hand ASGI an asynchronous one, so they stream there too."""
    async_client.force_login(coordinator)

    async def download(url):
        response = await async_client.get(url)
        return response, b"".join([chunk async for chunk in response.streaming_content])

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "StreamingHttpResponse must consume synchronous…"
        response, content = async_to_sync(download)(export_url(survey, "csv", "wide"))
        assert response.is_async
        assert content.startswith(b"\xef\xbb\xbf") and "Stadt Siegburg" in content.decode()
        response, content = async_to_sync(download)(export_url(survey, "xlsx", "long"))
        assert response.is_async
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=1).value == "Gemeinde Much"
    assert int(response["Content-Length"]) == len(content)


def test_survey_without_a_published_version_exports_only_the_header(client, coordinator, own_org):
    survey = SurveyFactory(title="Entwurf", actor=coordinator)
    survey.audience.add(own_org)
    client.force_login(coordinator)
    assert "Entwurf" in client.get(compare_url(survey)).content.decode()
    rows = read_csv(client.get(export_url(survey, "csv", "long")))
    assert rows == [long_header()]


@pytest.mark.parametrize(
    "start", ["=", "@", "+", "-", "\t", "\r"], ids=["equals", "at", "plus", "minus", "tab", "cr"]
)
def test_every_formula_start_is_defused_in_the_downloaded_csv_and_xlsx(client, coordinator, start):
    """Catches: one of = @ + - tab or carriage return no longer defused at a cell's start."""
    # The organisation's name: answers lose leading white space on saving, names keep it.
    name = f"{start}SUM(A1:A9)"
    survey = build_results_survey(
        coordinator, [OrganisationFactory(name=name, kind="other", ags=None)]
    )
    client.force_login(coordinator)
    rows = read_csv(client.get(export_url(survey, "csv", "wide")))
    assert rows[1][0] == f"'{name}"
    response = client.get(export_url(survey, "xlsx", "wide"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet[2][0]
    # Exactly what was typed, as text. A carriage return comes back as itself or, read by
    # a plain XML parser (openpyxl without lxml), as a line feed.
    assert cell.data_type == "s"
    assert cell.value in {name, name.replace("\r", "\n")}
