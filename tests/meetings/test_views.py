"""The meeting pages: coordinators set up series, move and cancel one meeting, record
decisions and tasks; members read their bodies' pages; everybody else gets 404. Bad input
shows the translated message and saves nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.models import Decision, MeetingSeries, Task

from .conftest import QUARTERLY, local

pytestmark = pytest.mark.django_db


def form_data(body, **changes):
    return {
        "body": body.pk,
        "title": "Dienstbesprechung",
        "rule": QUARTERLY,
        "first_date": "2027-01-01",
        "start_time": "10:00",
        "duration": "02:00:00",
        "venue_name": "Kreishaus",
        "decision_code": "DB",
        "is_active": "on",
    } | changes


def test_coordinator_creates_a_series_through_the_form(clock, client, coordinator, body):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:series_create"), form_data(body), follow=True)
    series = MeetingSeries.objects.get()
    assert response.redirect_chain[-1][0] == series.get_absolute_url()
    page = response.content.decode()
    assert "Sitzungsreihe „Dienstbesprechung“ gespeichert." in page
    assert "Dienstag, 12.01.2027" in page
    assert "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU" in page
    assert series.body.decision_register.code == "DB"
    # Numbered by the year of the meetings (the first is in 2027), not today's (2026).
    assert "DB-2027-…" in page


def test_bad_rule_in_the_form_is_explained_and_nothing_saved(clock, client, coordinator, body):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:series_create"), form_data(body, rule="FREQ=DAILY"))
    assert response.status_code == 200
    assert "mehr als 60 Termine" in response.content.decode()
    assert not MeetingSeries.objects.exists()


def test_member_reads_and_outsider_gets_404(series, client, member, outsider):
    meeting = series.meetings.order_by("start").first()
    pages = [
        reverse("meetings:series_detail", args=[series.pk]),
        reverse("meetings:meeting_detail", args=[meeting.pk]),
        reverse("meetings:decision_register", args=[series.body_id]),
    ]
    client.force_login(member)
    for page in pages:
        assert client.get(page).status_code == 200
    assert "Lenkungsgruppe" in client.get(reverse("meetings:series_list")).content.decode()
    for write in (
        reverse("meetings:series_edit", args=[series.pk]),
        reverse("meetings:meeting_move", args=[meeting.pk]),
        reverse("meetings:meeting_cancel", args=[meeting.pk]),
        reverse("meetings:decision_create", args=[meeting.pk]),
        reverse("meetings:task_create", args=[meeting.pk]),
    ):
        assert client.get(write).status_code == 404
    client.force_login(outsider)
    for page in pages:
        assert client.get(page).status_code == 404
    assert "Lenkungsgruppe" not in client.get(reverse("meetings:series_list")).content.decode()


def test_coordinator_moves_one_meeting(series, client, coordinator):
    meeting = series.meetings.order_by("start").first()
    client.force_login(coordinator)
    url = reverse("meetings:meeting_move", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Nur diese Sitzung" in page
    values = {"scope": "this", "start": "2027-01-14T14:00", "end": "2027-01-14T16:00"}
    preview = client.post(url, values).content.decode()
    assert "1 Sitzung ändert sich" in preview
    assert "Zu diesen Sitzungen ist noch niemand eingeladen" in preview
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    response = client.post(url, values | {"confirm": "1"}, follow=True)
    assert "Die Sitzung ist verlegt." in response.content.decode()
    assert "verlegt (war 12.01.2027 10:00)" in response.content.decode()
    meeting.refresh_from_db()
    assert local(meeting.start) == local(meeting.start).replace(
        year=2027, month=1, day=14, hour=14, minute=0
    )
    assert meeting.sequence == 1


def test_bad_move_is_explained_and_nothing_changes(series, client, coordinator):
    meeting = series.meetings.order_by("start").first()
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:meeting_move", args=[meeting.pk]),
        {"scope": "this", "start": "2027-01-14T14:00", "end": "2027-01-14T13:00"},
    )
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_coordinator_cancels_one_meeting(series, client, coordinator):
    meeting = series.meetings.order_by("start").first()
    client.force_login(coordinator)
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    assert "Diese und alle folgenden" in client.get(url).content.decode()
    preview = client.post(url, {"scope": "this"}).content.decode()
    assert "Absage bestätigen" in preview
    assert not series.meetings.filter(status="cancelled").exists()
    response = client.post(url, {"scope": "this", "confirm": "1"}, follow=True)
    assert "Die Sitzung ist abgesagt. Die Reihe geht weiter." in response.content.decode()
    assert series.meetings.filter(status="cancelled").count() == 1


def test_decision_and_task_through_the_pages(series, client, coordinator, member, outsider):
    first, second = series.meetings.order_by("start")[:2]
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:decision_create", args=[first.pk]),
        {
            "title": "Sozialbericht beauftragen",
            "text": "Die Verwaltung legt den Sozialbericht vor.",
            "decided_on": "2027-01-12",
            "votes_for": "8",
            "votes_against": "1",
            "abstentions": "0",
        },
        follow=True,
    )
    assert "LG-2027-01" in response.content.decode()
    decision = Decision.objects.get()

    bad = client.post(
        reverse("meetings:task_create", args=[first.pk]),
        {"title": "Zahlen liefern", "owner_person": outsider.person.pk, "due_date": "2027-03-01"},
    )
    assert "Bitte eine gültige Auswahl treffen" in bad.content.decode()
    assert not Task.objects.exists()

    response = client.post(
        reverse("meetings:task_create", args=[first.pk]),
        {
            "title": "Zahlen liefern",
            "owner_person": member.person.pk,
            "due_date": "2027-03-01",
            "status": "open",
            "decision": decision.pk,
        },
        follow=True,
    )
    task = Task.objects.get()
    # Saved, the coordinator is back at the meeting, where the task is listed.
    assert response.redirect_chain[-1][0] == f"{first.get_absolute_url()}#task-{task.pk}"
    assert f'id="task-{task.pk}"' in response.content.decode()
    next_page = client.get(reverse("meetings:meeting_detail", args=[second.pk])).content.decode()
    assert "Offene Aufgaben aus früheren Sitzungen" in next_page
    assert "Zahlen liefern" in next_page

    response = client.post(
        reverse("meetings:task_status", args=[task.pk]),
        {"status": "done", "next": "https://evil.example/"},
    )
    assert response.url == reverse("meetings:task_list")
    task.refresh_from_db()
    assert task.status == "done"
    next_page = client.get(reverse("meetings:meeting_detail", args=[second.pk])).content.decode()
    assert "Keine offene Aufgabe aus früheren Sitzungen." in next_page


def test_task_list_shows_members_their_bodies_tasks(series, client, coordinator, member, outsider):
    meeting = series.meetings.order_by("start").first()
    services.save_task(
        Task(
            meeting=meeting,
            title="Kita-Daten",
            owner_person=member.person,
            due_date=datetime.date(2027, 2, 1),
        ),
        actor=coordinator,
    )
    client.force_login(member)
    assert "Kita-Daten" in client.get(reverse("meetings:task_list")).content.decode()
    client.force_login(outsider)
    assert "Kita-Daten" not in client.get(reverse("meetings:task_list")).content.decode()


def test_decision_register_search(series, client, coordinator):
    meeting = series.meetings.order_by("start").first()
    for title in ("Sozialbericht", "Kita-Bedarfsplanung"):
        services.record_decision(
            Decision(
                body=series.body,
                meeting=meeting,
                title=title,
                text="…",
                decided_on=datetime.date(2027, 1, 12),
            ),
            actor=coordinator,
        )
    client.force_login(coordinator)
    url = reverse("meetings:decision_register", args=[series.body_id])
    page = client.get(url, {"q": "Kita"}).content.decode()
    assert "Kita-Bedarfsplanung" in page
    assert "Sozialbericht" not in page
    assert "LG-2027-02" in page


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_lists_take_the_same_queries_for_one_and_three_rows(series, client, coordinator, member):
    meetings = list(series.meetings.order_by("start"))

    def add_rows():
        meeting = meetings[len(Task.objects.all()) % 4]
        services.save_task(
            Task(
                meeting=meeting,
                title="Aufgabe",
                owner_person=member.person,
                due_date=datetime.date(2027, 2, 1),
            ),
            actor=coordinator,
        )
        services.record_decision(
            Decision(
                body=series.body,
                meeting=meeting,
                title="B",
                text="T",
                decided_on=meeting.start.date(),
            ),
            actor=coordinator,
        )

    add_rows()
    client.force_login(coordinator)
    urls = [
        reverse("meetings:task_list"),
        reverse("meetings:decision_register", args=[series.body_id]),
        reverse("meetings:series_list"),
        reverse("meetings:meeting_detail", args=[meetings[3].pk]),
    ]
    client.get(urls[-1])  # the first opening creates the meeting's agenda
    one = [_queries(client, url) for url in urls]
    add_rows()
    add_rows()
    assert [_queries(client, url) for url in urls] == one


def test_task_list_filters_by_status(series, client, coordinator, member):
    meeting = series.meetings.order_by("start").first()
    for title, status in (("Offen", "open"), ("Läuft", "in_progress"), ("Fertig", "done")):
        services.save_task(
            Task(
                meeting=meeting,
                title=f"Aufgabe {title}",
                owner_person=member.person,
                due_date=datetime.date(2027, 2, 1),
                status=status,
            ),
            actor=coordinator,
        )
    client.force_login(member)

    def shown(**query):
        page = client.get(reverse("meetings:task_list"), query).content.decode()
        return [t for t in ("Offen", "Läuft", "Fertig") if f"Aufgabe {t}" in page]

    assert shown() == ["Offen", "Läuft"]
    assert shown(status="all") == ["Offen", "Läuft", "Fertig"]
    assert shown(status="done") == ["Fertig"]
    assert shown(status="in_progress") == ["Läuft"]


def test_an_open_task_reads_offen_not_geoeffnet(series, client, coordinator, member):
    meeting = series.meetings.order_by("start").first()
    services.save_task(
        Task(
            meeting=meeting,
            title="Datenlage zusammenstellen",
            owner_person=member.person,
            due_date=datetime.date(2027, 2, 1),
        ),
        actor=coordinator,
    )
    client.force_login(member)
    page = client.get(reverse("meetings:task_list")).content.decode()
    assert '<span class="kern-label">Offen</span>' in page
    assert "Geöffnet" not in page


def test_recording_a_decision_names_it_after_its_number(series, client, coordinator):
    meeting = series.meetings.order_by("start").first()
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {"title": "Sozialbericht beauftragen", "text": "Vorlegen.", "decided_on": "2027-01-12"},
        follow=True,
    )
    assert "Beschluss erfasst: LG-2027-01 Sozialbericht beauftragen" in response.content.decode()
