"""What an invitee sees of an event beyond date and place: the programme as a table on the
reply page and in the mail (aligned lines in its text part), one heading for the reply, and
the event as a calendar file to download, for the holder of the personal link only."""

import datetime
import re
import zoneinfo

import pytest
from django.core.cache import cache
from icalendar import Calendar
from rest_framework.test import APIClient

from participation.events import calendar, invitations
from tests.factories import WorkshopFactory
from tests.participation.test_invitation_replies import link_token, main_content
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(
        title="Fachworkshop Kinderarmut",
        topic="Kinderarmut",
        start=datetime.datetime(2030, 3, 14, 9, 30, tzinfo=BERLIN),
        end=datetime.datetime(2030, 3, 14, 13, 0, tzinfo=BERLIN),
        registration_deadline=None,
    )
    AgendaItem.objects.create(
        workshop=workshop, starts_at=datetime.time(9, 30), title="Begrüßung", presenter="Dr. Thiel"
    )
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(10, 15), title="Impulse")
    return workshop


@pytest.fixture
def invite(mailoutbox, django_capture_on_commit_callbacks):
    def invite(event, email):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitations.invite_person(event, email=email, name="Eva Beispiel")
        message = [m for m in mailoutbox if m.to == [email]][-1]
        return invitation, message

    return invite


def visible_text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headings(html, level):
    return [visible_text(h) for h in re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", html, re.S)]


def table_rows(html):
    """The programme table's rows as lists of cell texts."""
    start = html.index('<table class="kern-table kern-table--small programme"')
    table = html[start : html.index("</table>", start)]
    return [
        [visible_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_the_reply_page_shows_the_programme_as_a_table_and_one_reply_heading(
    workshop, invite, client
):
    invitation, message = invite(workshop, "eva@example.org")
    page = client.get(client.get(f"/invitation/{link_token(message)}/")["Location"])
    html = main_content(page)

    assert table_rows(html) == [
        ["Uhrzeit", "Eintrag"],
        ["09:30", "Begrüßung (Dr. Thiel)"],
        ["10:15", "Impulse"],
    ]
    assert "Thema: Kinderarmut" in visible_text(html)
    assert "<li>" not in html[: html.index('id="reply-title"')]  # no bullets any more
    second = headings(html, 2)
    assert second.count("Ihre Antwort") == 1
    assert "Antwort" not in second and "Antwort ändern" not in second
    assert second.index("Programm") < second.index("Ihre Antwort")
    assert visible_text(html).count("Termin in den Kalender übernehmen (.ics)") == 1


def test_an_event_without_programme_shows_no_table(invite, client):
    invitation, message = invite(WorkshopFactory(), "eva@example.org")
    html = main_content(client.get(client.get(f"/invitation/{link_token(message)}/")["Location"]))
    assert "programme" not in html
    assert "Programm" not in headings(html, 2)


def test_the_mail_shows_the_programme_as_a_table_and_as_aligned_lines(workshop, invite):
    _invitation, message = invite(workshop, "eva@example.org")
    html = message.alternatives[0][0]
    cells = [visible_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", html, re.S)]
    start = cells.index("Uhrzeit")
    assert cells[start : start + 6] == [
        "Uhrzeit",
        "Eintrag",
        "09:30",
        "Begrüßung (Dr. Thiel)",
        "10:15",
        "Impulse",
    ]
    assert "<li>" not in html
    assert "Programm:\n  09:30  Begrüßung (Dr. Thiel)\n  10:15  Impulse\n" in message.body
    assert "Thema: Kinderarmut" in message.body


def test_the_english_text_mail_lines_up_times_of_different_widths(
    mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory()
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9, 30), title="Welcome")
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(12, 0), title="Lunch")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_person(workshop, email="guest@example.org", language="en")
    body = mailoutbox[-1].body
    assert "Agenda:\n  9:30 a.m.  Welcome\n  noon       Lunch\n" in body


def test_the_calendar_file_downloads_through_the_personal_link(workshop, invite, client):
    invitation, message = invite(workshop, "eva@example.org")
    client.get(f"/invitation/{link_token(message)}/")

    response = client.get(f"/invitation/{invitation.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="fachworkshop-kinderarmut.ics"'
    assert "no-store" in response["Cache-Control"]
    ics = response.content.decode()
    assert "METHOD:PUBLISH" in ics
    assert "SUMMARY:Fachworkshop Kinderarmut" in ics
    assert "DTSTART;TZID=Europe/Berlin:20300314T093000" in ics
    assert "DTEND;TZID=Europe/Berlin:20300314T130000" in ics
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/Berlin" in ics
    assert f"/invitation/{invitation.pk}/" in ics  # the reply page, never the token
    assert link_token(message) not in ics


def test_the_calendar_file_answers_404_without_the_link_or_for_another_invitation(
    workshop, invite, client
):
    invitation, message = invite(workshop, "eva@example.org")
    other, _other_message = invite(workshop, "ben@example.org")

    assert client.get(f"/invitation/{invitation.pk}/calendar.ics").status_code == 404
    client.get(f"/invitation/{link_token(message)}/")
    assert client.get(f"/invitation/{other.pk}/calendar.ics").status_code == 404
    assert client.get(f"/invitation/{other.pk + 1000}/calendar.ics").status_code == 404
    assert client.get(f"/invitation/{invitation.pk}/calendar.ics").status_code == 200


def test_the_reply_api_gives_the_calendar_file_and_the_programme(workshop, invite):
    invitation, message = invite(workshop, "eva@example.org")
    api = APIClient()

    assert api.get("/api/v1/invitation-reply/calendar/").status_code == 404
    api.credentials(HTTP_AUTHORIZATION=f"Invitation {link_token(message)}")
    response = api.get("/api/v1/invitation-reply/calendar/", HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert "SUMMARY:Fachworkshop Kinderarmut" in ics
    assert "DTSTART;TZID=Europe/Berlin:20300314T093000" in ics

    answer = api.get("/api/v1/invitation-reply/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert answer["event"]["programme"] == [
        {"time": "09:30", "item": "Begrüßung (Dr. Thiel)"},
        {"time": "10:15", "item": "Impulse"},
    ]

    api.credentials(HTTP_AUTHORIZATION="Invitation " + "x" * 43)
    refused = api.get("/api/v1/invitation-reply/calendar/", HTTP_ACCEPT="text/calendar")
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("application/json")


def test_the_calendar_file_holds_the_county_zone_as_the_calendar_library_adds_it(workshop, invite):
    """The zone's VTIMEZONE is made once per process and shared: each file is still the one
    `add_missing_timezones` makes, the zone before the entry."""
    invitation, _message = invite(workshop, "eva@extern.example")
    ics = calendar.ics_for(invitation, page_url="https://example.org/x/")
    library = Calendar.from_ical(ics)
    library.subcomponents = [part for part in library.subcomponents if part.name != "VTIMEZONE"]
    library.add_missing_timezones()
    assert [part.name for part in library.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert ics == library.to_ical().decode()
