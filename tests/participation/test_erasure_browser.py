"""Erasure in a real browser: a member asks for it from their account (password), the
coordinator checks and erases it from the queue, an invitee without an account asks through
their personal link; axe finds no WCAG 2.1 AA violation on the way."""

import pytest
from playwright.sync_api import expect

from participation import personal_links
from participation.events import invitations as invitation_pipeline
from participation.models import ErasureRequest, InvitationMessage, Person
from tests.factories import MembershipFactory, PersonFactory, UserFactory, WorkshopFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_asks_and_a_coordinator_erases(page, live_server, own_org, coordinator):
    user = UserFactory(email="q.zwetschgenbaum@siegburg.example")
    person = PersonFactory(first_name="Quirinella", last_name="Zwetschgenbaum", user=user)
    MembershipFactory(person=person, organisation=own_org)
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Ihr Konto").get_by_role("link", name="Ihre Daten").click()
    page.wait_for_url("**/account/data/")
    page.get_by_role("link", name="Löschung Ihrer personenbezogenen Daten beantragen").click()
    page.wait_for_url("**/erasure/")
    assert_accessible(page)
    page.get_by_label("Ihr Passwort").fill("falsch")
    page.get_by_role("button", name="Löschung beantragen").click()
    expect(page.locator("main")).to_contain_text("Das Passwort ist nicht korrekt.")
    assert_accessible(page)
    page.get_by_label("Ihr Passwort").fill("correct horse battery")
    page.get_by_role("button", name="Löschung beantragen").click()
    expect(page.locator("body")).to_contain_text("Ihre Bitte um Löschung ist eingegangen.")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + "/erasure-requests/")
    page.get_by_role("link", name="Prüfen und löschen").click()
    page.wait_for_url(lambda url: not url.endswith("/erasure-requests/"))
    expect(page.locator("main")).to_contain_text("Quirinella Zwetschgenbaum")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt löschen").click()
    # The result: the erasure's request page, with the files to check by hand.
    expect(page.locator("main .erasure-files-to-check, main h2")).not_to_have_count(0)
    assert "Zwetschgenbaum" not in page.inner_text("body")
    assert_accessible(page)
    page.get_by_role("link", name="Zurück zur Person: ehemaliges Mitglied").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ehemaliges Mitglied")
    assert "Zwetschgenbaum" not in page.inner_text("body")
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_an_invitee_asks_through_their_link(page, live_server, coordinator):
    invitation = invitation_pipeline.invite_person(
        WorkshopFactory(), email="extern@verein.example", name="Ottokar Extern", actor=coordinator
    )
    message = invitation_pipeline.prepare_message(
        invitation.pk, invitation_pipeline.Purpose.INVITATION, invitation_pipeline.INVITATION_KEY
    )
    # The mail was sent (its text scrubbed of the link): a fresh link for the invitee.
    token, token_hash = personal_links.new_token()
    InvitationMessage.objects.filter(pk=message.pk).update(token_hash=token_hash)
    page.goto(f"{live_server.url}/invitation/{token}/")
    page.wait_for_load_state()
    page.get_by_role("link", name="Löschung Ihrer personenbezogenen Daten beantragen").click()
    page.wait_for_url("**/erasure/")
    assert_accessible(page)
    page.get_by_role("button", name="Löschung beantragen").click()
    expect(page.locator("body")).to_contain_text("Ihre Bitte um Löschung ist eingegangen.")
    assert_accessible(page)
    assert ErasureRequest.objects.get().invitation == invitation
