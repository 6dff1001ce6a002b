"""A member fills in their organisation's statement in a real browser: each section saves
itself as its fields are left, the member names themselves responsible and releases it;
axe finds no WCAG A/AA violation on the consultation pages."""

import pytest
from playwright.sync_api import expect

from consultations import services
from consultations.models import Statement
from tests.browser import wait_for_htmx
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import build_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_fills_in_and_releases_the_statement(
    page, live_server, coordinator, member, own_org, other_org
):
    consultation = build_consultation(coordinator, [own_org, other_org])
    sign_in(page, live_server, member)
    assert_accessible(page, f"{live_server.url}/consultations/")
    assert_accessible(page, f"{live_server.url}{consultation.get_absolute_url()}")
    page.get_by_role("button", name="Stellungnahme beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stellungnahme von Stadt Siegburg")
    wait_for_htmx(page)
    assert_accessible(page)

    first, second = consultation.sections.all()
    page.get_by_label("Zustimmung mit Änderungen").first.check()
    wait_for_htmx(page)
    page.get_by_label("Anmerkung zu Abschnitt 1").fill("Bitte Altersgruppen feiner gliedern.")
    page.get_by_label("Formulierungsvorschlag zu Abschnitt 1").fill(
        "Altersgruppen in Fünfjahresschritten"
    )
    page.get_by_label("Formulierungsvorschlag zu Abschnitt 1").blur()
    wait_for_htmx(page)
    expect(page.locator(f"#question-{first.key}-status")).to_contain_text("Gespeichert")
    page.locator(f"#q-{second.key}-position-agree").check()
    wait_for_htmx(page)
    expect(page.locator(f"#question-{second.key}-status")).to_contain_text("Gespeichert")
    statement = Statement.objects.get(consultation=consultation, organisation=own_org)
    answers = {a.question_id: a.value for a in statement.answers.all()}
    assert answers[first.pk] == {
        "position": "agree_with_changes",
        "comment": "Bitte Altersgruppen feiner gliedern.",
        "wording": "Altersgruppen in Fünfjahresschritten",
    }
    assert answers[second.pk]["position"] == "agree"

    page.get_by_role("combobox", name="Verantwortliches Mitglied").select_option(
        str(member.person.pk)
    )
    page.get_by_role("button", name="Als verantwortlich benennen").click()
    expect(page.get_by_role("button", name="Stellungnahme freigeben")).to_be_visible()
    page.get_by_role("button", name="Stellungnahme freigeben").click()
    expect(page.locator(".message-success")).to_contain_text("Die Stellungnahme ist freigegeben")
    expect(page.get_by_label("Anmerkung zu Abschnitt 1")).to_be_disabled()
    assert_accessible(page)
    statement.refresh_from_db()
    assert statement.is_released and statement.submitted_by == member


def test_coordinator_pages_meet_wcag_aa(page, live_server, coordinator, member, own_org, other_org):
    draft = build_consultation(coordinator, [own_org], open_it=False)
    consultation = build_consultation(coordinator, [own_org, other_org])
    services.statement_for(consultation, own_org)
    sign_in(page, live_server, coordinator)
    base = live_server.url
    for path in (
        "/consultations/",
        "/consultations/new/",
        draft.get_absolute_url(),
        f"/consultations/{draft.pk}/organisations/",
        f"/consultations/{draft.pk}/sections/new/",
        f"/consultations/{draft.pk}/files/new/",
        consultation.get_absolute_url(),
    ):
        assert_accessible(page, base + path)
