"""A new coordinator's first visit, clicked through in a real browser."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from participation import services
from participation.models import BodyMembership, Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def latest_code(mailoutbox, address):
    message = [m for m in mailoutbox if address in m.to][-1]
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def test_new_coordinator_signs_in_by_code_sets_up_totp_and_builds_a_body(
    page, live_server, mailoutbox
):
    county = OrganisationFactory(name="Kreisverwaltung", kind="county_office", ags=None)
    hennef = OrganisationFactory(name="Stadt Hennef (Sieg)", ags="05382020")
    petra = PersonFactory(first_name="Petra", last_name="Planung", email="petra@kreis.example")
    services.save_membership(
        services.Membership(person=petra, organisation=county, function="Projektleitung"),
        actor=None,
    )
    services.grant_account(petra, actor=None, coordinator=True)
    PersonFactory(first_name="Claudia", last_name="Vorsitz", email="claudia@hennef.example")
    PersonFactory(first_name="Dieter", last_name="Vertretung", email="dieter@hennef.example")

    # The invitation mail points to the sign-in by code.
    assert "/accounts/login/code/" in mailoutbox[-1].body

    page.goto(f"{live_server.url}/accounts/login/code/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.fill("#id_email", "petra@kreis.example")
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_url("**/login/code/confirm/**")
    page.fill("#id_code", latest_code(mailoutbox, "petra@kreis.example"))
    page.locator("main form button[type=submit]:not([form])").click()

    # A coordinator must set up TOTP before anything else.
    page.wait_for_url("**/2fa/totp/activate/**")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_url(lambda url: "/2fa/totp/activate/" not in url)
    assert petra.__class__.objects.get(pk=petra.pk).user.authenticator_set.count() >= 1

    page.goto(f"{live_server.url}/bodies/new/")
    page.fill("#id_name", "Lenkungsgruppe Sozialplanung")
    page.select_option("#id_kind", "steering_group")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_have_text("Lenkungsgruppe Sozialplanung")

    page.locator("main .page-head a[href$='/seats/new/']").click()
    page.select_option("#id_person", label="Claudia Vorsitz")
    page.select_option("#id_role", "chair")
    page.select_option("#id_represents", label="Stadt Hennef (Sieg)")
    page.get_by_role("button", name="Speichern").click()

    page.locator("a[href*='role=deputy']").click()
    expect(page.locator("#id_role")).to_have_value("deputy")
    page.select_option("#id_person", label="Dieter Vertretung")
    page.get_by_role("button", name="Speichern").click()

    members = page.get_by_role("table", name="Mitglieder")
    deputy_row = members.locator("tbody tr", has_text="Dieter Vertretung")
    expect(deputy_row).to_contain_text("Claudia Vorsitz")
    expect(deputy_row).to_contain_text("Stadt Hennef (Sieg)")
    audit = page.locator(".audit")
    expect(audit).to_contain_text("petra@kreis.example")
    expect(audit).to_contain_text("Angelegt: Dieter Vertretung")
    seat = BodyMembership.objects.get(person__last_name="Vertretung")
    assert seat.deputy_of.person.last_name == "Vorsitz"
    assert seat.represents == hennef
    assert Person.objects.get(pk=petra.pk).user.is_coordinator
