"""A meeting's invitations and the registered deputy in a real browser: the coordinator
previews and sends the invitations; the principal opens the personal link and finds the
seat's registered deputy offered first and preselected, and sends them. axe finds no
WCAG 2.1 AA violation on either page."""

import re

import pytest
from django.core import mail as django_mail
from playwright.sync_api import expect

from participation.events.selectors import invitations_of
from participation.models import BodyMembership, Invitation, Reply
from tests.factories import BodyMembershipFactory, MembershipFactory, PersonFactory
from tests.test_accessibility_browser import assert_accessible, sign_in

from .conftest import make_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_sends_the_registered_deputy_from_the_reply_page(
    page, live_server, coordinator, body, member, own_org
):
    seat = BodyMembership.objects.get(body=body, person=member.person)
    deputy = PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@siegburg.example")
    BodyMembershipFactory(
        body=body, person=deputy, role="deputy", deputy_of=seat, represents=own_org
    )
    MembershipFactory(
        person=PersonFactory(
            first_name="Anna", last_name="Kollegin", email="anna@siegburg.example"
        ),
        organisation=own_org,
    )
    series = make_series(body, actor=coordinator)
    meeting = series.meetings.order_by("start").first()

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Einladungen versenden").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="Wer benachrichtigt wird")
    expect(table).to_contain_text(member.person.email)
    expect(table).to_contain_text("Informiert als Stellvertretung von " + member.person.full_name)
    assert_accessible(page)
    page.get_by_role("button", name="Einladungen versenden").click()
    page.wait_for_load_state()
    expect(page.locator(".message-success")).to_contain_text("1 Einladung wird versendet.")
    assert invitations_of(meeting).get(email=deputy.email).informed

    invitation_mail = next(m for m in django_mail.outbox if m.to == [member.person.email])
    link = re.search(r"https?://\S+(/invitation/[A-Za-z0-9_-]{43}/)", invitation_mail.body)
    context = page.context.browser.new_context(locale="de-DE")
    principal = context.new_page()
    principal.goto(live_server.url + link.group(1))
    principal.wait_for_url("**/invitation/*/")
    expect(principal.locator("#registered-deputy-note")).to_contain_text(
        "registrierte Stellvertretung Ihres Sitzes"
    )
    options = principal.locator("#id_person option")
    expect(options).to_have_text(
        ["Bitte wählen", "Jan Vertreter (registrierte Stellvertretung)", "Anna Kollegin"]
    )
    expect(principal.locator("#id_person option:checked")).to_have_text(
        "Jan Vertreter (registrierte Stellvertretung)"
    )
    assert_accessible(principal)

    principal.locator("form[action$='/deputy/'] button[type=submit]").click()
    principal.wait_for_load_state()
    expect(principal.locator(".message-success")).to_contain_text("Jan Vertreter")
    named = Invitation.objects.get(email=deputy.email)
    assert (named.informed, named.deputy_for.email) == (False, member.person.email)
    assert invitations_of(meeting).get(email=member.person.email).reply == Reply.DECLINED
    to_deputy = [m.subject for m in django_mail.outbox if m.to == [deputy.email]]
    assert to_deputy == [f"Zur Information: {meeting.title}", f"Einladung: {meeting.title}"]
    # The registered deputy is invited now: only the colleague is left to offer.
    expect(principal.locator("#id_person option")).to_have_text(["Bitte wählen", "Anna Kollegin"])
    assert_accessible(principal)
    context.close()
