"""The documentation page with a live session's results in a real browser: WCAG 2.1 AA, and
printed (the print style sheet keeps the charts and tables and drops the download)."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from tests.test_accessibility_browser import assert_accessible, sign_in
from workshops.live import services
from workshops.live.models import ActivityKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_plain_thread(function):
    """Run our code where no event loop runs: Playwright's holds the test's thread, and the
    live services send their updates through async_to_sync."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_documentation_with_live_results_is_accessible_and_prints(
    page, live_server, coordinator, live_session
):
    def entries():
        anna = services.join_with_code({}, live_session.join_code, "Anna")
        ben = services.join_with_code({}, live_session.join_code, "Ben")
        cards = services.create_activity(
            live_session, actor=coordinator, kind=ActivityKind.CARDS, title="Ideen"
        )
        services.open_activity(cards, actor=coordinator)
        card = services.add_card(cards, participant=anna, text="Mehr Kitaplätze")
        services.create_cluster(cards, actor=coordinator, title="Betreuung", card_ids=[card.pk])
        poll = services.create_activity(
            live_session,
            actor=coordinator,
            kind=ActivityKind.POLL,
            title="Einverstanden?",
            config={"options": ["Ja", "Nein"]},
        )
        services.open_activity(poll, actor=coordinator)
        services.answer_poll(poll, participant=anna, options=["1"])
        services.answer_poll(poll, participant=ben, options=["2"])
        return poll

    poll = in_plain_thread(entries)
    sign_in(page, live_server, coordinator)
    url = live_server.url + reverse("workshops:documentation", args=[live_session.workshop_id])
    assert_accessible(page, url)
    chart = page.locator(f"#activity-{poll.pk}-chart")
    assert chart.get_attribute("role") == "img"
    name = chart.locator("title").text_content()
    assert "Einverstanden?" in name
    assert page.get_by_role("img", name=name).count() == 1
    download = page.locator(".live-results .actions a")
    assert download.is_visible()

    page.emulate_media(media="print")
    assert not download.is_visible()
    assert chart.is_visible() and page.locator(f"#activity-{poll.pk}-chart-data").is_visible()
    assert page.get_by_text("Mehr Kitaplätze").is_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
