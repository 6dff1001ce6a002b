"""The whole life of a meeting, clicked through in a real browser (Debian's chromium) by a
coordinator: create a series from a cadence preset, open its next meeting, add agenda
items, send the invitations (one invitee accepts through their personal link, another
declines so their registered deputy is invited), and after the meeting record the
attendance, the minutes per item, a decision and a task, circulate the minutes and approve
them at the next meeting, when they lock. Then a member of a municipality sees the agenda,
their task and the approved minutes, and none of the coordinator's pages. axe finds no
serious or critical WCAG 2.1 AA violation on any page of the way."""

import datetime
import re

import pytest
import time_machine
from django.core import mail as django_mail
from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import MeetingSeries
from tests.factories import BodyMembershipFactory, PersonFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Before the first meeting (Tuesday 12 January 2027, 10:00 in Siegburg) ...
PLANNING = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
# ... the afternoon after it ...
AFTER_FIRST = datetime.datetime(2027, 1, 12, 14, 0, tzinfo=datetime.UTC)
# ... and during the second (Tuesday 9 February 2027).
AT_SECOND = datetime.datetime(2027, 2, 9, 9, 30, tzinfo=datetime.UTC)


def go(page, role, name):
    """Click a link or button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def success(page, text):
    expect(page.locator(".message-success")).to_contain_text(text)


def personal_link(address):
    message = next(m for m in reversed(django_mail.outbox) if m.to == [address])
    return re.search(r"https?://\S+(/invitation/[A-Za-z0-9_-]{43}/)", message.body).group(1)


@pytest.fixture
def registry(body, member, own_org, other_org):
    """The body's second seat (Much) with its registered deputy."""
    principal = PersonFactory(first_name="Petra", last_name="Prinzipal", email="petra@much.example")
    seat = BodyMembershipFactory(body=body, person=principal, represents=other_org)
    deputy = PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@much.example")
    BodyMembershipFactory(
        body=body, person=deputy, role="deputy", deputy_of=seat, represents=other_org
    )
    member.person.email = "mitglied@siegburg.example"
    member.person.save()
    return principal, deputy


