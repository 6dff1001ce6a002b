"""WCAG 2.1 A/AA checks with axe-core (bundled in a Python package) on the pages people use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import expect

from tests.factories import BodyFactory, BodyMembershipFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page, url=None):
    """Audit the page at `url`, or the page as it is now (e.g. after a failed submit)."""
    if url:
        page.goto(url)
        page.wait_for_load_state()
    for details in page.locator("details").all():
        details.evaluate("element => element.open = true")
    results = Axe().run(page, options=WCAG_AA)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_sign_in_pages_meet_wcag_aa(page, live_server):
    for path in ("/accounts/login/", "/accounts/login/code/", "/accounts/password/reset/"):
        assert_accessible(page, live_server.url + path)


def test_registry_pages_meet_wcag_aa(page, live_server, coordinator, own_org):
    membership = MembershipFactory(organisation=own_org, function="Sozialplanerin")
    chair = BodyMembershipFactory(body=BodyFactory(), person=membership.person, role="chair")
    BodyMembershipFactory(body=chair.body, role="deputy", deputy_of=chair, represents=own_org)
    sign_in(page, live_server, coordinator)
    base = live_server.url
    for path in (
        "/",
        "/organisations/",
        f"/organisations/{own_org.pk}/",
        "/organisations/new/",
        "/people/",
        f"/people/{membership.person_id}/",
        "/people/import/",
        "/people/new/",
        f"/people/{membership.person_id}/edit/",
        "/bodies/",
        f"/bodies/{chair.body_id}/",
        f"/bodies/{chair.body_id}/seats/new/",
    ):
        assert_accessible(page, base + path)


def test_account_pages_meet_wcag_aa_in_the_new_look(page, live_server, coordinator):
    """Security (two-factor) pages of a signed-in coordinator, in the KERN frame."""
    sign_in(page, live_server, coordinator)
    for path in ("/accounts/2fa/", "/accounts/2fa/recovery-codes/generate/"):
        assert_accessible(page, live_server.url + path)
        assert page.locator(".kern-kopfzeile").is_visible()
        assert page.locator("main h1.kern-heading-x-large").is_visible()


def test_import_errors_meet_wcag_aa(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/people/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": b"first_name\n,\n"}],
    )
    page.get_by_role("button", name="Nur prüfen").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)


def test_signed_in_navigation_is_one_row_at_1280_and_reflows_at_320(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/organisations/")
    tops = {round(box["y"]) for box in boxes(page, ".main-nav li")}
    assert len(tops) == 1, f"the navigation spreads over rows at 1280 px: {tops}"
    # The account's items differ in height (text, link, button): one row is when they overlap.
    account = boxes(page, ".account-nav li")
    assert max(b["y"] for b in account) < min(b["y"] + b["height"] for b in account)
    assert len(boxes(page, ".main-nav li")) == 9
    # At 320 px everything still fits the width: no sideways scrolling (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/organisations/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for box in boxes(page, ".main-nav li, .account-nav li, .language-switch"):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    assert page.get_by_role("button", name="Abmelden").is_visible()


def test_the_footer_sits_at_the_bottom_of_a_short_page(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_server.url + "/accounts/password/reset/")
    footer = page.locator(".site-footer").bounding_box()
    assert page.evaluate("document.documentElement.scrollHeight") <= 1000  # a short page
    assert round(footer["y"] + footer["height"]) == 1000


def boxes(page, selector):
    return [element.bounding_box() for element in page.locator(selector).all()]


def test_form_errors_meet_wcag_aa(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/organisations/new/")
    page.fill("#id_name", "Ohne AGS")
    page.select_option("#id_kind", "municipality")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_attribute("#id_ags", "aria-invalid") == "true"
    assert_accessible(page)


def test_the_check_itself_finds_a_known_violation(page):
    page.set_content('<html lang="de"><title>t</title><main><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_the_barrier_report_form_and_list_meet_wcag_aa(page, live_server, coordinator):
    assert_accessible(page, live_server.url + "/barrierefreiheit/barriere-melden/")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_text("Bitte beschreiben Sie die Barriere.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Was hat nicht funktioniert?").fill("Die Tabelle ist nicht lesbar.")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_text("Vielen Dank, Ihre Meldung wurde gesendet.")).to_be_visible()
    assert_accessible(page)
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + "/barrierefreiheit/meldungen/")
    assert page.get_by_text("Die Tabelle ist nicht lesbar.").is_visible()
