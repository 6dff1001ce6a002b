"""Dot voting at the speed of a person who knows what they want: clicks faster than the
screen redraws and faster than the server answers still add up, and nothing is lost."""

import pytest
from playwright.sync_api import expect

from tests.live_support import off_the_browser_thread
from tests.workshops.live.test_browser import activity, join
from workshops.live import services
from workshops.live.models import DotVote

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


def test_quick_clicks_on_the_dots_all_count(browser, asgi_server, live_workshop, coordinator):
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    vote = off_the_browser_thread(
        services.create_activity,
        live_session,
        actor=coordinator,
        kind="dots",
        title="Was zuerst?",
        config={"options": ["Kita", "Schule", "Freizeit"], "dots": 5, "max_per_option": 3},
    )
    off_the_browser_thread(services.open_activity, vote, actor=coordinator)

    anna = join(browser, asgi_server.origin, live_session.join_code, "Anna")
    section = activity(anna, "Was zuerst?")
    more_kita = section.get_by_role("button", name="One dot more for “Kita”")
    more_school = section.get_by_role("button", name="One dot more for “Schule”")
    # Five clicks in one go, faster than answers come back; the fourth on Kita is one over
    # its limit of three and changes nothing.
    for button in (more_kita, more_kita, more_school, more_kita, more_kita):
        # The click goes to the button in the page at that moment, without waiting for it to
        # be enabled or laid out: by then the redrawn "+" of Kita may be disabled or be
        # replaced mid-click, as for a person clicking fast (a geometry check on the replaced
        # button failed now and then on a loaded machine, though the click is the same).
        button.dispatch_event("click")

    expect(section.get_by_label("Kita", exact=True)).to_have_value("3")
    expect(section.get_by_label("Schule", exact=True)).to_have_value("1")
    expect(section.get_by_text("1 of 5 dots left")).to_be_visible()
    anna.reload()
    section = activity(anna, "Was zuerst?")
    expect(section.get_by_label("Kita", exact=True)).to_have_value("3")
    stored = {
        vote_row.option: vote_row.count
        for vote_row in off_the_browser_thread(list, DotVote.objects.filter(activity=vote))
    }
    assert stored == {"1": 3, "2": 1}
