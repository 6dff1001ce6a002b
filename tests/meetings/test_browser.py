"""A coordinator's journey through the meeting pages in a real browser (Debian's chromium):
set up a series, open a meeting, record a decision and a task, move and cancel a meeting;
axe finds no WCAG 2.1 AA violation on any of the new pages, the refusals included."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import Decision, Meeting, MeetingSeries, Task
from participation.events.invitations import invite_person
from participation.models import Reply
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(page, name="Speichern", *, shows=None):
    """Press the button, then wait for the page that answers: until it shows `shows`, or else
    until the form's address (".../new/") is left. The click does not wait for the navigation
    it starts, and the next line reads the page or the database."""
    page.get_by_role("button", name=name).click()
    if shows:
        expect(page.locator("main")).to_contain_text(shows)
    else:
        page.wait_for_url(lambda url: not url.endswith("/new/"))


def test_coordinator_journey_through_the_meeting_pages(
    page, live_server, coordinator, body, member
):
    sign_in(page, live_server, coordinator)
    base = live_server.url
    assert_accessible(page, base + "/meetings/")
    page.get_by_role("link", name="Neue Sitzungsreihe").click()
    page.wait_for_url("**/meetings/new/")
    assert_accessible(page)

    page.select_option("#id_body", label=body.name)
    page.fill("#id_title", "Lenkungsgruppe")
    # A new series starts on the quarterly preset; this one writes its rule itself.
    page.select_option("#id_cadence", "")
    page.fill("#id_rule", "FREQ=DAILY")
    page.fill("#id_first_date", timezone.localdate().isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_duration", "02:00:00")
    page.fill("#id_decision_code", "LG")
    save(page, shows="mehr als 60 Termine")
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
    page.wait_for_url("**/tasks/new/")
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

    # This and the following meetings move an hour later: a preview first, then confirmed.
    page.get_by_role("link", name="Diese Sitzung verlegen").click()
    page.wait_for_url("**/move/")
    assert_accessible(page)
    page.get_by_label("Diese und alle folgenden").check()
    new_start = timezone.localtime(following.start) + datetime.timedelta(hours=1)
    page.fill("#id_start", new_start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", (new_start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    save(page, "Anzeigen, was sich ändert", shows="Vor dem Bestätigen prüfen")
    assert Meeting.objects.get(pk=following.pk).sequence == 0
    assert_accessible(page)
    save(page, "Verlegung bestätigen", shows="Die Sitzungen sind verlegt.")
    moved = Meeting.objects.get(pk=following.pk)
    assert moved.start == new_start
    assert moved.series.continues == series

    page.get_by_role("link", name="Diese Sitzung absagen").click()
    page.wait_for_url("**/cancel/")
    assert_accessible(page)
    save(page, "Anzeigen, was sich ändert", shows="Vor dem Bestätigen prüfen")
    assert_accessible(page)
    save(page, "Absage bestätigen", shows="Die Sitzung ist abgesagt.")

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


def _follow_counts(page, base, section):
    """Click every number of a home section; the list it opens shows as many rows."""
    page.goto(base + "/")
    links = page.locator(f"#home-{section} .home-count a")
    targets = [
        (link.get_attribute("href"), int(link.locator(".home-number").inner_text()))
        for link in links.all()
    ]
    for index, (href, number) in enumerate(targets):
        page.goto(base + "/")
        page.locator(f"#home-{section} .home-count a").nth(index).click()
        page.wait_for_url(base + href)
        row = "task" if "/meetings/tasks/" in href else "invitation"
        assert page.locator(f"tr[id^={row}-]").count() == number, href
        assert_accessible(page)
    return targets


def test_home_numbers_lead_to_lists_with_the_same_count(
    page, live_server, series, coordinator, member, own_org
):
    start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    meeting = Meeting.objects.create(
        series=series,
        title="Sondersitzung",
        start=start,
        end=start + datetime.timedelta(hours=2),
        recurrence_id=start,
        status="published",
    )
    invite_person(meeting, email=member.email, person=member.person, organisation=own_org)
    accepted = invite_person(meeting, email="gast@example.org", name="Gast")
    accepted.reply = Reply.ACCEPTED
    accepted.save()
    today = timezone.localdate()
    for title, due, owner in (
        ("Kita-Daten liefern", today - datetime.timedelta(days=3), {"owner_organisation": own_org}),
        ("Protokoll prüfen", today + datetime.timedelta(days=9), {"owner_person": member.person}),
    ):
        services.save_task(Task(meeting=meeting, title=title, due_date=due, **owner), actor=None)

    base = live_server.url
    sign_in(page, live_server, coordinator)
    page.goto(base + "/")
    assert_accessible(page)
    targets = _follow_counts(page, base, "meetings")
    assert ("/meetings/tasks/?status=overdue", 1) in targets
    assert (f"{meeting.get_absolute_url()}?reply=none#invitations", 1) in targets

    sign_in(page, live_server, member)
    page.goto(base + "/")
    tasks = page.locator("#home-meeting_tasks")
    assert tasks.locator(".home-item").count() == 2
    assert "überfällig" in tasks.inner_text()
    assert_accessible(page)
    assert _follow_counts(page, base, "meeting_tasks") == [
        ("/meetings/tasks/?status=undone&owner=mine", 2),
        ("/meetings/tasks/?status=overdue&owner=mine", 1),
    ]
