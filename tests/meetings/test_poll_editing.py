"""Changing an open date poll on its page and over the API: title, description and
answer-by date; dates added (never in the past; those who had answered are told once) or
removed (the coordinator learns first how many answers go); invitees added (mailed their
personal link) or removed (their link stops working). A decided or closed poll stays as
it is."""

import datetime

import pytest
from django.urls import reverse

from meetings import polls
from meetings.models import DatePoll, PollSlot, PollVote
from participation.models import OutboundMail
from tests.factories import PersonFactory

from .test_polls import LINK, answer_via_link, new_poll, sent_links

pytestmark = pytest.mark.django_db

NEW_DATES = "Neue Termine vorgeschlagen"


def edit_url(poll):
    return reverse("meetings:poll_edit", args=[poll.pk])


def form_data(poll, **changes):
    return {
        "title": poll.title,
        "description": poll.description,
        "answer_by": poll.answer_by.isoformat() if poll.answer_by else "",
        "add_slots_text": "",
    } | changes


def mails_to(email, subject_start=""):
    return list(
        OutboundMail.objects.filter(to=email, subject__startswith=subject_start).order_by("pk")
    )


@pytest.fixture
def sent_poll(
    series,
    coordinator,
    member,
    second_seat,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    poll = new_poll(series, coordinator)
    sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    # The member answers; Ute does not.
    mine = poll.invitees.get(email=member.email)
    polls.answer(mine, dict.fromkeys(poll.slots.values_list("pk", flat=True), "yes"))
    return poll


def test_title_description_and_answer_by_date_change_on_the_page(
    sent_poll, coordinator, member, client
):
    client.force_login(coordinator)
    assert client.get(edit_url(sent_poll)).status_code == 200
    response = client.post(
        edit_url(sent_poll),
        form_data(
            sent_poll,
            title="Dienstbesprechung Februar (Sozialbericht)",
            description="Bitte Entwurf mitbringen.",
            answer_by="2026-12-15",
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "Die Terminumfrage ist geändert." in html
    assert "Dienstbesprechung Februar (Sozialbericht)" in html
    assert "Antworten bis zum 15. Dezember 2026" in html
    assert "wird am 13. Dezember 2026 automatisch erinnert" in html
    sent_poll.refresh_from_db()
    assert sent_poll.answer_by == datetime.date(2026, 12, 15)
    assert sent_poll.description == "Bitte Entwurf mitbringen."


def test_new_dates_are_told_once_to_those_who_answered(
    sent_poll, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    mailoutbox.clear()
    data = form_data(sent_poll, add_slots_text="2027-02-09 14:00-16:00")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(sent_poll), data, follow=True)
    html = response.content.decode()
    assert "1 Eingeladene, die geantwortet hatten, wurden über die neuen Termine informiert" in html
    assert sent_poll.slots.count() == 3
    (told,) = mailoutbox
    assert told.to == [member.email]
    assert told.subject == "Neue Termine vorgeschlagen: Terminumfrage „Dienstbesprechung Februar“"
    assert "9. Februar 2027, 14:00–16:00 (Europe/Berlin)" in told.body
    assert "ute@much.example" not in told.body

    # The same change sent again adds nothing and tells nobody twice.
    again = client.post(edit_url(sent_poll), data)
    assert "ist bereits vorgeschlagen" in again.content.decode()
    assert sent_poll.slots.count() == 3
    assert len(mails_to(member.email, NEW_DATES)) == 1

    # The link in that mail opens the answer page with the new date to answer.
    client.logout()
    link = LINK.search(told.body).group(1)
    page = client.get(link, follow=True)
    assert "9. Februar 2027, 14:00–16:00" in page.content.decode()
    assert "Bitte antworten Sie bis zum" not in page.content.decode()  # no answer-by date


def test_a_date_in_the_past_is_refused_and_nothing_saved(sent_poll, coordinator, client):
    client.force_login(coordinator)
    response = client.post(
        edit_url(sent_poll),
        form_data(sent_poll, title="Neuer Titel", add_slots_text="2026-11-30 10:00-12:00"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "liegt in der Vergangenheit" in html
    assert "2026-11-30 10:00-12:00" in html  # what was typed is kept
    sent_poll.refresh_from_db()
    assert sent_poll.title == "Dienstbesprechung Februar"
    assert sent_poll.slots.count() == 2


def test_removing_a_date_with_answers_says_how_many_first(sent_poll, coordinator, client):
    client.force_login(coordinator)
    slot = sent_poll.slots.get(day__isnull=False)
    page = client.get(edit_url(sent_poll)).content.decode()
    assert "4. Februar 2027 (ganztägig) – 1 Antwort" in page
    assert "Ja, die Antworten zu den entfernten Terminen löschen" not in page
    asked = client.post(edit_url(sent_poll), form_data(sent_poll, remove_slots=[slot.pk]))
    html = asked.content.decode()
    assert "Das Entfernen dieser Termine löscht 1 bereits gegebene Antwort." in html
    assert "Ja, die Antworten zu den entfernten Terminen löschen" in html
    assert PollSlot.objects.filter(pk=slot.pk).exists()
    assert PollVote.objects.filter(slot=slot).count() == 1

    done = client.post(
        edit_url(sent_poll),
        form_data(sent_poll, remove_slots=[slot.pk], confirm_removal="on"),
        follow=True,
    )
    assert "1 Antworten zu entfernten Terminen wurden gelöscht." in done.content.decode()
    assert not PollSlot.objects.filter(pk=slot.pk).exists()
    assert PollVote.objects.filter(slot__poll=sent_poll).count() == 1


def test_the_last_date_cannot_be_removed(series, coordinator, client):
    poll = new_poll(series, coordinator, [polls.all_day_slot(datetime.date(2027, 2, 4))])
    client.force_login(coordinator)
    response = client.post(edit_url(poll), form_data(poll, remove_slots=[poll.slots.get().pk]))
    assert "Eine Terminumfrage behält mindestens einen Termin." in response.content.decode()
    assert poll.slots.count() == 1


def test_added_invitee_gets_a_link_and_removed_ones_link_ends(
    sent_poll, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = PersonFactory(first_name="Nora", last_name="Neu", email="nora@much.example")
    links = {}
    mine = sent_poll.invitees.get(email=member.email)
    client.force_login(coordinator)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(sent_poll),
            form_data(sent_poll, add_people=[newcomer.pk], remove_invitees=[mine.pk]),
            follow=True,
        )
    assert "1 neue Eingeladene haben ihren persönlichen Link erhalten." in response.content.decode()
    (invitation,) = mailoutbox
    assert invitation.to == ["nora@much.example"]
    assert invitation.subject == "Terminumfrage: Dienstbesprechung Februar"
    links["nora"] = LINK.search(invitation.body).group(1)
    assert not sent_poll.invitees.filter(email=member.email).exists()
    assert not PollVote.objects.filter(invitee_id=mine.pk).exists()

    # The removed member's page is gone; Nora answers with her link.
    client.logout()
    assert client.get(reverse("meetings:poll_answer", args=[mine.pk])).status_code == 404
    answered = answer_via_link(client, links["nora"], ["yes", "no"])
    assert "Ihre Antworten sind gespeichert" in answered.content.decode()


def test_a_removed_invitees_mailed_link_stops_working(
    series, coordinator, member, client, mailoutbox, django_capture_on_commit_callbacks
):
    poll = new_poll(series, coordinator)
    links = sent_links(poll, coordinator, mailoutbox, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    client.post(
        edit_url(poll),
        form_data(poll, remove_invitees=[poll.invitees.get().pk]),
    )
    client.logout()
    page = client.get(links[member.email])
    assert page.status_code == 404
    assert "nicht (mehr) gültig" in page.content.decode()


@pytest.mark.parametrize("end", ["close", "decide"])
def test_a_closed_or_decided_poll_cannot_be_changed(
    sent_poll, coordinator, client, end, django_capture_on_commit_callbacks
):
    if end == "close":
        polls.close(sent_poll, actor=coordinator)
    else:
        with django_capture_on_commit_callbacks(execute=True):
            polls.decide(sent_poll, sent_poll.slots.first(), actor=coordinator)
    refused = "Eine entschiedene oder geschlossene Terminumfrage kann nicht mehr geändert werden."
    client.force_login(coordinator)
    page = client.get(edit_url(sent_poll), follow=True)
    assert refused in page.content.decode()
    posted = client.post(edit_url(sent_poll), form_data(sent_poll, title="Anders"), follow=True)
    assert refused in posted.content.decode()
    api = client.post(
        reverse("meetings_api:poll-edit", args=[sent_poll.pk]),
        {"title": "Anders"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert refused in str(api.json())
    assert DatePoll.objects.get(pk=sent_poll.pk).title == "Dienstbesprechung Februar"


def test_only_coordinators_change_a_poll_and_a_wrong_id_is_404(
    sent_poll, member, outsider, coordinator, client
):
    for user in (member, outsider):
        client.force_login(user)
        assert client.get(edit_url(sent_poll)).status_code == 404
        assert client.post(edit_url(sent_poll), form_data(sent_poll)).status_code == 404
        api = client.post(
            reverse("meetings_api:poll-edit", args=[sent_poll.pk]),
            {"title": "Anders"},
            content_type="application/json",
        )
        # As for the poll's other actions: hidden from an outsider, refused to a member.
        assert api.status_code == (403 if user == member else 404)
    client.force_login(coordinator)
    missing = DatePoll.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("meetings:poll_edit", args=[missing])).status_code == 404
    assert (
        client.post(
            reverse("meetings_api:poll-edit", args=[missing]), {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert DatePoll.objects.get(pk=sent_poll.pk).title == "Dienstbesprechung Februar"


def test_api_edit_adds_and_removes_with_the_same_rules(
    sent_poll, coordinator, member, client, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("meetings_api:poll-edit", args=[sent_poll.pk])
    past = client.post(url, {"add_slots": [{"day": "2026-11-30"}]}, content_type="application/json")
    assert past.status_code == 400
    assert "liegt in der Vergangenheit" in str(past.json())

    slot = sent_poll.slots.get(day__isnull=False)
    asked = client.post(url, {"remove_slots": [slot.pk]}, content_type="application/json")
    assert asked.status_code == 400
    assert "löscht 1 bereits gegebene Antwort" in str(asked.json())
    assert PollSlot.objects.filter(pk=slot.pk).exists()

    matrix = client.get(reverse("meetings_api:poll-matrix", args=[sent_poll.pk])).json()
    ute = next(row["invitee"] for row in matrix["rows"] if row["name"].endswith("Zweite"))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "answer_by": "2026-12-12",
                "add_slots": [
                    {"start": "2027-02-09T14:00:00+01:00", "end": "2027-02-09T16:00:00+01:00"}
                ],
                "remove_slots": [slot.pk],
                "remove_invitees": [ute],
                "confirm_removal": True,
            },
            content_type="application/json",
        )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["removed_answers"] == 1 and body["told_new_dates"] == 1
    assert body["poll"]["answer_by"] == "2026-12-12"
    assert [item["label"] for item in body["poll"]["slots"]] == [
        "2. Februar 2027, 10:00–12:00 (Europe/Berlin)",
        "9. Februar 2027, 14:00–16:00 (Europe/Berlin)",
    ]
    assert not sent_poll.invitees.filter(email="ute@much.example").exists()
    assert len(mails_to(member.email, NEW_DATES)) == 1
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/meeting-polls/{id}/edit/" in schema
