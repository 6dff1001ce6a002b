"""Task owners without an account: the personal link mailed when a task is created or
handed to them sets its status (nothing else) until revoked or some days after it is done;
every bad token gets one neutral page. Reminders before the due date and the weekly
overdue digest are sent once, also when the beat task runs twice."""

import datetime
import re
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import services, task_links
from meetings.models import Task, TaskLink, TaskNotice, TaskStatus
from participation.models import OutboundMail
from tests.factories import MembershipFactory

from .conftest import make_series
from .test_api import api

pytestmark = pytest.mark.django_db

CHOOSE_STATUS = "Wählen Sie offen, in Arbeit oder erledigt."
TOKEN = re.compile(r"/meetings/task-link/([A-Za-z0-9_-]{43})/")


def _task(meeting, owner, *, coordinator, **fields):
    values = {
        "meeting": meeting,
        "title": "Datenlage Kita-Plätze zusammenstellen",
        "due_date": datetime.date(2027, 3, 1),
        "owner_person": owner,
    } | fields
    return services.save_task(Task(**values), actor=coordinator)


def _mails_to(person):
    return list(OutboundMail.objects.filter(to=person.email).order_by("pk"))


def _token(mail):
    return TOKEN.search(mail.body_text).group(1)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(own_org):
    return MembershipFactory(organisation=own_org).person


@pytest.fixture
def task(series, coordinator, owner):
    return _task(series.meetings.order_by("start").first(), owner, coordinator=coordinator)


