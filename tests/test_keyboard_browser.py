"""Keyboard only: the journeys people take without a mouse, driven with nothing but
`keyboard.press` and `keyboard.type` (Tab, arrows, Space, Enter). At every stop the focused
element shows a visible focus indicator (an outline or a box shadow), and after every htmx
swap the focus is still on a sensible element, never back on the page's body."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import PollInvitee, PollVote
from participation import personal_links
from participation.models import Invitation, InvitationMessage, Reply
from surveys import services as survey_services
from surveys.models import QuestionKind, Response
from tests.browser import wait_for_htmx
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory
from tests.live_support import LiveServer, off_the_browser_thread, server_env
from tests.test_accessibility_browser import sign_in
from workshops.live import services as live
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What has the focus, and whether it shows: an outline wider than zero, or a box shadow, on
# the element or its ::after/::before.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  // KERN draws the ring of a stretched link on its ::after, which covers the row.
  const shows = [null, "::after", "::before"].some((pseudo) => {
    const style = getComputedStyle(element, pseudo);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== "rgba(0, 0, 0, 0)";
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return outline || shadow;
  });
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.getAttribute("name") || "",
    type: element.getAttribute("type") || "",
    label: (element.getAttribute("aria-label") || element.innerText || element.value || "")
      .trim().slice(0, 60),
    visible: shows,
  };
}"""


class Keyboard:
    """One person at the keyboard; records every stop whose focus did not show."""

    def __init__(self, page):
        self.page = page
        self.unseen = []

    def focused(self):
        focused = self.page.evaluate(FOCUSED)
        assert focused is not None, f"the focus is lost (on the body) at {self.page.url}"
        if not focused["visible"]:
            self.unseen.append(focused)
        return focused

    def press(self, key):
        self.page.keyboard.press(key)
        return self.focused()

    def submit(self, key="Enter"):
        """Press a key that sends a form and loads the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def type(self, text):
        self.page.keyboard.type(text)

    def tab_to(self, selector, *, limit=150, key="Tab"):
        """Tab (or `key`) until an element matching `selector` (a Playwright selector) has
        the focus."""
        for _ in range(limit):
            if self.page.locator(selector).evaluate_all(
                "(elements) => elements.includes(document.activeElement)"
            ):
                return self.focused()
            self.press(key)
            if self.page.locator(selector).evaluate_all(
                "(elements) => elements.includes(document.activeElement)"
            ):
                return self.focused()
        raise AssertionError(f"{selector} is not reachable with {key} at {self.page.url}")

    def settled(self):
        """After an htmx request: it is done, and the focus stayed on a sensible element."""
        wait_for_htmx(self.page)
        return self.focused()

    def assert_focus_always_visible(self):
        assert not self.unseen, f"focus without a visible indicator: {self.unseen}"


# --- a survey with every kind of question ----------------------------------------------------

CHOICES = {
    "choices": [{"value": "ja", "label": "Ja, vorhanden"}, {"value": "nein", "label": "Nein"}]
}


def every_kind_survey(coordinator, organisation):
    survey = SurveyFactory(title="Alles per Tastatur", actor=coordinator, audience=[organisation])
    section = SectionFactory(version=survey.draft_version, title="Jede Art von Frage")
    for kind in QuestionKind:
        config = {}
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            config = CHOICES
        QuestionFactory(
            section=section,
            key=kind.value,
            kind=kind,
            text=f"{kind.label}?",
            **({"config": config} if config else {}),
        )
    survey_services.publish(survey, actor=coordinator)
    return survey


def test_a_survey_with_every_kind_of_question_is_answered_and_submitted_by_keyboard(
    page, live_server, coordinator, member, own_org
):
    survey = every_kind_survey(coordinator, own_org)
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    keys = Keyboard(page)
    keys.tab_to("button:has-text('Antwortbogen beginnen')")
    keys.submit()
    expect(page.locator("h1")).to_have_text(own_org.name)

    def question(kind):
        return f"#question-{kind.value}"

    def answer(kind, selector, *typing, leave=True):
        keys.tab_to(f"{question(kind)} {selector}")
        for item in typing:
            if item.startswith("key:"):
                keys.press(item.removeprefix("key:"))
            else:
                keys.type(item)
        if leave:
            keys.press("Tab")
        keys.settled()
        expect(page.locator(f"{question(kind)} .question-status")).to_contain_text("Gespeichert")

    answer(QuestionKind.SHORT_TEXT, "input", "Sozialplanung")
    answer(QuestionKind.LONG_TEXT, "textarea", "Eine halbe Stelle.")
    answer(QuestionKind.INTEGER, "input", "3")
    # A refused entry redraws the whole question with its error: the focus stays in it.
    keys.tab_to(f"{question(QuestionKind.INTEGER)} input", key="Shift+Tab")
    keys.press("Control+A")
    keys.type("drei")
    keys.press("Tab")
    expect(page.locator(f"{question(QuestionKind.INTEGER)}.question-error")).to_be_visible()
    focused = keys.settled()
    assert focused["id"] in ("q-integer-clear", "id_q-decimal"), focused
    keys.tab_to(f"{question(QuestionKind.INTEGER)} input", key="Shift+Tab")
    keys.press("Control+A")
    keys.type("3")
    keys.press("Tab")
    keys.settled()
    expect(page.locator(f"{question(QuestionKind.INTEGER)}.question-error")).to_have_count(0)
    answer(QuestionKind.DECIMAL, "input", "0,5")
    answer(QuestionKind.SINGLE_CHOICE, "input[type=radio]", "key:ArrowDown", leave=False)
    answer(QuestionKind.MULTIPLE_CHOICE, "input[type=checkbox]", "key:Space", leave=False)
    answer(QuestionKind.YES_NO, "input[type=radio]", "key:Space", leave=False)
    answer(QuestionKind.SCALE, "input[type=radio]", "key:ArrowRight", "key:ArrowRight", leave=False)
    answer(QuestionKind.DATE, "input", "01052027")
    # The matrix: one radio group per row; Space picks the first column, an arrow the next.
    answer(QuestionKind.MATRIX, "input[type=radio]", "key:Space", leave=False)
    keys.tab_to(f"{question(QuestionKind.MATRIX)} tbody tr:nth-child(2) input[type=radio]")
    keys.press("ArrowRight")
    keys.settled()
    # The repeating table: a row typed cell by cell; a new empty row appears after saving.
    answer(QuestionKind.TABLE, "input:not([type=hidden])", "Sozialbericht", "key:Tab", "2025")

    keys.tab_to("button:has-text('Antwortbogen abschicken')")
    keys.submit()
    expect(page.locator("#response-status")).to_have_text("Abgeschickt")
    response = Response.objects.get(survey=survey, organisation=own_org)
    assert response.status == "submitted"
    answers = {a.question.key: a.value for a in response.answers.select_related("question")}
    assert answers["short_text"] == "Sozialplanung"
    assert answers["matrix"] and answers["table"], answers
    keys.assert_focus_always_visible()


# --- personal links: an invitation and a date poll -------------------------------------------


def demo_link(queryset):
    """The demo's data, and a fresh personal link for the first row of `queryset`."""
    call_command("seed_demo", stdout=io.StringIO())
    row = queryset.first()
    raw, row.token_hash = personal_links.new_token()
    row.save(update_fields=["token_hash"])
    return row, raw