def test_coordinator_runs_a_meeting_from_the_series_to_the_approved_minutes(
    browser, page, live_server, coordinator, body, member, registry
):
    principal, deputy = registry
    base = live_server.url
    with time_machine.travel(PLANNING, tick=True) as clock:
        sign_in(page, live_server, coordinator)

        # The series, from the navigation, with a cadence preset.
        assert_accessible(page, base + "/")
        go(page, "link", "Sitzungen")
        assert_accessible(page)
        go(page, "link", "Neue Sitzungsreihe")
        assert_accessible(page)
        page.select_option("#id_body", label=body.name)
        page.fill("#id_title", "Lenkungsgruppe")
        page.select_option("#id_cadence", "monthly")
        page.select_option("#id_cadence_ordinal", "2")
        page.select_option("#id_cadence_weekday", "TU")
        page.fill("#id_first_date", "2027-01-01")
        page.fill("#id_start_time", "10:00")
        page.fill("#id_duration", "02:00:00")
        page.fill("#id_venue_name", "Kreishaus Siegburg, Raum 1.04")
        page.fill("#id_agenda_template", "Begrüßung\nOffene Aufgaben\nVerschiedenes")
        page.fill("#id_decision_code", "lg")
        go(page, "button", "Speichern")
        success(page, "Sitzungsreihe „Lenkungsgruppe“ gespeichert.")
        series = MeetingSeries.objects.get()
        expect(page.locator("main")).to_contain_text("monatlich am 2. Dienstag")
        expect(page.locator("main")).to_contain_text("LG-2027-…")
        upcoming = page.get_by_role("table", name="Kommende Sitzungen")
        expect(upcoming).to_contain_text("12.01.2027")
        expect(upcoming).to_contain_text("09.02.2027")
        assert_accessible(page)
        first = series.meetings.order_by("start").first()
        second = series.meetings.order_by("start")[1]

        # The next meeting and its agenda: the template's items, open tasks included.
        go(page, "link", "Dienstag, 12.01.2027 10:00")
        expect(page.get_by_role("heading", level=1)).to_have_text("Lenkungsgruppe, 12.01.2027")
        agenda = page.locator(".agenda-list")
        expect(agenda.locator(".agenda-item__title")).to_have_text(
            ["Begrüßung", "Offene Aufgaben", "Verschiedenes"]
        )
        expect(agenda).to_contain_text("Keine offene Aufgabe aus früheren Sitzungen.")
        # The agenda's heading and its buttons are on one line.
        heading = page.get_by_role("heading", name="Tagesordnung").bounding_box()
        add = page.get_by_role("link", name="Tagesordnungspunkt hinzufügen").bounding_box()
        assert add["y"] < heading["y"] + heading["height"] / 2 < add["y"] + add["height"]
        assert_accessible(page)
        go(page, "link", "Tagesordnungspunkt hinzufügen")
        assert_accessible(page)
        page.fill("#id_title", "Bericht der Projektgruppe")
        page.fill("#id_presenter", "Frau Berger")
        page.fill("#id_duration_minutes", "20")
        go(page, "button", "Speichern")
        success(page, "„Bericht der Projektgruppe“ steht auf der Tagesordnung.")
        expect(agenda.locator(".agenda-item__title")).to_have_text(
            ["Begrüßung", "Offene Aufgaben", "Verschiedenes", "Bericht der Projektgruppe"]
        )
        expect(agenda).to_contain_text("Frau Berger, 20 Minuten")

        # The invitations: the preview first, then sent.
        go(page, "link", "Einladungen versenden")
        preview = page.get_by_role("table", name="Wer benachrichtigt wird")
        expect(preview).to_contain_text("mitglied@siegburg.example")
        expect(preview).to_contain_text("petra@much.example")
        expect(preview).to_contain_text("Informiert als Stellvertretung von Petra Prinzipal")
        assert_accessible(page)
        go(page, "button", "Einladungen versenden")
        success(page, "2 Einladungen werden versendet.")
        invitations = page.get_by_role("table", name="Einladungen")
        expect(invitations.get_by_role("row", name=re.compile("^Jan Vertreter"))).to_contain_text(
            "Informiert; eingeladen, wenn Petra Prinzipal absagt"
        )
        assert_accessible(page)

        # The invitees answer through the links in their mail, without an account.
        # (From the watched browser: this page, too, must keep the Content-Security-Policy.)
        invitee = browser.new_context(locale="de-DE").new_page()
        invitee.goto(base + personal_link("mitglied@siegburg.example"))
        expect(invitee.get_by_role("heading", level=1)).to_have_text("Lenkungsgruppe")
        expect(invitee.locator("main")).to_contain_text("Bericht der Projektgruppe")
        assert_accessible(invitee)
        invitee.get_by_label("Ja, ich nehme teil.").check()
        go(invitee, "button", "Antwort senden")
        expect(invitee.locator(".reply-state")).to_contain_text("Sie haben zugesagt.")
        assert_accessible(invitee)
        invitee.context.clear_cookies()
        invitee.goto(base + personal_link("petra@much.example"))
        invitee.get_by_label("Nein, ich kann nicht teilnehmen.").check()
        go(invitee, "button", "Antwort senden")
        expect(invitee.locator(".reply-state")).to_contain_text("Sie haben abgesagt.")
        invitee.context.close()
        assert [m.subject for m in django_mail.outbox if m.to == [deputy.email]] == [
            "Zur Information: Lenkungsgruppe",
            "Einladung: Lenkungsgruppe",
        ]
        page.reload()
        jan = invitations.get_by_role("row", name=re.compile("^Jan Vertreter"))
        expect(jan).to_contain_text("Stellvertretung von Petra Prinzipal")
        expect(jan).to_contain_text("Noch keine Antwort")
        petra = invitations.get_by_role("row", name=re.compile("^Petra Prinzipal"))
        expect(petra).to_contain_text("Abgesagt")
        siegburg = invitations.get_by_role("row", name=re.compile(member.person.full_name))
        expect(siegburg).to_contain_text("Zugesagt")

        # After the meeting: attendance, minutes, a decision and a task.
        clock.move_to(AFTER_FIRST)
        sign_in(page, live_server, coordinator)
        page.goto(base + first.get_absolute_url())
        go(page, "link", "Protokoll")
        assert_accessible(page)
        go(page, "link", "Anwesenheit erfassen")
        petra = page.get_by_role("row", name=re.compile("^Petra Prinzipal"))
        expect(petra).to_contain_text("Vertretung eingeladen: Jan Vertreter")
        assert_accessible(page)
        page.select_option(f"#status-{member.person.pk}", "present")
        page.select_option(f"#status-{principal.pk}", "deputy")
        page.fill(f"#deputy-{principal.pk}", "Jan Vertreter")
        go(page, "button", "Anwesenheit speichern")
        success(page, "Die Anwesenheit ist gespeichert.")
        go(page, "link", "Protokoll zu „Bericht der Projektgruppe“ schreiben")
        assert_accessible(page)
        page.fill("#id_minutes", "Die Projektgruppe **berichtet** über das Monitoring.")
        page.select_option("#id_outcome", "decision")
        go(page, "button", "Protokoll speichern")
        success(page, "Das Protokoll zu „Bericht der Projektgruppe“ ist gespeichert.")
        expect(page.locator("strong", has_text="berichtet")).to_be_visible()

        page.goto(base + first.get_absolute_url())
        go(page, "link", "Beschluss erfassen")
        assert_accessible(page)
        page.fill("#id_title", "Monitoringbericht 2027")
        page.fill("#id_text", "Die Lenkungsgruppe nimmt den Bericht zustimmend zur Kenntnis.")
        page.fill("#id_votes_for", "2")
        page.fill("#id_votes_against", "0")
        page.fill("#id_abstentions", "0")
        go(page, "button", "Speichern")
        success(page, "Beschluss erfasst: LG-2027-01 Monitoringbericht 2027")
        assert_accessible(page)

        page.goto(base + first.get_absolute_url())
        expect(page.locator("main")).to_contain_text("LG-2027-01")
        go(page, "link", "Neue Aufgabe")
        assert_accessible(page)
        page.fill("#id_title", "Daten für den Bericht liefern")
        page.select_option("#id_owner_person", label=member.person.full_name)
        page.fill("#id_due_date", "2027-02-01")
        go(page, "button", "Speichern")
        success(page, "Aufgabe „Daten für den Bericht liefern“ gespeichert.")
        tasks = page.get_by_role("table", name="Aufgaben aus dieser Sitzung")
        expect(tasks).to_contain_text("Daten für den Bericht liefern")
        expect(tasks).to_contain_text(member.person.full_name)
        assert_accessible(page)

        page.goto(base + reverse("meetings:minutes", args=[first.pk]))
        go(page, "button", "Zur Korrektur versenden")
        success(page, "Das Protokoll ist zur Korrektur an die Anwesenden versandt.")
        # To who was there: the member, and the seat Jan Vertreter stood in for.
        circulated = [m.to for m in django_mail.outbox if m.subject.startswith("Protokollentwurf")]
        assert sorted(circulated) == [["mitglied@siegburg.example"], ["petra@much.example"]]
        assert_accessible(page)

        # At the next meeting: the approval of the minutes is on its agenda, with the task.
        clock.move_to(AT_SECOND)
        sign_in(page, live_server, coordinator)
        page.goto(base + second.get_absolute_url())
        agenda = page.locator(".agenda-list")
        expect(agenda.locator(".agenda-item__title").first).to_have_text(
            "Genehmigung des Protokolls der letzten Sitzung"
        )
        expect(agenda).to_contain_text("Daten für den Bericht liefern")
        assert_accessible(page)
        go(page, "link", "Protokoll vom 12.01.2027")
        go(page, "button", "Protokoll genehmigen")
        success(page, "Das Protokoll ist genehmigt und nun gesperrt.")
        expect(page.locator("main")).to_contain_text("gesperrt")
        expect(page.get_by_role("link", name=re.compile("^Protokoll zu"))).to_have_count(0)
        expect(page.get_by_role("link", name="Anwesenheit erfassen")).to_have_count(0)
        assert_accessible(page)

        # A member of Siegburg sees the agenda, their task and the minutes; nothing more.
        page.context.clear_cookies()
        sign_in(page, live_server, member)
        page.goto(base + "/")
        go(page, "link", "Sitzungen")
        go(page, "link", "Lenkungsgruppe")
        assert_accessible(page)
        go(page, "link", "Dienstag, 12.01.2027")
        expect(page.locator(".agenda-list")).to_contain_text("Bericht der Projektgruppe")
        expect(page.locator("main")).to_contain_text("Daten für den Bericht liefern")
        expect(page.get_by_role("link", name="Beschluss erfassen")).to_have_count(0)
        assert_accessible(page)
        go(page, "link", "Protokoll")
        expect(page.locator("main")).to_contain_text("Genehmigt")
        expect(page.locator("strong", has_text="berichtet")).to_be_visible()
        assert_accessible(page)
        page.goto(base + reverse("meetings:task_list"))
        expect(page.locator("main")).to_contain_text("Daten für den Bericht liefern")
        assert_accessible(page)
        for name, args in (
            ("series_create", []),
            ("series_edit", [series.pk]),
            ("agenda_add", [second.pk]),
            ("meeting_invitations", [second.pk]),
            ("attendance", [first.pk]),
            ("decision_create", [second.pk]),
            ("task_create", [second.pk]),
        ):
            response = page.goto(base + reverse(f"meetings:{name}", args=args))
            assert response.status == 404, name
