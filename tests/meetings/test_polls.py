"""Date polls: proposed slots, answers through personal links without an account, the
coordinator's matrix, and the chosen date turned into invitations with pre-filled replies."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import polls
from meetings.models import DatePoll, PollSlot, PollVote
from participation.events.selectors import invitations_of
from participation.models import OutboundMail
from tests.factories import BodyMembershipFactory, PersonFactory

from .conftest import local

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+(/meetings/poll-link/[A-Za-z0-9_-]{43}/)")


def new_poll(series, coordinator, slots=None):
    slots = slots or [
        polls.timed_slot(datetime.date(2027, 2, 2), datetime.time(10), datetime.time(12)),
        polls.all_day_slot(datetime.date(2027, 2, 4)),
    ]
    return polls.create_poll(
        DatePoll(series=series, title="Dienstbesprechung Februar"), slots=slots, actor=coordinator
    )


def sent_links(poll, coordinator, mailoutbox, capture):
    mailoutbox.clear()
    with capture(execute=True):
        polls.send_poll(poll, actor=coordinator)
    return {mail.to[0]: LINK.search(mail.body).group(1) for mail in mailoutbox}


def answer_via_link(client, link, choices):
    page = client.get(link, follow=True)
    assert page.status_code == 200
    url = page.redirect_chain[-1][0]
    form = page.context["form"]
    data = {f"slot_{slot.pk}": choice for slot, choice in zip(form.slots, choices, strict=True)}
    return client.post(url, data, follow=True)


def test_poll_to_invitations_with_prefilled_replies(
    series,
    coordinator,
    member,
    second_seat,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    poll = new_poll(series, coordinator)
    assert poll.invitees.count() == 2
    links = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    assert set(links) == {member.email, "ute@much.example"}
    assert "Terminumfrage: Dienstbesprechung Februar" in mailoutbox[0].subject
    assert "2. Februar 2027, 10:00–12:00 (Europe/Berlin)" in mailoutbox[0].body
    assert "4. Februar 2027 (ganztägig)" in mailoutbox[0].body

    page = answer_via_link(client, links[member.email], ["yes", "no"])
    html = page.content.decode()
    assert "Ihre Antworten sind gespeichert" in html
    # Names only: no other invitee's address on the page.
    assert "ute@much.example" not in html
    assert "Zweite" in html
    client.logout()
    client.cookies.clear()
    answer_via_link(client, links["ute@much.example"], ["maybe", "yes"])

    client.force_login(coordinator)
    matrix = client.get(reverse("meetings:poll_detail", args=[poll.pk])).content.decode()
    assert "1 / 1 / 0" in matrix
    slot = poll.slots.get(day=None)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:poll_action", args=[poll.pk, "decide"]), {"slot": slot.pk}
        )
    poll.refresh_from_db()
    assert poll.status == "decided"
    meeting = poll.decided_meeting
    assert response.url == meeting.get_absolute_url()
    assert meeting.start == slot.start and meeting.end == slot.end
    replies = dict(invitations_of(meeting).values_list("email", "reply"))
    assert replies == {member.email: "accepted", "ute@much.example": "tentative"}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(replies)
    assert all(mail.subject.startswith("Einladung") for mail in mailoutbox)


def test_another_invitees_link_cannot_change_my_votes(
    series, coordinator, member, second_seat, client, mailoutbox, django_capture_on_commit_callbacks
):
    poll = new_poll(series, coordinator)
    links = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    mine = poll.invitees.get(email=member.email)
    theirs = poll.invitees.get(email="ute@much.example")
    polls.answer(mine, dict.fromkeys(poll.slots.values_list("pk", flat=True), "yes"))

    # Holding Ute's link opens Ute's page only; mine answers 404, and a post changes nothing.
    client.get(links["ute@much.example"])
    assert client.get(reverse("meetings:poll_answer", args=[theirs.pk])).status_code == 200
    data = {f"slot_{pk}": "no" for pk in poll.slots.values_list("pk", flat=True)}
    assert client.post(reverse("meetings:poll_answer", args=[mine.pk]), data).status_code == 404
    assert set(PollVote.objects.filter(invitee=mine).values_list("answer", flat=True)) == {"yes"}

    # Over the API Ute's token acts for Ute only.
    api = client.post(
        reverse("meetings_api:poll-answer"),
        {
            "answers": [
                {"slot": pk, "answer": "no"} for pk in poll.slots.values_list("pk", flat=True)
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION="Poll " + links["ute@much.example"].rstrip("/").rsplit("/", 1)[1],
    )
    assert api.status_code == 200
    assert api.json()["name"] == theirs.name
    assert set(PollVote.objects.filter(invitee=mine).values_list("answer", flat=True)) == {"yes"}
    assert set(PollVote.objects.filter(invitee=theirs).values_list("answer", flat=True)) == {"no"}


def test_all_day_slot_stays_on_its_date(series, coordinator, client):
    # The night summer time begins: a whole day must not become the 27th.
    poll = new_poll(series, coordinator, [polls.all_day_slot(datetime.date(2027, 3, 28))])
    slot = poll.slots.get()
    assert slot.day == datetime.date(2027, 3, 28) and slot.start is None
    client.force_login(coordinator)
    data = client.get(reverse("meetings_api:poll-detail", args=[poll.pk])).json()
    assert data["slots"][0]["day"] == "2027-03-28"
    assert "28. März 2027 (ganztägig)" in data["slots"][0]["label"]


def test_slot_in_the_past_is_refused(series, coordinator, client):
    past = polls.timed_slot(datetime.date(2026, 11, 30), datetime.time(10), datetime.time(12))
    with pytest.raises(ValidationError):
        new_poll(series, coordinator, [past])
    client.force_login(coordinator)
    page = client.post(
        reverse("meetings:poll_create"),
        {
            "series": series.pk,
            "title": "Zu spät",
            "slots_text": "2027-02-02 10:00-12:00\n2026-11-30",
        },
    )
    assert page.status_code == 200
    assert "liegt in der Vergangenheit" in page.content.decode()
    api = client.post(
        reverse("meetings_api:poll-list"),
        {"series": series.pk, "title": "Zu spät", "slots": [{"day": "2026-11-01"}]},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert DatePoll.objects.count() == 0 and PollSlot.objects.count() == 0


def test_answer_to_a_closed_poll_is_refused(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    poll = new_poll(series, coordinator)
    links = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    invitee = poll.invitees.get()
    client.get(links[member.email])
    polls.close(poll, actor=coordinator)
    with pytest.raises(ValidationError, match="geschlossen"):
        polls.answer(invitee, dict.fromkeys(poll.slots.values_list("pk", flat=True), "yes"))
    data = {f"slot_{pk}": "yes" for pk in poll.slots.values_list("pk", flat=True)}
    page = client.post(reverse("meetings:poll_answer", args=[invitee.pk]), data, follow=True)
    html = page.content.decode()
    assert "Diese Terminumfrage ist geschlossen; Antworten können nicht mehr geändert" in html
    assert PollVote.objects.count() == 0
    # Over the API: the same message, nothing saved.
    token = links[member.email].rstrip("/").rsplit("/", 1)[1]
    api = client.post(
        reverse("meetings_api:poll-answer"),
        {
            "answers": [
                {"slot": pk, "answer": "yes"} for pk in poll.slots.values_list("pk", flat=True)
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Poll {token}",
    )
    assert api.status_code == 400
    assert "Diese Terminumfrage ist geschlossen" in str(api.json())
    assert PollVote.objects.count() == 0


def test_matrix_query_count_is_constant(series, coordinator, body, other_org):
    poll = new_poll(series, coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            polls.matrix(DatePoll.objects.get(pk=poll.pk))
        return len(captured)

    before = queries()
    for _ in range(5):
        person = PersonFactory()
        BodyMembershipFactory(body=body, person=person, represents=other_org)
    polls.add_seat_holders(poll)
    for invitee in poll.invitees.all():
        polls.answer(invitee, dict.fromkeys(poll.slots.values_list("pk", flat=True), "maybe"))
    assert poll.invitees.count() == 6
    assert queries() == before


def test_remind_once_a_day(
    series, coordinator, member, mailoutbox, django_capture_on_commit_callbacks
):
    poll = new_poll(series, coordinator)
    sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert polls.remind(poll, actor=coordinator) == 1
        assert polls.remind(poll, actor=coordinator) == 0
    (mail,) = mailoutbox
    assert mail.subject.startswith("Erinnerung")


def test_demo_has_an_open_poll_with_a_few_answers(clock):
    call_command("seed_demo", stdout=io.StringIO())
    poll = DatePoll.objects.get()
    assert poll.status == "open" and poll.series.body.name.startswith("Dienstbesprechung")
    assert poll.slots.filter(day__isnull=False).count() == 1
    assert poll.invitees.exclude(answered_at=None).exists()
    # It has an answer-by date; not sent, so its automatic reminder mails nobody.
    assert poll.answer_by > datetime.date(2026, 12, 1)
    reminder_day = polls.reminder_day(poll)
    on_that_day = datetime.datetime.combine(reminder_day, datetime.time(9), tzinfo=datetime.UTC)
    assert polls.send_due_reminders(now=on_that_day) == 0
    assert not OutboundMail.objects.filter(subject__contains="Terminumfrage").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert DatePoll.objects.count() == 1


def test_api_create_read_matrix_decide_with_the_pages_permissions(
    series, coordinator, member, outsider, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    created = client.post(
        reverse("meetings_api:poll-list"),
        {
            "series": series.pk,
            "title": "Sondertermin",
            "slots": [
                {"start": "2027-02-02T10:00:00+01:00", "end": "2027-02-02T12:00:00+01:00"},
                {"day": "2027-02-04"},
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    poll = DatePoll.objects.get(pk=created.json()["id"])
    assert created.json()["slots"][0]["label"] == "2. Februar 2027, 10:00–12:00 (Europe/Berlin)"
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("meetings_api:poll-send", args=[poll.pk]))
    assert sent.json() == {"count": 1}
    invitee = poll.invitees.get()
    polls.answer(invitee, dict.fromkeys(poll.slots.values_list("pk", flat=True), "maybe"))
    matrix = client.get(reverse("meetings_api:poll-matrix", args=[poll.pk])).json()
    assert matrix["columns"][0]["counts"] == {"yes": 0, "maybe": 1, "no": 0}
    assert matrix["columns"][0]["all_represented"] is True
    assert matrix["rows"][0]["name"] == invitee.name
    assert member.email not in str(matrix)

    # A member of the body reads the poll, not the matrix; an outsider sees nothing.
    client.force_login(member)
    assert client.get(reverse("meetings_api:poll-detail", args=[poll.pk])).status_code == 200
    assert client.get(reverse("meetings_api:poll-matrix", args=[poll.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("meetings_api:poll-detail", args=[poll.pk])).status_code == 404
    assert client.get(reverse("meetings:poll_detail", args=[poll.pk])).status_code == 404

    client.force_login(coordinator)
    slot = poll.slots.get(day__isnull=False)
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            reverse("meetings_api:poll-decide", args=[poll.pk]),
            {"slot": slot.pk},
            content_type="application/json",
        )
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    meeting = DatePoll.objects.get(pk=poll.pk).decided_meeting
    # A whole day becomes the series' usual time on that very date.
    assert local(meeting.start).date() == datetime.date(2027, 2, 4)
    assert invitations_of(meeting).get().reply == "tentative"
    again = client.post(
        reverse("meetings_api:poll-decide", args=[poll.pk]),
        {"slot": slot.pk},
        content_type="application/json",
    )
    assert again.status_code == 400


def test_the_signed_in_invitee_answers_without_the_link(series, coordinator, member, client):
    poll = new_poll(series, coordinator)
    invitee = poll.invitees.get()
    client.force_login(member)
    url = reverse("meetings:poll_answer", args=[invitee.pk])
    data = {f"slot_{pk}": "yes" for pk in poll.slots.values_list("pk", flat=True)}
    assert client.post(url, data).status_code == 302
    assert set(PollVote.objects.filter(invitee=invitee).values_list("answer", flat=True)) == {"yes"}
    client.force_login(coordinator)
    assert client.get(url).status_code == 404


def test_a_poll_to_move_a_meeting_moves_it_and_invites(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = series.meetings.order_by("start").first()
    new_start = meeting.start + datetime.timedelta(days=1, hours=2)
    slot = PollSlot(start=new_start, end=new_start + datetime.timedelta(hours=2))
    poll = polls.create_poll(
        DatePoll(series=series, meeting=meeting, title="Lenkungsgruppe verschieben"),
        slots=[slot],
        actor=coordinator,
    )
    polls.answer(poll.invitees.get(), {slot.pk: "no"})
    client.force_login(coordinator)
    assert client.post(reverse("meetings:poll_action", args=[poll.pk, "other"])).status_code == 404
    count = series.meetings.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert polls.decide(poll, slot, actor=coordinator).pk == meeting.pk
    meeting.refresh_from_db()
    assert meeting.start == new_start and meeting.recurrence_id != new_start
    assert meeting.sequence == 1
    assert invitations_of(meeting).get().reply == "declined"
    assert series.meetings.count() == count  # moved, not added


def test_answer_to_a_decided_poll_is_refused_and_nothing_saved(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    poll = new_poll(series, coordinator)
    links = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        polls.decide(poll, poll.slots.first(), actor=coordinator)
    token = links[member.email].rstrip("/").rsplit("/", 1)[1]
    api = client.post(
        reverse("meetings_api:poll-answer"),
        {
            "answers": [
                {"slot": pk, "answer": "yes"} for pk in poll.slots.values_list("pk", flat=True)
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Poll {token}",
    )
    assert api.status_code == 400
    assert "Diese Terminumfrage ist geschlossen" in str(api.json())
    assert PollVote.objects.count() == 0
