"""A live session in real browsers against the real ASGI server (uvicorn, Redis, PostgreSQL):
a moderator and two participants, each in a browser context of their own, collect cards,
cluster them (by keyboard and by drag and drop), vote with dots on the clusters; the
projector shows the tally, and a participant who reloads mid-vote still sees their dots."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.live_support import signed_in_cookie
from tests.test_accessibility_browser import assert_accessible
from workshops.live import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


PHONE = {"width": 375, "height": 740}


def new_page(browser, base, cookie=None, viewport=None):
    """A browser of its own, in English (as chosen with the language switch: the German
    catalogue of these pages is regenerated separately). The cookie, not Accept-Language,
    because Playwright's locale does not reach the WebSocket handshake."""
    context = browser.new_context(
        locale="en-US", viewport=viewport or {"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}]
    if cookie:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base})
    context.add_cookies(cookies)
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"script error: {error}"))
    return page


def connected(page):
    expect(page.get_by_text("Connected.", exact=True)).to_be_visible()


def join(browser, base, code, name, *, audit=False, viewport=None):
    page = new_page(browser, base, viewport=viewport)
    page.goto(f"{base}/live/?code={code}")
    expect(page.get_by_label("Join code")).to_have_value(code)
    if audit:
        assert_accessible(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text(f"You take part as {name}.")).to_be_visible()
    connected(page)
    return page


def activity(page, title):
    return page.locator("section.live-activity").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def add_card(page, section, text):
    section.get_by_label("Your card").fill(text)
    section.get_by_role("button", name="Add card").click()
    expect(section.locator(".live-own").get_by_text(text, exact=True)).to_be_visible()


def create_activity(console, kind, title, fill=None):
    form = console.locator('[data-form="activity-create"]')
    form.get_by_label("Kind").select_option(kind)
    form.get_by_label("Title or question").fill(title)
    if fill:
        fill(form)
    form.get_by_role("button", name="Create activity").click()
    section = activity(console, title)
    expect(section.get_by_text("Draft", exact=False)).to_be_visible()
    section.get_by_role("button", name="Open", exact=True).click()
    expect(section.get_by_role("button", name="Close", exact=True)).to_be_visible()
    return section


def bar_value(section, label):
    return section.locator(".live-bar-row").filter(has_text=label).locator(".live-bar-value")


