"""A participant's browser survives the server going away: it says so, reconnects by itself
once the server is back, and shows what it missed (from the snapshot) beside what it had
written before."""

import pytest
from playwright.sync_api import expect

from tests.live_support import LiveServer, off_the_browser_thread, server_env
from tests.workshops.live.test_browser import activity, add_card, connected, join
from workshops.live import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def own_server(django_db_setup, django_db_blocker):
    """A server of this test's own, so that it can be stopped and started on its port."""
    servers = [LiveServer(server_env()).wait_ready()]
    yield servers
    for server in servers:
        server.stop()


def test_a_participant_reconnects_after_the_server_restarts_and_keeps_everything(
    browser, own_server, live_workshop, coordinator
):
    server = own_server[0]
    base = server.origin
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    cards = off_the_browser_thread(
        services.create_activity,
        live_session,
        actor=coordinator,
        kind="cards",
        title="Was brauchen Familien?",
    )
    off_the_browser_thread(services.open_activity, cards, actor=coordinator)

    anna = join(browser, base, live_session.join_code, "Anna")
    add_card(anna, activity(anna, "Was brauchen Familien?"), "Mehr Kitaplätze")

    server.stop()
    expect(anna.get_by_text("Connection lost. Reconnecting in")).to_be_visible()
    # Meanwhile the moderator opens a poll (the database is the truth; nobody hears of it).
    poll = off_the_browser_thread(
        services.create_activity,
        live_session,
        actor=coordinator,
        kind="poll",
        title="Wann treffen wir uns wieder?",
        config={"options": ["Im Frühjahr", "Im Herbst"]},
    )
    off_the_browser_thread(services.open_activity, poll, actor=coordinator)
    own_server.append(LiveServer(server_env(), port=server.port).wait_ready())

    connected(anna)
    expect(anna.get_by_role("heading", name="Wann treffen wir uns wieder?")).to_be_visible()
    own_cards = activity(anna, "Was brauchen Familien?").locator(".live-own")
    expect(own_cards.get_by_text("Mehr Kitaplätze", exact=True)).to_be_visible()
