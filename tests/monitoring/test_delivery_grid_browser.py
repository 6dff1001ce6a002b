"""A member of a municipality fills the delivery grid by keyboard: each figure saves itself
as its field is left, a figure out of range is refused in its cell with the reason, and the
submitted delivery turns read-only; the coordinator approves it. axe finds no violation on
the grid (with a refused figure), the round's completeness matrix and the reviewed
delivery."""

import pytest
from playwright.sync_api import expect

from monitoring.models import Delivery, Review, Value
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_fills_the_grid_by_keyboard_and_the_coordinator_approves(
    page, live_server, member, coordinator, own_org, social_space, neighbourhood, delivery_round
):
    delivery = Delivery.objects.get(round=delivery_round)
    sign_in(page, live_server, member)
    page.goto(live_server.url + delivery.get_absolute_url())
    residents = page.get_by_label("Einwohner – Altstadt", exact=True)
    minors = page.get_by_label("Anteil unter 18 – Innenstadt", exact=True)
    total = page.get_by_label("Einwohner – Stadt Siegburg (freiwillig)", exact=True)

    total.focus()
    page.keyboard.type("1500")
    page.keyboard.press("Tab")  # on to the next field: the total saves itself
    expect(page.get_by_text("Vorrunde")).to_have_count(0)
    minors.focus()
    page.keyboard.type("117")
    page.keyboard.press("Shift+Tab")
    refused = page.locator(".question-error")
    expect(refused).to_contain_text("Ein Prozentsatz liegt zwischen 0 und 100.")
    assert_accessible(page)

    minors.fill("")
    minors.focus()
    page.keyboard.type("17,5")
    residents.focus()
    page.keyboard.type("1500")
    page.keyboard.press("Tab")
    expect(page.locator(".question-error")).to_have_count(0)
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request')", polling=100, timeout=10_000
    )
    assert {v.number for v in Value.objects.filter(response=delivery)} == {1500, 17.5}

    page.get_by_role("button", name="Lieferung abgeben").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("abgegeben, wartet auf Prüfung").first).to_be_visible()
    expect(page.get_by_label("Einwohner – Altstadt", exact=True)).to_have_attribute("readonly", "")

    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + delivery_round.get_absolute_url())
    expect(page.get_by_role("row", name="Stadt Siegburg")).to_contain_text("2/2")
    page.get_by_role("link", name="Stadt Siegburg").click()
    page.get_by_role("button", name="Freigeben").click()
    expect(page.get_by_text("ist freigegeben")).to_be_visible()
    assert_accessible(page)
    delivery.refresh_from_db()
    assert delivery.review == Review.APPROVED
