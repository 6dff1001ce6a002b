"""Autosave in a real browser: typing on while a save is on its way loses nothing, an
expired session keeps what was typed until the sign-in, radio answers can be cleared, and
the coordinator reorders the draft with buttons."""

import pytest
from playwright.sync_api import expect

from surveys import services
from surveys.models import Response
from tests.browser import wait_for_htmx
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
COLUMNS = [
    {"key": "name", "label": "Einrichtung", "kind": "short_text"},
    {"key": "seats", "label": "Plätze", "kind": "integer"},
]
MATRIX = {
    "rows": [{"value": "youth", "label": "Jugendhilfe"}, {"value": "care", "label": "Pflege"}],
    "columns": [{"value": "good", "label": "gut"}, {"value": "poor", "label": "schlecht"}],
}


def build_survey(coordinator, own_org, *, publish=True):
    survey = SurveyFactory(title="Angebote vor Ort", actor=coordinator)
    survey.audience.add(own_org)
    version = survey.draft_version
    first = SectionFactory(version=version, position=1, title="Angebote")
    second = SectionFactory(version=version, position=2, title="Einschätzung")
    questions = [
        (first, "offers", "table", "Welche Angebote gibt es?", {"columns": COLUMNS}),
        (first, "supply", "matrix", "Wie ist die Versorgung?", MATRIX),
        (first, "planner", "yes_no", "Gibt es eine Sozialplanung?", {}),
        (first, "notes", "long_text", "Anmerkungen", {}),
        (second, "outlook", "short_text", "Ausblick", {}),
    ]
    for position, (section, key, kind, text, config) in enumerate(questions, start=1):
        QuestionFactory(
            section=section, position=position, key=key, kind=kind, text=text, config=config
        )
    if publish:
        services.publish(survey, actor=coordinator)
    return survey


def open_response(page, live_server, coordinator, member, own_org):
    survey = build_survey(coordinator, own_org)
    response = services.response_for(survey, own_org)
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}{response.get_absolute_url()}")
    return response


class HeldReplies:
    """Holds the server's reply to the first autosave of a question until `release`: the
    save reaches the server, its answer reaches the browser late (a slow connection)."""

    def __init__(self, page, key):
        self.page, self.held = page, []
        page.route(f"**/answers/{key}/", self.handle)

    def handle(self, route):
        if self.held:
            route.continue_()
        else:
            self.held.append((route, route.fetch()))

    def wait_for_first(self):
        for _attempt in range(200):
            if self.held:
                return
            self.page.wait_for_timeout(25)
        raise AssertionError("no autosave was sent")

    def release(self):
        route, reply = self.held[0]
        route.fulfill(response=reply)


def test_typing_on_in_a_table_while_its_save_is_slow_loses_nothing(
    page, live_server, coordinator, member, own_org
):
    response = open_response(page, live_server, coordinator, member, own_org)
    offers = page.locator("#question-offers")
    replies = HeldReplies(page, "offers")

    offers.get_by_label("Zeile 1: Einrichtung").fill("Kita Sonnenschein")
    page.keyboard.press("Tab")  # to "Zeile 1: Plätze": the first save leaves
    replies.wait_for_first()
    page.keyboard.type("4")
    replies.release()  # the reply arrives while the second field is being typed into
    expect(offers.locator(".answer-meta")).to_contain_text("Gespeichert")
    page.keyboard.type("0")
    expect(offers.get_by_label("Zeile 1: Plätze")).to_be_focused()
    expect(offers.get_by_label("Zeile 1: Plätze")).to_have_value("40")
    expect(offers.get_by_label("Zeile 3: Einrichtung")).to_be_visible()  # a row to add more
    page.keyboard.press("Tab")
    expect(offers.locator('input[name="q-offers-revision"]')).to_have_value("2")

    page.reload()
    expect(page.get_by_label("Zeile 1: Einrichtung")).to_have_value("Kita Sonnenschein")
    expect(page.get_by_label("Zeile 1: Plätze")).to_have_value("40")
    assert services.answers_by_key(response)["offers"] == [
        {"name": "Kita Sonnenschein", "seats": 40}
    ]


