"""In a real browser (Debian's chromium): a task owner without an account opens the mailed
link and marks the task done; a member creates their calendar address and searches the
decision register; a coordinator picks a cadence preset. axe finds no WCAG 2.1 AA violation
on these pages, the neutral page of a wrong link included."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meetings import services
from meetings.models import MeetingSeries, Task, TaskStatus
from participation.models import OutboundMail
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_marks_a_task_done_through_the_link(page, live_server, series, coordinator, member):
    task = services.save_task(
        Task(
            meeting=series.meetings.order_by("start").first(),
            title="Datenlage zusammenstellen",
            due_date=datetime.date(2027, 3, 1),
            owner_person=member.person,
        ),
        actor=coordinator,
    )
    mail = OutboundMail.objects.get(to=member.person.email)
    path = re.search(r"/meetings/task-link/[A-Za-z0-9_-]{43}/", mail.body_text).group(0)
    page.goto(live_server.url + path)
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Abgeschlossen").check()
    page.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_text("Danke: Der Status ist gespeichert.")).to_be_visible()
    assert_accessible(page)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert_accessible(page, live_server.url + "/meetings/task-link/" + "x" * 43 + "/")
    assert page.get_by_role("heading", name="Dieser Link ist nicht (mehr) gültig").is_visible()
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + reverse("meetings:task_links", args=[task.pk]))
    assert_accessible(page, live_server.url + "/meetings/tasks/?status=all")


def test_member_subscribes_and_searches_decisions(page, live_server, series, member):
    sign_in(page, live_server, member)
    assert_accessible(page, live_server.url + reverse("meetings:calendar_subscribe"))
    page.get_by_role("button", name="Meine Kalenderadresse erstellen").click()
    expect(page.get_by_label("Alle Ihre Sitzungen")).to_have_value(
        re.compile(r"/meetings/calendar/[A-Za-z0-9_-]{43}\.ics$")
    )
    assert_accessible(page)
    assert_accessible(page, live_server.url + reverse("meetings:decision_search"))
    page.fill("#decision-search", "nichts")
    page.press("#decision-search", "Enter")
    expect(page.get_by_text("Kein Beschluss passt.")).to_be_visible()
    assert_accessible(page)
    assert_accessible(page, live_server.url + reverse("meetings:series_detail", args=[series.pk]))
    assert page.get_by_text("am 2. Dienstag im Januar, April, Juli und Oktober").is_visible()


def test_coordinator_picks_a_cadence_preset(page, live_server, clock, coordinator, body):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("meetings:series_create"))
    page.select_option("#id_body", label=body.name)
    page.fill("#id_title", "Dienstbesprechung")
    # The form starts on the quarterly preset, second Tuesday of January and so on.
    assert page.locator("#id_cadence").input_value() == "quarterly"
    assert page.locator("#id_cadence_ordinal").input_value() == "2"
    page.select_option("#id_cadence_weekday", "TU")
    page.select_option("#id_cadence_ordinal", "")
    page.select_option("#id_cadence_month", "")
    page.fill("#id_first_date", "2027-01-01")
    page.fill("#id_start_time", "10:00")
    page.fill("#id_duration", "02:00:00")
    page.fill("#id_decision_code", "DB")
    page.get_by_role("button", name="Speichern").click()
    # The month and which weekday are missing: explained, nothing saved.
    expect(
        page.get_by_text("Wählen Sie, der wievielte Wochentag im Monat.", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    assert not MeetingSeries.objects.exists()
    page.select_option("#id_cadence_ordinal", "2")
    page.select_option("#id_cadence_month", "1")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(lambda url: not url.endswith("/new/"))
    series = MeetingSeries.objects.get()
    assert series.rule == "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU"
    assert page.get_by_text("am 2. Dienstag im Januar, April, Juli und Oktober").is_visible()
