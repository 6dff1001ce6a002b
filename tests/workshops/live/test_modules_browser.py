"""Each live page loads its own entry module and what that imports: a participant's browser
and the projector never download the moderator's code."""

import pytest
from playwright.sync_api import expect

from tests.live_support import signed_in_cookie
from tests.workshops.live.test_browser import connected, new_page
from workshops.live import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


def scripts_of(page):
    """The script URLs the page asks for, from now on."""
    urls = []
    page.on(
        "request",
        lambda request: urls.append(request.url) if request.resource_type == "script" else None,
    )
    return urls


def live_modules(urls):
    return {
        url.split("/static/workshops/live/", 1)[1]
        for url in urls
        if "/static/workshops/live/" in url
    }


def test_each_live_page_loads_only_its_own_modules(
    browser, asgi_server, live_workshop, coordinator
):
    base = asgi_server.origin
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    cookie = signed_in_cookie(coordinator)

    console = new_page(browser, base, cookie)
    console_scripts = scripts_of(console)
    console.goto(f"{base}/workshops/{live_workshop.pk}/live/")
    connected(console)
    console_modules = live_modules(console_scripts)
    assert "console.js" in console_modules
    assert {"moderator/cards.js", "moderator/session.js"} <= console_modules

    participant = new_page(browser, base)
    participant_scripts = scripts_of(participant)
    participant.goto(f"{base}/live/?code={live_session.join_code}")
    participant.get_by_label("Your name").fill("Anna")
    participant.get_by_role("button", name="Join").click()
    expect(participant.get_by_text("You take part as Anna.")).to_be_visible()
    connected(participant)

    projector = console.context.new_page()
    projector_scripts = scripts_of(projector)
    projector.goto(f"{base}/workshops/{live_workshop.pk}/live/projector/")
    connected(projector)

    for modules, entry in [
        (live_modules(participant_scripts), "participant.js"),
        (live_modules(projector_scripts), "projector.js"),
    ]:
        assert entry in modules
        assert {"connection.js", "render.js", "kinds/cards.js", "kinds/questions.js"} <= modules
        assert not [
            name for name in modules if name.startswith("moderator/") or name == "console.js"
        ]

    for page in (console, participant):
        page.context.close()
