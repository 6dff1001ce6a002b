"""An invitee without an account answers in a real browser: open the personal link, accept,
change to a decline, send a colleague instead; every state of the page meets WCAG AA."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from participation.events import invitations
from participation.models import Invitation, Reply
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, WorkshopFactory
from tests.participation.test_invitation_replies import link_token
from tests.test_accessibility_browser import assert_accessible
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caritas():
    return OrganisationFactory(name="Caritasverband Rhein-Sieg", kind="welfare_association")


def invite_member(workshop, organisation, mailoutbox, *, first_name, last_name, email):
    person = PersonFactory(first_name=first_name, last_name=last_name, email=email)
    MembershipFactory(person=person, organisation=organisation)
    invitation = invitations.invite_person(
        workshop, email=email, name=person.full_name, person=person, organisation=organisation
    )
    return invitation, link_token([m for m in mailoutbox if m.to == [email]][-1])


def submit_reply(page):
    """Send the reply form. The click does not wait for the navigation it starts: each caller
    then waits for what only the answering page shows."""
    page.locator("form.reply-form button[type=submit]").click()


def test_invitee_accepts_declines_and_sends_a_deputy_without_an_account(
    page, live_server, mailoutbox, caritas
):
    workshop = WorkshopFactory(
        title="Fachworkshop Pflege im Alter", online_url="https://konferenz.example/pflege"
    )
    invitation, token = invite_member(
        workshop,
        caritas,
        mailoutbox,
        first_name="Petra",
        last_name="Leitung",
        email="petra@caritas.example",
    )
    MembershipFactory(
        person=PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@caritas.example"),
        organisation=caritas,
    )

    page.goto(f"{live_server.url}/invitation/{token}/")
    page.wait_for_url(f"**/invitation/{invitation.pk}/")
    assert token not in page.url
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Fachworkshop Pflege im Alter")
    expect(page.locator("main")).to_contain_text("Petra Leitung")
    expect(page.get_by_role("link", name="https://konferenz.example/pflege")).to_be_visible()
    assert_accessible(page)

    page.check("#id_reply_0")
    page.fill("#id_accessibility_needs", "Stufenloser Zugang")
    page.fill("#id_dietary_wishes", "vegetarisch")
    submit_reply(page)
    expect(page.locator(".message-success")).to_contain_text("Sie haben zugesagt")
    expect(page.locator("#id_reply_0")).to_be_checked()
    expect(page.locator("#id_accessibility_needs")).to_have_value("Stufenloser Zugang")
    saved = Invitation.objects.get(pk=invitation.pk)
    assert saved.has_place
    assert saved.dietary_wishes == "vegetarisch"
    assert_accessible(page)

    page.check("#id_reply_2")
    submit_reply(page)
    expect(page.locator(".message-success")).to_contain_text("Ihre Absage ist gespeichert")
    expect(page.locator("#id_reply_2")).to_be_checked()
    assert Invitation.objects.get(pk=invitation.pk).reply == Reply.DECLINED

    page.select_option("#id_person", label="Jan Vertreter")
    page.locator("form[action$='/deputy/'] button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Jan Vertreter")
    deputy = Invitation.objects.get(email="jan@caritas.example")
    assert deputy.deputy_for_id == invitation.pk
    assert [m.to for m in mailoutbox][-1] == ["jan@caritas.example"]
    # Nobody else from the organisation is left to send.
    expect(page.locator("#id_person")).to_have_count(0)
    assert_accessible(page)


def test_reply_page_errors_and_the_neutral_page_meet_wcag_aa(
    page, live_server, mailoutbox, caritas
):
    workshop = WorkshopFactory()
    _invitation, token = invite_member(
        workshop, caritas, mailoutbox, first_name="Eva", last_name="Beispiel", email="eva@c.example"
    )
    MembershipFactory(person=PersonFactory(email="kollege@c.example"), organisation=caritas)
    page.goto(f"{live_server.url}/invitation/{token}/")
    submit_reply(page)
    expect(page.locator(".error-summary")).to_be_focused()
    page.locator(".error-summary a").first.click()
    expect(page.locator("#id_reply_0")).to_be_focused()
    assert_accessible(page)

    page.locator("form[action$='/deputy/'] button[type=submit]").click()
    expect(page.locator("#id_person")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    context = page.context.browser.new_context(locale="de-DE")
    stranger = context.new_page()
    stranger.goto(f"{live_server.url}/invitation/{token[:-2]}/")
    expect(stranger.locator("h1")).to_be_visible()
    assert_accessible(stranger)
    context.close()


def test_reply_page_with_programme_and_calendar_download_meets_wcag_aa(
    page, live_server, mailoutbox, caritas
):
    workshop = WorkshopFactory(title="Fachworkshop Teilhabe", topic="Teilhabe")
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(9, 30), title="Begrüßung")
    AgendaItem.objects.create(workshop=workshop, starts_at=datetime.time(10, 0), title="Impulse")
    invitation, token = invite_member(
        workshop, caritas, mailoutbox, first_name="Petra", last_name="Leitung", email="p@c.example"
    )
    page.goto(f"{live_server.url}/invitation/{token}/")
    page.wait_for_url(f"**/invitation/{invitation.pk}/")
    programme = page.get_by_role("table", name="Programm")
    expect(programme.get_by_role("row")).to_have_count(3)
    expect(programme.get_by_role("cell", name="09:30")).to_be_visible()
    expect(page.get_by_role("heading", name="Ihre Antwort", level=2)).to_have_count(1)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Termin in den Kalender übernehmen (.ics)").click()
    assert download.value.suggested_filename == "fachworkshop-teilhabe.ics"
    ics = Path(download.value.path()).read_text()
    assert "SUMMARY:Fachworkshop Teilhabe" in ics
    assert "DTSTART;TZID=Europe/Berlin:" in ics