def test_leaving_a_second_field_while_the_first_save_is_slow_saves_both(
    page, live_server, coordinator, member, own_org
):
    response = open_response(page, live_server, coordinator, member, own_org)
    supply = page.locator("#question-supply")
    replies = HeldReplies(page, "supply")

    supply.get_by_label("Jugendhilfe: gut").check()
    replies.wait_for_first()
    supply.get_by_label("Pflege: schlecht").check()  # its save waits for the first
    replies.release()
    expect(supply.locator('input[name="q-supply-revision"]')).to_have_value("2")

    page.reload()
    expect(page.get_by_label("Jugendhilfe: gut")).to_be_checked()
    expect(page.get_by_label("Pflege: schlecht")).to_be_checked()
    assert services.answers_by_key(response)["supply"] == {"youth": "good", "care": "poor"}


def test_typing_during_a_refused_save_stays_in_the_redrawn_question(
    page, live_server, coordinator, member, own_org
):
    open_response(page, live_server, coordinator, member, own_org)
    offers = page.locator("#question-offers")
    replies = HeldReplies(page, "offers")

    offers.get_by_label("Zeile 1: Plätze").fill("viele")
    page.keyboard.press("Tab")  # to "Zeile 2: Einrichtung"
    replies.wait_for_first()
    page.keyboard.type("Hort")
    replies.release()  # refused: the whole question is drawn again, with the error
    expect(offers).to_contain_text("ganze Zahl")
    expect(offers.get_by_label("Zeile 1: Plätze")).to_have_value("viele")
    expect(offers.get_by_label("Zeile 2: Einrichtung")).to_have_value("Hort")
    expect(offers.get_by_label("Zeile 2: Einrichtung")).to_be_focused()


def test_session_expiry_keeps_the_entry_until_the_sign_in(
    page, live_server, coordinator, member, own_org
):
    response = open_response(page, live_server, coordinator, member, own_org)
    notes = page.locator("#question-notes").get_by_role("textbox")
    notes.fill("Getippt, als die Sitzung schon abgelaufen war.")
    page.context.clear_cookies(name="sessionid")
    notes.press("Tab")

    status = page.locator("#question-notes .question-status")
    expect(status).to_contain_text(
        "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an – Ihre Eingabe bleibt erhalten."
    )
    expect(notes).to_have_value("Getippt, als die Sitzung schon abgelaufen war.")
    assert not response.answers.exists()

    status.get_by_role("link", name="Erneut anmelden").click()
    page.locator('input[name="login"]').fill(member.email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('form[action="/accounts/login/"] button[type="submit"]').click()

    expect(page.locator("#restored")).to_contain_text("Ihre Eingaben wurden wiederhergestellt")
    expect(page.locator("#restored")).to_contain_text("Anmerkungen")
    expect(page.locator("#question-notes").get_by_role("textbox")).to_have_value(
        "Getippt, als die Sitzung schon abgelaufen war."
    )
    assert services.answers_by_key(response)["notes"] == (
        "Getippt, als die Sitzung schon abgelaufen war."
    )
    assert_accessible(page)


def test_a_radio_answer_is_cleared_with_a_button(page, live_server, coordinator, member, own_org):
    response = open_response(page, live_server, coordinator, member, own_org)
    planner = page.locator("#question-planner")
    planner.get_by_label("Ja").check()
    expect(planner.locator(".answer-meta")).to_contain_text("Gespeichert")
    wait_for_htmx(page)

    planner.get_by_role("button", name="Antwort löschen – Gibt es eine Sozialplanung?").click()
    expect(planner.locator(".answer-meta")).to_contain_text("Antwort gelöscht")
    expect(planner.get_by_label("Ja")).not_to_be_checked()
    expect(page.locator("#q-planner-clear")).to_be_focused()
    assert services.answers_by_key(response)["planner"] is None
    assert Response.objects.get(pk=response.pk).answers.get().revision == 2
    assert_accessible(page)


def test_coordinator_reorders_the_draft_with_buttons(page, live_server, coordinator, own_org):
    survey = build_survey(coordinator, own_org, publish=False)
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/surveys/{survey.pk}/build/")
    assert_accessible(page)

    page.get_by_role("button", name="Nach unten verschieben – Abschnitt „Angebote“").click()
    expect(page.locator(".message-success")).to_contain_text(
        "Der Abschnitt „Angebote“ steht jetzt an Position 2."
    )
    expect(page.locator("h2").first).to_have_text("1. Einschätzung")
    page.get_by_role(
        "button", name="In den vorigen Abschnitt verschieben – Welche Angebote gibt es?"
    ).click()
    expect(page.locator(".message-success")).to_contain_text(
        "Die Frage „Welche Angebote gibt es?“ steht jetzt an Position 2 in „Einschätzung“."
    )
    assert_accessible(page)
