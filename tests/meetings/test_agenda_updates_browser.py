"""The updated agenda and a phoned reply in a real browser: after the agenda changed, the
coordinator finds the notice on the meeting page, previews who gets the update and sends
it; then records a reply an invitee gave by telephone, and the invitations list says who
recorded it. axe finds no WCAG 2.1 AA violation on the new pages."""

import pytest
from django.core import mail as django_mail
from playwright.sync_api import expect

from meetings import minutes
from meetings.invitations import send_meeting_invitations
from meetings.models import AgendaItem
from participation.events.selectors import invitations_of
from participation.models import Reply
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_sends_the_updated_agenda_and_records_a_phoned_reply(
    page, live_server, coordinator, body, member
):
    series = make_series(body, actor=coordinator, agenda_template="Begrüßung\nVerschiedenes")
    meeting = series.meetings.order_by("start").first()
    minutes.ensure_agenda(meeting)
    send_meeting_invitations(meeting, actor=coordinator)
    minutes.add_item(AgendaItem(meeting=meeting, title="Haushalt 2027"), actor=coordinator)
    django_mail.outbox.clear()

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    notice = page.locator("#agenda-changed")
    expect(notice).to_contain_text("Die Tagesordnung hat sich seit dem Versand geändert")
    expect(notice).to_contain_text("Hinzugefügt: „Haushalt 2027“")
    assert_accessible(page)
    notice.get_by_role("link", name="Aktualisierte Tagesordnung versenden").click()
    page.wait_for_load_state()
    expect(page.get_by_role("table", name="Wer sie erhält")).to_contain_text(member.person.email)
    assert_accessible(page)
    page.get_by_role("button", name="Aktualisierte Tagesordnung versenden").click()
    page.wait_for_load_state()
    expect(page.locator(".message-success")).to_contain_text(
        "Die aktualisierte Tagesordnung wird an 1 Person versandt."
    )
    expect(page.locator("#agenda-changed")).to_have_count(0)
    (update,) = [m for m in django_mail.outbox if m.to == [member.person.email]]
    assert "Haushalt 2027 [neu]" in update.body

    name = member.person.full_name
    page.get_by_role("link", name=f"Rückmeldung für {name} erfassen").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert_accessible(page)
    page.get_by_label("Kann nicht teilnehmen").check()
    page.get_by_role("button", name="Rückmeldung erfassen").click()
    page.wait_for_load_state()
    expect(page.locator(".message-success")).to_contain_text("ist erfasst: Abgesagt")
    row = page.locator(f"#invitation-{invitations_of(meeting).get().pk}")
    expect(row).to_contain_text(f"erfasst von {coordinator.email}")
    assert invitations_of(meeting).get().reply == Reply.DECLINED
