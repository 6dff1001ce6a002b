"""A coordinator's journey through the meeting pages in a real browser (Debian's chromium):
set up a series, open a meeting, record a decision and a task, move and cancel a meeting;
axe finds no WCAG 2.1 AA violation on any of the new pages, the refusals included."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision, Meeting, MeetingSeries, Task
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page, name="Speichern"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_coordinator_journey_through_the_meeting_pages(
    page, live_server, coordinator, body, member
):
    sign_in(page, live_server, coordinator)
    base = live_server.url
    assert_accessible(page, base + "/meetings/")
    page.get_by_role("link", name="Neue Sitzungsreihe").click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.select_option("#id_body", label=body.name)
    page.fill("#id_title", "Lenkungsgruppe")
    page.fill("#id_rule", "FREQ=DAILY")
    page.fill("#id_first_date", timezone.localdate().isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_duration", "02:00:00")
    page.fill("#id_decision_code", "LG")
    save(page)
    assert "mehr als 60 Termine" in page.content()
    assert not MeetingSeries.objects.exists()
    assert_accessible(page)

    page.fill("#id_rule", "FREQ=MONTHLY;BYDAY=2TU")
    save(page)
    series = MeetingSeries.objects.get()
    assert page.url == base + series.get_absolute_url()
    assert "Kommende Sitzungen" in page.content()
    assert_accessible(page)

    meeting = series.meetings.filter(start__gt=timezone.now()).order_by("start").first()
    page.goto(base + meeting.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Beschluss erfassen").click()
    page.fill("#id_title", "Sozialbericht beauftragen")
    page.fill("#id_text", "Die Projektgruppe legt den Sozialbericht vor.")
    save(page)
    reference = Decision.objects.get().reference
    assert reference.startswith("LG-")
    assert reference in page.content()  # the register, at the new decision
    assert_accessible(page)

    page.goto(base + meeting.get_absolute_url())
    page.get_by_role("link", name="Neue Aufgabe").click()
    page.wait_for_load_state()
    page.fill("#id_title", "Gliederung vorlegen")
    page.select_option("#id_owner_person", label=str(member.person))
    page.fill("#id_due_date", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    save(page)
    assert Task.objects.get().owner_person == member.person
    assert "Gliederung vorlegen" in page.content()

    following = series.meetings.filter(start__gt=meeting.start).order_by("start").first()
    page.goto(base + following.get_absolute_url())
    assert "Gliederung vorlegen" in page.content()  # carried to the next meeting
    assert_accessible(page)

    page.get_by_role("link", name="Diese Sitzung verlegen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    new_start = timezone.localtime(following.start) + datetime.timedelta(days=1)
    page.fill("#id_start", new_start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", (new_start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    save(page, "Verlegen")
    assert "Die Sitzung ist verlegt." in page.content()
    assert Meeting.objects.get(pk=following.pk).sequence == 1

    page.get_by_role("link", name="Diese Sitzung absagen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    save(page, "Sitzung absagen")
    assert "Die Sitzung ist abgesagt." in page.content()

    assert_accessible(page, base + reverse("meetings:decision_register", args=[body.pk]))
    assert reference in page.content()
    assert_accessible(page, base + "/meetings/tasks/")
    assert "Gliederung vorlegen" in page.content()


def test_member_pages_meet_wcag_aa(page, live_server, series, member):
    sign_in(page, live_server, member)
    base = live_server.url
    meeting = series.meetings.order_by("start").first()
    for path in (
        "/meetings/",
        series.get_absolute_url(),
        meeting.get_absolute_url(),
        reverse("meetings:decision_register", args=[series.body_id]),
        "/meetings/tasks/",
    ):
        assert_accessible(page, base + path)
    assert "Diese Sitzung verlegen" not in page.content()
