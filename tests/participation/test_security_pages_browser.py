"""The API tokens page and the security log in a real browser: a token created, its key
shown once, revoked; the log filtered; axe finds no WCAG 2.1 AA violation on the way."""

import pytest

from participation import security_log
from participation.models import ApiToken, SecurityEventKind
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_creates_and_revokes_a_token_on_an_accessible_page(page, live_server, member):
    sign_in(page, live_server, member)
    assert_accessible(page, live_server.url + "/account/tokens/")

    page.get_by_label("Name").fill("Statistik-Skript")
    page.get_by_role("button", name="Token erstellen").click()

    key = page.locator("#token-key").input_value()
    assert key.startswith("mp_")
    assert ApiToken.objects.get(user=member).prefix == key[:8]
    assert_accessible(page)
    page.reload()
    assert page.locator("#token-key").count() == 0
    page.get_by_role("button", name="„Statistik-Skript“ widerrufen").click()
    assert page.get_by_text("widerrufen", exact=False).first.is_visible()
    assert ApiToken.objects.get(user=member).revoked_at is not None
    assert_accessible(page)


def test_coordinator_filters_the_accessible_security_log(page, live_server, coordinator, member):
    security_log.record(SecurityEventKind.SIGN_IN_FAILED, user=member, address="192.0.2.10")
    security_log.record(SecurityEventKind.SIGNED_IN, user=member, address="192.0.2.10")
    sign_in(page, live_server, coordinator)
    assert_accessible(page, live_server.url + "/security-log/")

    page.get_by_label("Art").select_option(SecurityEventKind.SIGN_IN_FAILED)
    page.get_by_role("button", name="Filtern").click()

    assert page.locator("tr[data-kind]").count() == 1
    assert page.locator("tr[data-kind='sign_in_failed']").count() == 1
    assert_accessible(page)
