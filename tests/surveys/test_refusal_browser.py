"""A refused entry in a real browser: shown in place with its error, the rest of the page
intact, the focus on a field (never lost to the page), also in the demo's DEBUG mode."""

import pytest
from playwright.sync_api import expect

from surveys import services
from tests.browser import wait_for_htmx
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLUMNS = [
    {"key": "name", "label": "Einrichtung", "kind": "short_text", "required": True},
    {"key": "seats", "label": "Plätze", "kind": "integer"},
]


@pytest.fixture
def response_page(page, live_server, settings, coordinator, member, own_org):
    settings.DEBUG = True  # as in the embedded demo
    survey = SurveyFactory(title="Angebote vor Ort", actor=coordinator)
    survey.audience.add(own_org)
    section = SectionFactory(version=survey.draft_version, position=1, title="Angebote")
    questions = [
        ("staff", "decimal", "Wie viele Stellen?", {}),
        ("offers", "table", "Welche Angebote gibt es?", {"columns": COLUMNS}),
        ("notes", "long_text", "Anmerkungen", {}),
    ]
    for position, (key, kind, text, config) in enumerate(questions, start=1):
        QuestionFactory(
            section=section, position=position, key=key, kind=kind, text=text, config=config
        )
    services.publish(survey, actor=coordinator)
    response = services.response_for(survey, own_org)
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}{response.get_absolute_url()}")
    return page


def expect_page_intact(page):
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("navigation", name="Abschnitte")).to_be_visible()
    expect(page.locator("#question-notes")).to_be_visible()
    expect(page.get_by_role("button", name="Antwortbogen abschicken")).to_be_visible()


def test_a_word_in_a_decimal_field_is_refused_in_place(response_page):
    page = response_page
    staff = page.locator("#question-staff")
    staff.get_by_role("textbox").fill("viele")
    staff.get_by_role("textbox").press("Tab")
    expect(staff).to_contain_text("Bitte eine Zahl eingeben")
    wait_for_htmx(page)
    expect_page_intact(page)
    expect(staff.get_by_role("textbox")).to_have_value("viele")
    expect(staff.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
    # The focus went on to where the respondent tabbed, within the page.
    expect(page.locator("#question-offers").get_by_label("Zeile 1: Einrichtung")).to_be_focused()
    assert_accessible(page)


def test_a_refused_entry_takes_the_focus_back_when_the_redraw_lost_it(response_page):
    page = response_page
    staff = page.locator("#question-staff").get_by_role("textbox")
    staff.fill("viele")
    page.locator("h2").first.click()  # leaves the field, the focus goes to the page
    expect(page.locator("#question-staff")).to_contain_text("Bitte eine Zahl eingeben")
    wait_for_htmx(page)
    expect_page_intact(page)
    expect(page.locator("#question-staff").get_by_role("textbox")).to_be_focused()


def test_a_table_row_missing_its_required_cell_is_refused_in_place(response_page):
    page = response_page
    offers = page.locator("#question-offers")
    offers.get_by_label("Zeile 1: Plätze").fill("12")
    offers.get_by_label("Zeile 1: Plätze").press("Tab")
    expect(offers.locator(".errorlist")).to_be_visible()
    wait_for_htmx(page)
    expect_page_intact(page)
    expect(offers.get_by_label("Zeile 1: Plätze")).to_have_value("12")
    expect(offers.get_by_label("Zeile 2: Einrichtung")).to_be_focused()