def test_a_card_collection_and_a_dot_vote_in_three_browsers(
    browser, asgi_server, live_workshop, coordinator
):
    base = asgi_server.origin
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    code = live_session.join_code
    moderator_cookie = signed_in_cookie(coordinator)

    console = new_page(browser, base, moderator_cookie)
    console.goto(f"{base}/workshops/{live_workshop.pk}/live/")
    expect(console.get_by_role("heading", name="Live session", level=1)).to_be_visible()
    connected(console)
    expect(console.locator('[data-bind="join-code"]')).to_have_text(code)
    assert_accessible(console)

    anna = join(browser, base, code, "Anna", audit=True)
    ben = join(browser, base, code, "Ben")
    expect(anna.get_by_text("Nothing is open at the moment.")).to_be_visible()
    expect(console.get_by_text("2 participants")).to_be_visible()

    # The card collection opens while the participants are already waiting.
    create_activity(console, "cards", "Was brauchen Familien?")
    for page in (anna, ben):
        expect(page.get_by_role("heading", name="Was brauchen Familien?")).to_be_visible()
    add_card(anna, activity(anna, "Was brauchen Familien?"), "Mehr Kitaplätze")
    add_card(anna, activity(anna, "Was brauchen Familien?"), "Sichere Schulwege")
    add_card(ben, activity(ben, "Was brauchen Familien?"), "Kita-Ausbau")
    add_card(ben, activity(ben, "Was brauchen Familien?"), "Mehr Spielplätze")

    cards = activity(console, "Was brauchen Familien?")
    for text in ("Mehr Kitaplätze", "Sichere Schulwege", "Kita-Ausbau", "Mehr Spielplätze"):
        expect(cards.get_by_text(text, exact=True)).to_be_visible()
    # By keyboard: select two cards, make a cluster of them.
    cards.get_by_label("Select “Mehr Kitaplätze”").check()
    cards.get_by_label("Select “Kita-Ausbau”").check()
    cards.get_by_label("Title of the new cluster").fill("Kinderbetreuung")
    cards.get_by_role("button", name="New cluster from selected cards").click()
    expect(cards.get_by_role("heading", name="Kinderbetreuung (2)")).to_be_visible()
    # By drag and drop: one loose card onto another makes a cluster of both; rename it.
    cards.get_by_text("Sichere Schulwege", exact=True).drag_to(
        cards.get_by_text("Mehr Spielplätze", exact=True)
    )
    expect(cards.get_by_role("heading", name="Mehr Spielplätze (2)")).to_be_visible()
    cards.get_by_label("Name of cluster “Mehr Spielplätze”").fill("Draußen")
    cards.get_by_role("button", name="Rename").last.click()
    expect(cards.get_by_role("heading", name="Draußen (2)")).to_be_visible()
    assert_accessible(console)
    # The participants see the clusters (a card collection shows its cards).
    ben_cards = activity(ben, "Was brauchen Familien?")
    expect(ben_cards.get_by_text("Kinderbetreuung (2)")).to_be_visible()
    cards.get_by_role("button", name="Close", exact=True).click()

    # A dot vote on the clusters: 3 dots, at most 2 per option, results shown.
    def dots_settings(form):
        form.get_by_label("Dots per participant (1–20)").fill("3")
        form.get_by_label("At most per option").fill("2")
        form.get_by_label("Vote on").select_option(label="clusters of “Was brauchen Familien?”")

    vote = create_activity(console, "dots", "Was ist am dringendsten?", dots_settings)
    vote.get_by_role("button", name="Show results").click()
    expect(vote.get_by_role("button", name="Hide results")).to_be_visible()

    anna_vote = activity(anna, "Was ist am dringendsten?")
    expect(anna_vote.get_by_text("3 of 3 dots left")).to_be_visible()
    anna_vote.get_by_role("button", name="One dot more for “Kinderbetreuung”").click()
    expect(anna_vote.get_by_text("2 of 3 dots left")).to_be_visible()
    anna_vote.get_by_role("button", name="One dot more for “Kinderbetreuung”").click()
    expect(anna_vote.get_by_text("1 of 3 dots left")).to_be_visible()
    # The per-option limit: the button stops, and the server refuses a typed 3 with its reason.
    more = anna_vote.get_by_role("button", name="One dot more for “Kinderbetreuung”")
    expect(more).to_be_disabled()
    anna_vote.get_by_role("spinbutton", name="Kinderbetreuung").fill("3")
    anna_vote.get_by_role("spinbutton", name="Kinderbetreuung").press("Tab")
    expect(anna_vote.get_by_text("At most 2 dots per option.")).to_be_visible()
    expect(anna_vote.get_by_role("spinbutton", name="Kinderbetreuung")).to_have_value("2")
    anna_vote.get_by_role("button", name="One dot more for “Draußen”").click()
    expect(anna_vote.get_by_text("0 of 3 dots left")).to_be_visible()

    ben_vote = activity(ben, "Was ist am dringendsten?")
    ben_vote.get_by_role("button", name="One dot more for “Kinderbetreuung”").click()
    expect(ben_vote.get_by_text("2 of 3 dots left")).to_be_visible()

    # Reloading mid-vote: the dots are still there.
    anna.reload()
    connected(anna)
    anna_vote = activity(anna, "Was ist am dringendsten?")
    expect(anna_vote.get_by_text("0 of 3 dots left")).to_be_visible()
    assert_accessible(anna)
    expect(anna_vote.get_by_role("spinbutton", name="Kinderbetreuung")).to_have_value("2")
    expect(anna_vote.get_by_role("spinbutton", name="Draußen")).to_have_value("1")

    # The projector: the join code, its QR code, the tally of the open vote.
    projector = console.context.new_page()
    projector.goto(f"{base}/workshops/{live_workshop.pk}/live/projector/")
    connected(projector)
    expect(projector.locator(".live-code-large")).to_have_text(code)
    expect(projector.locator("svg.live-qr")).to_be_visible()
    board = activity(projector, "Was ist am dringendsten?")
    expect(bar_value(board, "Kinderbetreuung")).to_have_text("3")
    expect(bar_value(board, "Draußen")).to_have_text("1")
    expect(board.get_by_text("2 voted")).to_be_visible()
    assert_accessible(projector)
    # Ben adds a dot: the projector follows without a reload.
    ben_vote.get_by_role("button", name="One dot more for “Draußen”").click()
    expect(bar_value(board, "Draußen")).to_have_text("2")
    expect(board.get_by_role("table")).to_have_count(1)  # the screen reader's version

    for page in (console, anna, ben):
        page.context.close()


