"""A date poll in a real browser (Debian's chromium): an invitee answers through the link of
their mail, without an account; the coordinator creates the poll, reads the matrix and picks
the date. axe finds no WCAG 2.1 AA violation on the new pages, the refusal included."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import polls
from meetings.models import DatePoll
from participation.events.selectors import invitations_of
from tests.factories import BodyMembershipFactory, PersonFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+(/meetings/poll-link/[A-Za-z0-9_-]{43}/)")


def test_invitee_answers_by_link_and_coordinator_picks_the_date(
    page, browser, live_server, coordinator, body, member, other_org, mailoutbox
):
    BodyMembershipFactory(
        body=body,
        person=PersonFactory(first_name="Ute", last_name="Zweite", email="ute@much.example"),
        represents=other_org,
    )
    series = make_series(body, actor=coordinator)
    base = live_server.url
    day = timezone.localdate() + datetime.timedelta(days=40)

    # The coordinator proposes dates; one in the past is refused with a message.
    sign_in(page, live_server, coordinator)
    assert_accessible(page, base + "/meetings/polls/")
    page.get_by_role("link", name="Neue Terminumfrage").click()
    page.wait_for_url("**/polls/new/")
    page.select_option("#id_series", label=series.title)
    page.fill("#id_title", "Sondertermin")
    page.fill("#id_slots_text", f"{day.isoformat()} 10:00-12:00\n2020-01-01")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("main")).to_contain_text("liegt in der Vergangenheit")
    assert not DatePoll.objects.exists()
    assert_accessible(page)
    page.fill(
        "#id_slots_text",
        f"{day.isoformat()} 10:00-12:00\n{(day + datetime.timedelta(days=1)).isoformat()}",
    )
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(lambda url: not url.endswith("/new/"))
    poll = DatePoll.objects.get()
    assert page.url == base + poll.get_absolute_url()
    page.get_by_role("button", name="Umfrage senden").click()
    expect(page.locator(".message-success")).to_contain_text("Die Umfrage ging an 2 Eingeladene")
    links = {mail.to[0]: LINK.search(mail.body).group(1) for mail in mailoutbox}

    # The invitee, in a browser of their own without an account.
    invitee_page = browser.new_context(locale="de-DE").new_page()
    invitee_page.goto(base + links[member.email])
    invitee_page.wait_for_load_state()
    assert "Sondertermin" in invitee_page.content()
    assert "ute@much.example" not in invitee_page.content()
    assert_accessible(invitee_page)
    invitee_page.get_by_role("button", name="Antworten speichern").click()
    expect(invitee_page.locator("main")).to_contain_text("Bitte antworten Sie für diesen Termin")
    assert_accessible(invitee_page)
    groups = invitee_page.locator("fieldset")
    first, second = groups.nth(0), groups.nth(1)
    first.get_by_label("Ja").check()
    second.get_by_label("Notfalls").check()
    invitee_page.get_by_role("button", name="Antworten speichern").click()
    expect(invitee_page.locator("body")).to_contain_text("Ihre Antworten sind gespeichert")
    invitee_page.context.close()

    # The coordinator sees the matrix and picks the first date.
    page.reload()
    assert "1 / 0 / 0" in page.content()
    assert "Gemeinde Much" in page.content()  # not represented yet
    assert_accessible(page)
    slot = poll.slots.get(day=None)
    choose = re.compile("Diesen Termin wählen.*" + slot.label().split(" (")[0])
    page.get_by_role("button", name=choose).click()
    expect(page.locator("body")).to_contain_text("Der Termin ist gewählt")
    poll.refresh_from_db()
    assert poll.status == "decided"
    assert page.url == base + poll.decided_meeting.get_absolute_url()
    assert "Der Termin ist gewählt" in page.content()
    replies = dict(invitations_of(poll.decided_meeting).values_list("email", "reply"))
    assert replies == {member.email: "accepted", "ute@much.example": ""}
    assert_accessible(page, base + poll.get_absolute_url())

    # The link of a decided poll shows the chosen date; answers are closed.
    other = browser.new_context(locale="de-DE").new_page()
    other.goto(base + links["ute@much.example"])
    assert "Diese Terminumfrage ist geschlossen" in other.content()
    assert "Gewählter Termin: " + slot.label() in other.content()
    assert not other.get_by_role("button", name="Antworten speichern").count()
    assert_accessible(other)
    other.context.close()
    assert polls.matrix(poll)["unanswered"][0].email == "ute@much.example"