def test_an_invitation_is_answered_by_keyboard_through_the_personal_link(page, live_server):
    message, token = demo_link(
        InvitationMessage.objects.filter(
            invitation__person__user__isnull=True, invitation__reply=Reply.NONE
        )
    )
    page.goto(f"{live_server.url}/invitation/{token}/")
    page.wait_for_url(f"**/invitation/{message.invitation_id}/")
    keys = Keyboard(page)
    keys.tab_to("#id_reply_0")
    keys.press("Space")
    keys.tab_to("form.reply-form button[type=submit]")
    keys.submit()
    expect(page.locator(".message-success")).to_be_visible()
    assert Invitation.objects.get(pk=message.invitation_id).reply == Reply.ACCEPTED
    keys.assert_focus_always_visible()


def test_a_date_poll_is_answered_by_keyboard_through_the_personal_link(page, live_server):
    invitee, token = demo_link(PollInvitee.objects.filter(votes=None))
    page.goto(f"{live_server.url}/meetings/poll-link/{token}/")
    page.wait_for_url(f"**/meetings/poll-answers/{invitee.pk}/")
    keys = Keyboard(page)
    slots = page.locator("div.field:has(input[name^=slot_])")
    count = slots.count()
    assert count >= 2
    for index in range(count):
        # Into each date's group: Space picks "yes"; an arrow moves on to "if need be".
        keys.tab_to(f"div.field:has(input[name^=slot_]) >> nth={index} >> input[type=radio]")
        keys.press("Space" if index % 2 == 0 else "ArrowDown")
    keys.tab_to("main form button[type=submit]")
    keys.submit()
    expect(page.locator(".message-success")).to_be_visible()
    answers = sorted(PollVote.objects.filter(invitee=invitee).values_list("answer", flat=True))
    assert len(answers) == count and "maybe" in answers and "yes" in answers, answers
    keys.assert_focus_always_visible()