def test_a_poll_questions_a_mood_round_and_the_moderators_controls(
    browser, asgi_server, live_workshop, coordinator
):
    base = asgi_server.origin
    code = services.ensure_live_session(live_workshop, actor=coordinator).join_code
    console = new_page(browser, base, signed_in_cookie(coordinator))
    console.on("dialog", lambda dialog: dialog.accept())
    console.goto(f"{base}/workshops/{live_workshop.pk}/live/")
    connected(console)
    anna = join(browser, base, code, "Anna", viewport=PHONE)
    ben = join(browser, base, code, "Ben")

    # The server's refusal appears beside the form that sent it.
    form = console.locator('[data-form="activity-create"]')
    form.get_by_label("Kind").select_option("poll")
    form.get_by_label("Title or question").fill("Wann passt das nächste Treffen?")
    form.get_by_label("Options (2–20, one per line)").fill("Montag")
    form.get_by_role("button", name="Create activity").click()
    expect(form.get_by_text("Give from 2 to 20 options.")).to_be_visible()

    def poll_options(form):
        form.get_by_label("Options (2–20, one per line)").fill("Montag\nDienstag\nMittwoch")

    poll = create_activity(console, "poll", "Wann passt das nächste Treffen?", poll_options)
    poll.get_by_role("button", name="Show results").click()
    anna_poll = activity(anna, "Wann passt das nächste Treffen?")
    anna_poll.get_by_label("Dienstag").check()
    anna_poll.get_by_role("button", name="Send answer").click()
    expect(anna_poll.get_by_text("Your answer: Dienstag")).to_be_visible()
    expect(bar_value(poll, "Dienstag")).to_have_text("1")
    expect(poll.get_by_text("1 answered")).to_be_visible()
    # The moderator corrects the title; the participants see the new one.
    poll.get_by_label("Title of “Wann passt das nächste Treffen?”").fill("Wann treffen wir uns?")
    poll.get_by_role("button", name="Rename").click()
    expect(anna.get_by_role("heading", name="Wann treffen wir uns?")).to_be_visible()

    # A draft's settings can still change: a third option before the poll opens.
    form.get_by_label("Kind").select_option("poll")
    form.get_by_label("Title or question").fill("Wo treffen wir uns?")
    form.get_by_label("Options (2–20, one per line)").fill("Siegburg\nBonn")
    form.get_by_role("button", name="Create activity").click()
    draft = activity(console, "Wo treffen wir uns?")
    settings = draft.get_by_role("group", name="Settings of “Wo treffen wir uns?”")
    expect(settings.get_by_label("Options (2–20, one per line)")).to_have_value("Siegburg\nBonn")
    assert_accessible(console)
    settings.get_by_label("Options (2–20, one per line)").fill("Siegburg\nBonn\nTroisdorf")
    draft.get_by_role("button", name="Save settings").click()
    expect(settings.get_by_label("Options (2–20, one per line)")).to_have_value(
        "Siegburg\nBonn\nTroisdorf"
    )
    draft.get_by_role("button", name="Open", exact=True).click()
    expect(activity(anna, "Wo treffen wir uns?").get_by_label("Troisdorf")).to_be_visible()

    questions = create_activity(console, "questions", "Fragen an das Jugendamt")
    anna_questions = activity(anna, "Fragen an das Jugendamt")
    anna_questions.get_by_label("Your question").fill("Wie lange dauert ein Antrag?")
    anna_questions.get_by_label("Ask without my name").check()
    anna_questions.get_by_role("button", name="Ask").click()
    ben_questions = activity(ben, "Fragen an das Jugendamt")
    expect(ben_questions.get_by_text("Wie lange dauert ein Antrag?")).to_be_visible()
    ben_questions.get_by_role("button", name="Me too").click()
    expect(ben_questions.get_by_role("button", name="You support this question")).to_be_disabled()
    expect(questions.get_by_text("anonymous · 1 vote")).to_be_visible()
    expect(anna_questions.get_by_role("button", name="Your question")).to_be_disabled()
    questions.get_by_role("button", name="Mark answered").click()
    expect(anna_questions.get_by_text("answered", exact=True)).to_be_visible()
    # On a phone: nothing wider than the screen, and still WCAG AA.
    assert anna.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(anna)

    def word_mode(form):
        form.get_by_label("One word").check()

    mood = create_activity(console, "mood", "Wie geht es euch?", word_mode)
    mood.get_by_role("button", name="Show results").click()
    ben_mood = activity(ben, "Wie geht es euch?")
    ben_mood.get_by_label("One word for your mood").fill("neugierig")
    ben_mood.get_by_role("button", name="Send").click()
    expect(ben_mood.get_by_text("Your entry: neugierig")).to_be_visible()
    expect(bar_value(mood, "neugierig")).to_have_text("1")

    # Removing Ben closes his page with a reason; he does not come back by himself.
    console.get_by_role("button", name="Remove: Ben").click()
    expect(ben.get_by_text("You have been removed from this session.").first).to_be_visible()
    ben.wait_for_timeout(1800)  # longer than the first reconnect would wait
    expect(ben.get_by_text("Reconnecting", exact=False)).to_have_count(0)
    expect(ben.get_by_text("Connecting …")).to_have_count(0)
    expect(console.get_by_text("1 participant", exact=True)).to_be_visible()

    console.get_by_role("button", name="End session").click()
    expect(
        anna.get_by_text("The session has ended. Thank you for taking part!").first
    ).to_be_visible()
    expect(console.get_by_text("The session has ended.", exact=True)).to_be_visible()
    expect(console.get_by_role("button", name="Reopen session")).to_be_visible()

    for page in (console, anna, ben):
        page.context.close()


def test_the_console_says_nobody_has_joined_until_someone_does(
    browser, asgi_server, live_workshop, coordinator
):
    base = asgi_server.origin
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    console = new_page(browser, base, signed_in_cookie(coordinator))
    console.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "de", "url": base}]
    )
    console.goto(f"{base}/workshops/{live_workshop.pk}/live/")
    expect(console.get_by_text("Verbunden.", exact=True)).to_be_visible()
    participants = console.get_by_role("region", name="Teilnehmende")
    expect(participants.get_by_text("Noch niemand ist beigetreten.")).to_be_visible()
    expect(participants.get_by_role("list")).to_be_hidden()
    assert_accessible(console)

    join(browser, base, live_session.join_code, "Anna")
    expect(participants.get_by_text("Anna")).to_be_visible()
    expect(participants.get_by_text("Noch niemand ist beigetreten.")).to_be_hidden()
    expect(participants.get_by_role("button", name="Entfernen: Anna")).to_be_visible()
    assert_accessible(console)
