"""A municipality's staff member answers the survey in a real browser: fill, autosave,
reload, submit."""

import pytest
from playwright.sync_api import expect

from surveys import services
from surveys.models import Response
from tests.browser import wait_for_htmx
from tests.factories import member_of
from tests.surveys.test_services import build_survey
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_fills_autosaves_reloads_and_submits(
    page, live_server, coordinator, member, own_org
):
    survey = build_survey(coordinator, audience=[own_org])
    sign_in(page, live_server, member)

    page.goto(f"{live_server.url}/surveys/")
    page.get_by_role("link", name=survey.title).click()
    page.get_by_role("button", name="Antwortbogen beginnen").click()
    expect(page.locator("h1")).to_have_text("Stadt Siegburg")
    assert_accessible(page)

    planner = page.locator("#question-planner")
    follow_up = page.locator("#question-planner_count")
    expect(follow_up).to_be_hidden()
    planner.get_by_label("Ja").check()
    expect(planner.locator(".answer-meta")).to_contain_text("Gespeichert")
    expect(follow_up).to_be_visible()  # the condition is met: the follow-up appears at once
    wait_for_htmx(page)

    count = follow_up.get_by_role("textbox")
    count.fill("2")
    count.press("Tab")
    expect(follow_up.locator(".answer-meta")).to_contain_text("Gespeichert")
    notes = page.locator("#question-notes").get_by_role("textbox")
    notes.fill("Eine halbe Stelle ist ausgeschrieben.")
    notes.press("Tab")
    expect(page.locator("#question-notes .answer-meta")).to_contain_text(member.person.full_name)

    page.reload()
    expect(page.locator("#question-planner").get_by_label("Ja")).to_be_checked()
    expect(page.locator("#question-planner_count").get_by_role("textbox")).to_have_value("2")
    expect(page.locator("#question-notes").get_by_role("textbox")).to_have_value(
        "Eine halbe Stelle ist ausgeschrieben."
    )

    page.get_by_role("button", name="Antwortbogen abschicken").click()
    expect(page.locator("#response-status")).to_have_text("Abgeschickt")
    expect(page.locator("#question-notes").get_by_role("textbox")).to_be_disabled()
    assert Response.objects.get(survey=survey, organisation=own_org).status == "submitted"
    assert_accessible(page)


def test_a_refused_entry_stays_visible_with_its_error(
    page, live_server, coordinator, member, own_org
):
    survey = build_survey(coordinator, audience=[own_org])
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    page.get_by_role("button", name="Antwortbogen beginnen").click()
    page.locator("#question-planner").get_by_label("Ja").check()
    expect(page.locator("#question-planner_count")).to_be_visible()
    wait_for_htmx(page)
    count = page.locator("#question-planner_count").get_by_role("textbox")
    count.fill("999")
    count.press("Tab")
    expect(page.locator("#question-planner_count")).to_contain_text("höchstens 50")
    expect(page.locator("#question-planner_count").get_by_role("textbox")).to_have_value("999")


def test_two_staff_in_two_browsers_see_the_conflict_and_choose(
    browser, live_server, coordinator, member, own_org
):
    survey = build_survey(coordinator, audience=[own_org])
    response = services.response_for(survey, own_org)
    colleague = member_of(own_org)
    pages = []
    for user in (member, colleague):
        context = browser.new_context(locale="de-DE")
        context.set_default_timeout(15_000)
        staff_page = context.new_page()
        sign_in(staff_page, live_server, user)
        staff_page.goto(f"{live_server.url}/surveys/responses/{response.pk}/")
        pages.append(staff_page)
    first, second = pages

    first_notes = first.locator("#question-notes").get_by_role("textbox")
    first_notes.fill("Fassung der Kollegin")
    first_notes.press("Tab")
    expect(first.locator("#question-notes .answer-meta")).to_contain_text("Gespeichert")

    second_notes = second.locator("#question-notes").get_by_role("textbox")
    second_notes.fill("Meine Fassung")
    second_notes.press("Tab")
    conflict = second.locator("#question-notes .conflict")
    expect(conflict).to_contain_text("Fassung der Kollegin")
    expect(second.locator("#question-notes").get_by_role("textbox")).to_have_value("Meine Fassung")

    conflict.get_by_role("button", name="Stattdessen meine Eingabe speichern").click()
    expect(second.locator("#question-notes .answer-meta")).to_contain_text(
        colleague.person.full_name
    )
    assert services.answers_by_key(response)["notes"] == "Meine Fassung"
    for staff_page in pages:
        staff_page.context.close()
