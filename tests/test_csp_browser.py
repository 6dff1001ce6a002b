"""The pages that bring scripts of their own, used in a real browser under the site's
Content-Security-Policy: the admin, the API documentation (Swagger UI), allauth's sign-in
and TOTP set-up (a QR code as a data: image), the filters (htmx), the projector (QR code as
inline SVG, WebSocket to the same host). Any violation fails the test (tests/browser.py);
the last test shows that the check itself catches one."""

import re

import pytest
from playwright.sync_api import expect

from tests import live_support
from tests.browser import wait_for_htmx
from tests.factories import OrganisationFactory
from tests.live_support import signed_in_cookie
from tests.test_accessibility_browser import assert_accessible, sign_in
from tests.workshops.live.test_browser import connected, new_page
from workshops.live import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The live-session fixtures of tests/workshops/conftest.py that this module uses as well.
asgi_servers = live_support.asgi_servers
asgi_server = live_support.asgi_server
live_workshop = live_support.live_workshop


def test_the_admin_works(page, live_server, coordinator):
    page.goto(live_server.url + "/admin/login/")
    expect(page.get_by_label("E-Mail-Adresse")).to_be_visible()
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/admin/workshops/workshop/add/")
    # The date shortcuts and the inline rows are drawn by the admin's scripts.
    page.get_by_role("link", name="Heute").first.click()
    expect(page.locator("#id_start_0")).not_to_have_value("")
    page.locator(".add-row a").first.click()
    expect(page.locator("tr.form-row[class*='dynamic-']").first).to_be_visible()


def test_the_api_documentation_works(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_role("heading", name="mitplanen API")).to_be_visible()
    # The page lists the tags; the filter box finds one, whose operations then open.
    page.get_by_placeholder("Filter by tag").fill("me")
    page.locator("h3.opblock-tag", has_text=re.compile(r"^me$")).click()
    page.locator(".opblock-summary-path", has_text="/api/v1/me/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")


def test_sign_in_and_the_totp_set_up_work(page, live_server, member):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-Mail").fill(member.email)
    page.get_by_label("Passwort").fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("link", name="Sicherheit")).to_be_visible()
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    qr_code = page.locator("img.mfa, img[src^='data:']").first
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")


def test_the_filters_update_the_list(page, live_server, coordinator):
    OrganisationFactory(name="Stadt Siegburg")
    OrganisationFactory(name="Gemeinde Much")
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/organisations/")
    page.get_by_role("textbox", name="Suche").fill("Much")
    wait_for_htmx(page)
    expect(page.get_by_role("link", name="Stadt Siegburg")).to_have_count(0)
    expect(page.get_by_role("link", name="Gemeinde Much")).to_be_visible()


def test_a_form_over_the_field_limit_gets_an_accessible_page(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/organisations/new/")
    page.locator("form.narrow").evaluate(
        """form => { for (let n = 0; n < 1001; n++) {
            const input = document.createElement("input");
            input.type = "hidden"; input.name = "extra" + n; input.value = "x";
            form.append(input);
        } }"""
    )
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name="Nicht gesendet")).to_be_visible()
    expect(page.get_by_text("Höchstens 1000 Felder können gesendet werden.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.services
def test_the_projector_shows_its_qr_code_and_connects(
    browser, asgi_server, live_workshop, coordinator
):
    live_session = services.ensure_live_session(live_workshop, actor=coordinator)
    projector = new_page(browser, asgi_server.origin, signed_in_cookie(coordinator))
    projector.goto(f"{asgi_server.origin}/workshops/{live_workshop.pk}/live/projector/")
    expect(projector.locator("svg.live-qr")).to_be_visible()
    expect(projector.locator('[data-bind="join-code"]')).to_have_text(live_session.join_code)
    connected(projector)
    projector.context.close()


def test_the_check_catches_a_violation(browser, page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate(
        """() => { const element = document.createElement("div");
            element.setAttribute("style", "color: red"); document.body.append(element);
            const script = document.createElement("script");
            script.textContent = "window.ran = true"; document.body.append(script); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    violations = list(browser.violations)
    browser.violations.clear()  # seen here: they must not fail this test
    assert any("style-src" in violation for violation in violations), violations
    assert any("script-src" in violation for violation in violations), violations