# --- a dot vote in a live session ------------------------------------------------------------

# Every text the polite live region is given, in order, kept by the page itself.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
new MutationObserver(() => {
  const region = document.querySelector("[data-region=announcer]");
  if (region && region.textContent) {
    window.announced.push({ text: region.textContent, at: performance.now() });
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def heard(page, text):
    """The polite live region was given exactly `text` (read from the page's own record, so a
    later announcement cannot hide it)."""
    page.wait_for_function(
        "(text) => window.announced.some((entry) => entry.text === text)", arg=text
    )


@pytest.fixture(scope="module")
def asgi_site(django_db_setup, django_db_blocker):
    server = LiveServer(server_env())
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def join_by_keyboard(browser, base, code, name):
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_ANNOUNCEMENTS)
    page = context.new_page()
    page.goto(f"{base}/live/?code={code}")
    keys = Keyboard(page)
    keys.tab_to("input[name=display_name]")
    keys.type(name)
    keys.submit()
    expect(page.get_by_text(f"Sie nehmen teil als {name}.")).to_be_visible()
    return page, keys


@pytest.mark.services
def test_a_dot_vote_by_keyboard_announces_the_dots_left_and_not_every_result(
    browser, asgi_site, coordinator
):
    workshop = Workshop.objects.create(
        title="Sozialraumkonferenz",
        status="published",
        start=timezone.now() - datetime.timedelta(hours=1),
        end=timezone.now() + datetime.timedelta(hours=3),
        venue_name="Kreishaus",
        created_by=coordinator,
    )
    session = live.ensure_live_session(workshop, actor=coordinator)
    vote = off_the_browser_thread(
        live.create_activity,
        session,
        actor=coordinator,
        kind="dots",
        title="Was zuerst?",
        config={"options": ["Kita", "Schule", "Freizeit"], "dots": 5, "max_per_option": 3},
    )
    off_the_browser_thread(live.reveal_activity, vote, actor=coordinator, revealed=True)
    off_the_browser_thread(live.open_activity, vote, actor=coordinator)
    anna, keys = join_by_keyboard(browser, asgi_site.origin, session.join_code, "Anna")
    ben, ben_keys = join_by_keyboard(browser, asgi_site.origin, session.join_code, "Ben")
    announcer = anna.locator("[data-region=announcer]")
    expect(announcer).to_have_attribute("aria-live", "polite")

    more_kita = "button[aria-label='Ein Punkt mehr für „Kita“']"
    keys.tab_to(more_kita)
    keys.press("Enter")
    keys.press("Enter")
    # The redraw after each stored dot keeps the focus on the same button.
    assert anna.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Ein Punkt mehr für „Kita“"
    )
    heard(anna, "3 von 5 Punkten übrig")
    keys.press("Tab")  # on to Schule's minus, then its plus
    keys.tab_to("button[aria-label='Ein Punkt mehr für „Schule“']")
    keys.press("Enter")
    heard(anna, "2 von 5 Punkten übrig")
    expect(anna.locator(".live-dots-left")).to_have_text("2 von 5 Punkten übrig")

    # The results change with every vote of the others, but are not read out each time: they
    # sit outside any live region, and their updates make at most one throttled sentence.
    anna.evaluate("window.announced = []")
    ben_keys.tab_to(more_kita)
    for _ in range(3):
        ben_keys.press("Enter")
    ben_keys.tab_to("button[aria-label='Ein Punkt mehr für „Freizeit“']")
    ben_keys.press("Enter")
    expect(ben.locator(".live-dots-left")).to_have_text("1 von 5 Punkten übrig")
    results = anna.locator(".live-results-block")
    expect(results.first).to_be_visible()
    assert results.first.evaluate("element => element.closest('[aria-live]')") is None
    assert results.first.locator("[aria-live]").count() == 0
    anna.wait_for_timeout(1500)
    told = anna.evaluate("window.announced")
    about_results = [entry["at"] for entry in told if "Ergebnisse" in entry["text"]]
    assert len(about_results) < 4, f"every vote announced: {told}"
    pauses = [later - earlier for earlier, later in zip(about_results, about_results[1:])]
    assert all(pause >= 4500 for pause in pauses), f"announced in quick succession: {told}"
    keys.assert_focus_always_visible()
    ben_keys.assert_focus_always_visible()
    for page in (anna, ben):
        page.context.close()