def test_owner_gets_a_link_and_sets_the_status_without_an_account(task, owner, client):
    [mail] = _mails_to(owner)
    assert mail.subject == "Aufgabe für Sie: Datenlage Kita-Plätze zusammenstellen"
    assert "Fällig am: 1. März 2027" in mail.body_text
    assert _token(mail) in mail.body_html
    response = client.get(reverse("meetings:task_link_open", args=[_token(mail)]))
    # The token leaves the address bar at once.
    link = TaskLink.objects.get()
    assert response["Location"] == reverse("meetings:task_link_page", args=[link.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Datenlage Kita-Plätze zusammenstellen" in page
    assert "Lenkungsgruppe Sozialplanung" in page
    response = client.post(response["Location"], {"status": "in_progress"}, follow=True)
    assert "Danke: Der Status ist gespeichert." in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    # Nothing but the status: a bad value changes nothing.
    response = client.post(
        reverse("meetings:task_link_page", args=[link.pk]),
        {"status": "cancelled", "title": "Anders", "due_date": "2030-01-01"},
    )
    assert CHOOSE_STATUS in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.title, task.due_date) == (
        TaskStatus.IN_PROGRESS,
        "Datenlage Kita-Plätze zusammenstellen",
        datetime.date(2027, 3, 1),
    )


def test_the_page_needs_the_link_opened_in_this_browser(task, owner, client):
    link = TaskLink.objects.get()
    response = client.get(reverse("meetings:task_link_page", args=[link.pk]))
    assert response.status_code == 404
    assert "Dieser Link ist nicht (mehr) gültig" in response.content.decode()


@pytest.mark.parametrize(
    "token", ["x" * 43, "kurz", "A" * 42 + "!"], ids=["unknown", "short", "malformed"]
)
def test_a_wrong_token_gets_the_neutral_page(task, client, token):
    response = client.get(reverse("meetings:task_link_open", args=[token]))
    assert response.status_code == 404
    assert "Dieser Link ist nicht (mehr) gültig" in response.content.decode()


def test_a_revoked_link_ends_and_a_new_one_works(task, owner, client, coordinator):
    old = _token(_mails_to(owner)[0])
    client.force_login(coordinator)
    response = client.post(reverse("meetings:task_link_resend", args=[task.pk]), follow=True)
    assert "Ein neuer persönlicher Link wurde an die verantwortliche Person geschickt." in (
        response.content.decode()
    )
    client.logout()
    new = _token(_mails_to(owner)[-1])
    assert client.get(reverse("meetings:task_link_open", args=[old])).status_code == 404
    assert client.get(reverse("meetings:task_link_open", args=[new])).status_code == 302
    client.force_login(coordinator)
    client.post(reverse("meetings:task_link_revoke", args=[task.pk]))
    client.logout()
    assert client.get(reverse("meetings:task_link_open", args=[new])).status_code == 404


def test_a_new_owner_ends_the_old_owners_link(task, owner, coordinator, member, client):
    old = _token(_mails_to(owner)[0])
    task.owner_person = member.person
    services.save_task(task, actor=coordinator)
    assert client.get(reverse("meetings:task_link_open", args=[old])).status_code == 404
    [mail] = _mails_to(member.person)
    assert client.get(reverse("meetings:task_link_open", args=[_token(mail)])).status_code == 302
    # Saving again without a new owner sends nothing.
    services.save_task(task, actor=coordinator)
    assert len(_mails_to(member.person)) == 1


def test_the_link_ends_some_days_after_the_task_is_done(task, owner, client, settings):
    settings.MEETINGS_TASK_LINK_DAYS_AFTER_DONE = 14
    token = _token(_mails_to(owner)[0])
    task_links.set_status_by_link(TaskLink.objects.get(), TaskStatus.DONE)
    assert client.get(reverse("meetings:task_link_open", args=[token])).status_code == 302
    with time_machine.travel(datetime.timedelta(days=15)):
        response = client.get(reverse("meetings:task_link_open", args=[token]))
    assert response.status_code == 404


def test_link_pages_for_coordinators_only(task, client, member):
    client.force_login(member)
    assert client.get(reverse("meetings:task_links", args=[task.pk])).status_code == 404
    assert client.post(reverse("meetings:task_link_revoke", args=[task.pk])).status_code == 404
    assert TaskLink.objects.get().revoked_at is None


def test_reminder_is_sent_once_even_when_run_twice(task, owner):
    before_due = datetime.date(2027, 2, 26)
    assert task_links.send_reminders(today=datetime.date(2027, 2, 20)) == 0  # too early
    assert task_links.send_reminders(today=before_due) == 1
    assert task_links.send_reminders(today=before_due) == 0
    assert task_links.send_reminders(today=before_due + datetime.timedelta(days=1)) == 0
    reminders = [mail for mail in _mails_to(owner) if mail.subject.startswith("Aufgabe bald")]
    assert len(reminders) == 1
    assert "Ihre Aufgabe ist bald fällig:" in reminders[0].body_text
    # Moved to a later date, it is reminded again before that date.
    task.due_date = datetime.date(2027, 4, 1)
    services.save_task(task, actor=None)
    assert task_links.send_reminders(today=datetime.date(2027, 3, 30)) == 1


def test_a_reminder_missed_while_beat_was_stopped_goes_once_on_the_next_run(task, owner):
    # Beat is down on the first day the reminder is due; the runs after it send it once.
    assert task_links.send_reminders(today=datetime.date(2027, 2, 25)) == 0
    for today in (
        datetime.date(2027, 2, 27),
        datetime.date(2027, 2, 27),
        datetime.date(2027, 2, 28),
    ):
        task_links.send_reminders(today=today)
    reminders = [mail for mail in _mails_to(owner) if mail.subject.startswith("Aufgabe bald")]
    assert len(reminders) == 1


def test_done_tasks_get_no_reminder_or_digest(task, owner):
    task_links.set_status_by_link(TaskLink.objects.get(), TaskStatus.DONE)
    assert task_links.send_reminders(today=datetime.date(2027, 2, 27)) == 0
    assert task_links.send_overdue_digests(today=datetime.date(2027, 3, 8)) == 0


def test_weekly_digest_once_per_owner_and_week(task, owner, coordinator, series):
    _task(
        series.meetings.order_by("start").first(),
        owner,
        coordinator=coordinator,
        title="Bericht entwerfen",
        due_date=datetime.date(2027, 3, 3),
    )
    monday = datetime.date(2027, 3, 8)
    with time_machine.travel(datetime.datetime(2027, 3, 8, 7, 40, tzinfo=datetime.UTC)):
        assert task_links.send_overdue_digests_task() == 1
        assert task_links.send_overdue_digests_task() == 0
    assert task_links.send_overdue_digests(today=monday + datetime.timedelta(days=2)) == 0
    digests = [mail for mail in _mails_to(owner) if "überfällig" in mail.subject]
    assert [mail.subject for mail in digests] == ["2 überfällige Aufgaben"]
    assert "Bericht entwerfen" in digests[0].body_text
    assert len(TOKEN.findall(digests[0].body_text)) == 2
    # The next week, still overdue: one more digest.
    assert task_links.send_overdue_digests(today=monday + datetime.timedelta(days=7)) == 1


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(clock, body, coordinator, own_org):
    owner = MembershipFactory(organisation=own_org).person
    series = make_series(body, actor=coordinator)
    _task(series.meetings.order_by("start").first(), owner, coordinator=coordinator)
    results, barrier = [], threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(task_links.send_reminders(today=datetime.date(2027, 2, 26)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert TaskNotice.objects.count() == 1
    assert len([m for m in _mails_to(owner) if m.subject.startswith("Aufgabe bald")]) == 1


def test_owner_sets_the_status_over_the_api_with_the_token_header(task, owner, member):
    token = _token(_mails_to(owner)[0])
    url = "/api/v1/meeting-task-link/"
    client = APIClient()
    assert client.get(url).status_code == 404
    client.credentials(HTTP_AUTHORIZATION=f"TaskLink {'x' * 43}")
    assert client.get(url).status_code == 404
    client.credentials(HTTP_AUTHORIZATION=f"TaskLink {token}")
    data = client.get(url).json()
    assert (data["title"], data["status"]) == ("Datenlage Kita-Plätze zusammenstellen", "open")
    response = client.post(url, {"status": "gone", "title": "Anders"}, format="json")
    assert response.status_code == 400
    response = client.post(url, {"status": "done", "title": "Anders"}, format="json")
    assert response.json()["status"] == "done"
    task.refresh_from_db()
    assert (task.status, task.title) == (TaskStatus.DONE, "Datenlage Kita-Plätze zusammenstellen")

    # Coordinators only: a member gets 404; revoked, the token answers 404.
    revoke = f"/api/v1/meeting-tasks/{task.pk}/links/revoke/"
    assert api(member).post(revoke).status_code == 404
    assert client.get(url).status_code == 200


def test_coordinator_revokes_and_resends_over_the_api(task, owner, coordinator, own_org):
    token = _token(_mails_to(owner)[0])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"TaskLink {token}")
    assert api(coordinator).post(f"/api/v1/meeting-tasks/{task.pk}/links/new/").status_code == 202
    assert client.get("/api/v1/meeting-task-link/").status_code == 404
    response = api(coordinator).post(f"/api/v1/meeting-tasks/{task.pk}/links/revoke/")
    assert response.json() == {"revoked": 1}
    organisation_task = _task(
        task.meeting, None, coordinator=coordinator, owner_organisation=own_org
    )
    response = api(coordinator).post(f"/api/v1/meeting-tasks/{organisation_task.pk}/links/new/")
    assert response.status_code == 400
    assert "Nur eine Person mit E-Mail-Adresse" in response.json()["owner_person"][0]


def test_guessing_tokens_meets_the_limit(task, client, settings):
    settings.INVITATION_LINK_RATE_LIMIT = 2
    for _ in range(2):
        assert client.get(reverse("meetings:task_link_open", args=["x" * 43])).status_code == 404
    assert client.get(reverse("meetings:task_link_open", args=["y" * 43])).status_code == 429
