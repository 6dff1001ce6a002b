"""A member of a municipality proposes a neighbourhood by keyboard, sees the registry's rule
when it reaches outside its social space, and the coordinator confirms it; axe finds no
violation on the list, the form (with errors) and the space's page."""

import pytest
from playwright.sync_api import expect

from monitoring.models import Space, SpaceStatus
from tests.test_accessibility_browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_proposes_a_neighbourhood_by_keyboard_and_the_coordinator_confirms(
    page, live_server, member, coordinator, own_org, social_space
):
    sign_in(page, live_server, member)
    assert_accessible(page, live_server.url + "/monitoring/spaces/")
    expect(page.get_by_role("link", name="Innenstadt")).to_be_visible()
    page.get_by_role("link", name="Neuer Raum").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/monitoring/spaces/new/")

    page.get_by_label("Ebene").select_option("neighbourhood")
    page.get_by_label("Sozialraum", exact=True).select_option(str(social_space.pk))
    page.get_by_label("Schlüssel", exact=True).fill(f"{own_org.ags}-SR01-Q05")
    page.get_by_label("Name").fill("Deichhaus")
    page.get_by_label("Grenze (GeoJSON)").fill(
        '{"type": "Polygon", "coordinates": [[[8,51],[8.01,51],[8.01,51.01],[8,51]]]}'
    )
    page.get_by_label("Grenze (GeoJSON)").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(
        page.get_by_text("Das Quartier ragt über seinen Sozialraum hinaus.", exact=True)
    ).to_be_visible()
    assert_accessible(page)
    assert not Space.objects.filter(name="Deichhaus").exists()

    page.get_by_label("Grenze (GeoJSON)").fill("")
    page.get_by_role("button", name="Speichern").press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Deichhaus")).to_be_visible()
    assert_accessible(page)
    proposal = Space.objects.get(name="Deichhaus")
    assert proposal.status == SpaceStatus.PROPOSED

    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + f"/monitoring/spaces/{proposal.pk}/")
    page.get_by_role("button", name="Für den Kreis bestätigen").click()
    # The old page shows the name too: only the answer says it is confirmed.
    expect(page.locator(".message-success")).to_contain_text("Deichhaus")
    proposal.refresh_from_db()
    assert proposal.status == SpaceStatus.CONFIRMED
    assert_accessible(page)
