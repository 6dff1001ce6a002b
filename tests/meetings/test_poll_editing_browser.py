"""Changing a date poll in a real browser (Debian's chromium): the coordinator removes a
date that has answers, learns how many go, confirms, and adds a date; the invitee who had
answered gets one mail about it. axe finds no WCAG 2.1 AA violation on the edit page, the
warning included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import polls
from meetings.models import DatePoll, PollVote
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_removes_and_adds_dates_after_seeing_the_answers_affected(
    page, live_server, coordinator, body, member, mailoutbox
):
    series = make_series(body, actor=coordinator)
    day = timezone.localdate() + datetime.timedelta(days=40)
    poll = polls.create_poll(
        DatePoll(series=series, title="Sondertermin"),
        slots=[
            polls.timed_slot(day, datetime.time(10), datetime.time(12)),
            polls.all_day_slot(day + datetime.timedelta(days=1)),
        ],
        actor=coordinator,
    )
    polls.send_poll(poll, actor=coordinator)
    polls.answer(poll.invitees.get(), dict.fromkeys(poll.slots.values_list("pk", flat=True), "yes"))
    all_day = poll.slots.get(day__isnull=False)
    mailoutbox.clear()

    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + poll.get_absolute_url())
    page.get_by_role("link", name="Umfrage ändern").click()
    page.wait_for_url("**/edit/")
    assert_accessible(page)
    page.get_by_label(all_day.label() + " – 1 Antwort").check()
    later = day + datetime.timedelta(days=7)
    page.fill("#id_add_slots_text", f"{later.isoformat()} 14:00-16:00")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator("main")).to_contain_text("löscht 1 bereits gegebene Antwort")
    assert poll.slots.count() == 2
    assert_accessible(page)

    page.get_by_label("Ja, die Antworten zu den entfernten Terminen löschen").check()
    page.get_by_role("button", name="Änderungen speichern").click()
    page.wait_for_url(live_server.url + poll.get_absolute_url())
    assert "1 Antworten zu entfernten Terminen wurden gelöscht." in page.content()
    assert "14:00–16:00" in page.content()
    assert not PollVote.objects.filter(slot_id=all_day.pk).exists()
    (told,) = mailoutbox
    assert told.to == [member.email]
    assert told.subject.startswith("Neue Termine vorgeschlagen")
