"""Date polls remind by themselves: a poll with an answer-by date reminds each invitee who
has not answered, once, a few days before that date (Celery beat, daily); the button
reminds at most once a day and counts the automatic reminder."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from meetings import polls
from meetings.models import DatePoll
from participation.models import OutboundMail

from .conftest import make_series
from .test_polls import new_poll, sent_links

pytestmark = pytest.mark.django_db

ANSWER_BY = datetime.date(2026, 12, 10)


def at(day, hour=8):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def reminders_to(email):
    return list(
        OutboundMail.objects.filter(to=email, subject__startswith="Erinnerung").order_by("pk")
    )


def poll_with_answer_by(series, coordinator, answer_by=ANSWER_BY):
    poll = new_poll(series, coordinator)
    poll.answer_by = answer_by
    poll.save(update_fields=["answer_by"])
    return poll


@pytest.fixture
def sent_poll(
    series,
    coordinator,
    member,
    second_seat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    poll = poll_with_answer_by(series, coordinator)
    sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    # Ute answers; the member does not.
    ute = poll.invitees.get(email="ute@much.example")
    polls.answer(ute, dict.fromkeys(poll.slots.values_list("pk", flat=True), "yes"))
    return poll


def test_reminder_goes_once_to_those_who_have_not_answered(sent_poll, member):
    # Two days before the answer-by date, not earlier; once, however often beat runs.
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 7))) == 0
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 8))) == 1
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 8), 15)) == 0
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 10))) == 0
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 11))) == 0
    (reminder,) = reminders_to(member.email)
    assert reminder.subject == "Erinnerung: Terminumfrage „Dienstbesprechung Februar“"
    assert "Bitte antworten Sie bis zum 10. Dezember 2026." in reminder.body_text
    assert "/meetings/poll-link/" in reminder.body_text
    assert reminders_to("ute@much.example") == []


def test_the_beat_task_reminds_and_its_name_is_scheduled(sent_poll, member, settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert polls.send_poll_reminders_task.name in scheduled
    with time_machine.travel(at(datetime.date(2026, 12, 9), 6)):
        assert polls.send_poll_reminders_task() == 1
        assert polls.send_poll_reminders_task() == 0
    assert len(reminders_to(member.email)) == 1


def test_a_later_answer_by_date_reminds_again_before_it(sent_poll, member):
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 8))) == 1
    DatePoll.objects.filter(pk=sent_poll.pk).update(answer_by=datetime.date(2026, 12, 20))
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 17))) == 0
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 18))) == 1
    assert len(reminders_to(member.email)) == 2


def test_no_reminder_without_answer_by_date_for_unsent_or_closed_polls(
    series, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    without_date = new_poll(series, coordinator)
    sent_links(without_date, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    poll_with_answer_by(series, coordinator)  # never sent: nobody was asked yet
    closed = poll_with_answer_by(series, coordinator)
    sent_links(closed, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    polls.close(closed, actor=coordinator)
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 9))) == 0
    assert reminders_to(member.email) == []


def test_the_button_counts_the_automatic_reminder_and_shows_when(
    sent_poll, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(datetime.date(2026, 12, 8), 6), tick=False):
        assert polls.send_due_reminders() == 1
        client.force_login(coordinator)
        pressed = client.post(
            reverse("meetings:poll_action", args=[sent_poll.pk, "remind"]), follow=True
        )
        html = pressed.content.decode()
        assert "0 Eingeladene ohne Antwort wurden erinnert" in html
        assert "zuletzt erinnert 08.12.2026 07:00" in html
        assert "Antworten bis zum 10. Dezember 2026" in html
    # The next day the button reminds again; beat does not (once per answer-by date).
    with time_machine.travel(at(datetime.date(2026, 12, 9), 6), tick=False):
        assert polls.remind(sent_poll, actor=coordinator) == 1
        assert polls.send_due_reminders() == 0
    assert len(reminders_to(member.email)) == 2


def test_reminded_by_hand_on_the_reminder_day_gets_no_second_mail(sent_poll, coordinator, member):
    assert polls.remind(sent_poll, actor=coordinator, now=at(datetime.date(2026, 12, 8))) == 1
    assert polls.send_due_reminders(now=at(datetime.date(2026, 12, 9))) == 0
    assert len(reminders_to(member.email)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(clock, body, coordinator, member):
    series = make_series(body, actor=coordinator)
    poll = poll_with_answer_by(series, coordinator)
    polls.send_poll(poll, actor=coordinator)
    results, barrier = [], threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(polls.send_due_reminders(now=at(datetime.date(2026, 12, 8))))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert len(reminders_to(member.email)) == 1


def test_answer_by_date_in_the_past_is_refused(series, coordinator, client):
    client.force_login(coordinator)
    page = client.post(
        reverse("meetings:poll_create"),
        {
            "series": series.pk,
            "title": "Zu spät gefragt",
            "slots_text": "2027-02-02 10:00-12:00",
            "answer_by": "2026-11-30",
        },
    )
    html = page.content.decode()
    assert "Das Antwortdatum liegt in der Vergangenheit." in html
    assert "Zu spät gefragt" in html
    api = client.post(
        reverse("meetings_api:poll-list"),
        {
            "series": series.pk,
            "title": "Zu spät gefragt",
            "answer_by": "2026-11-30",
            "slots": [{"day": "2027-02-04"}],
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "Das Antwortdatum liegt in der Vergangenheit." in str(api.json())
    assert DatePoll.objects.count() == 0
