"""The home pages in a real browser: a member signs in, sees their organisation's open survey
with its deadline and follows it to the response; a coordinator follows every number to its
list, which shows the same count; axe finds nothing on either home page or the outbox."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from participation.models import Invitation, OutboundMail, Person, Reply
from surveys import services
from tests.factories import OrganisationFactory, WorkshopFactory
from tests.surveys.test_services import build_survey
from tests.test_accessibility_browser import assert_accessible, sign_in
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_in_sees_the_open_survey_and_follows_it_to_the_response(
    page, live_server, coordinator, member, own_org, other_org
):
    deadline = timezone.localdate() + datetime.timedelta(weeks=4)
    survey = build_survey(coordinator, deadline=deadline, audience=[own_org, other_org])
    response = services.response_for(survey, own_org)
    services.response_for(survey, other_org)

    page.goto(live_server.url + "/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", "correct horse battery")
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url(live_server.url + "/")

    surveys = page.locator("#home-surveys")
    expect(surveys.get_by_role("heading", level=2)).to_have_text("Zu beantwortende Abfragen")
    card = surveys.locator(".home-item")
    expect(card).to_have_count(1)  # Much's response is not Siegburg's business
    expect(card).to_contain_text(deadline.strftime("%d.%m.%Y"))
    expect(card).to_contain_text("Stadt Siegburg: 0 von 1 Pflichtfragen beantwortet.")
    assert_accessible(page)

    card.get_by_role("link", name=survey.title).click()
    page.wait_for_url(f"{live_server.url}/surveys/responses/{response.pk}/")
    expect(page.locator("h1")).to_have_text("Stadt Siegburg")


def test_member_with_nothing_waiting_is_told_so(page, live_server, member):
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/")
    expect(page.locator("#nothing-waiting")).to_have_text(
        "Für Ihre Organisation steht derzeit nichts an."
    )
    assert_accessible(page)


def list_count(page):
    """The count the list page shows: the rows of its table."""
    page.wait_for_load_state()
    if "/progress/" in page.url:
        return page.locator("tr[id^=organisation-]").count()
    if "/invitations/" in page.url:
        return page.locator("tr[id^=invitation-]").count()
    if "/meetings/tasks/" in page.url:
        return page.locator("tr[id^=task-]").count()
    if "/mail/" in page.url:
        return page.locator("tr[id^=mail-]").count()
    if "/privacy/retention/" in page.url:
        return page.locator("tr[id^=run-]").count()
    shown = re.search(r"(\d+) (Organisation|Person|Gremi)", page.locator("main").inner_text())
    return int(shown.group(1))


def test_coordinator_follows_each_number_to_a_list_with_the_same_count(
    page, live_server, coordinator, member, own_org, other_org
):
    today = timezone.localdate()
    late = OrganisationFactory(name="Gemeinde Ruppichteroth", ags="05382048")
    survey = build_survey(coordinator, deadline=today, audience=[own_org, other_org, late])
    response = services.response_for(survey, own_org)
    services.save_answer(
        response,
        survey.current_version.sections.get().questions.get(key="planner"),
        "no",
        actor=member,
        base_revision=0,
    )
    services.submit_response(response, actor=member)
    workshop = WorkshopFactory(
        title="Klausur der Lenkungsgruppe", start=timezone.now() + datetime.timedelta(days=12)
    )
    person = Person.objects.get(user=member)
    for index, reply in enumerate([Reply.ACCEPTED, Reply.DECLINED, Reply.NONE, Reply.NONE]):
        Invitation.objects.create(
            event_type=ContentType.objects.get_for_model(Workshop),
            event_id=workshop.pk,
            person=person if index == 2 else None,
            organisation=own_org if index == 2 else other_org,
            email=f"eingeladen{index}@example.org",
            reply=reply,
        )
    OutboundMail.objects.create(
        to="vertippt@example.org",
        subject="Einladung",
        status=OutboundMail.Status.FAILED,
        last_error="550 5.1.1 User unknown",
    )
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + "/")
    assert_accessible(page)

    links = page.locator(".home-count a")
    targets = [
        (link.get_attribute("href"), int(link.locator(".home-number").inner_text()))
        for link in links.all()
    ]
    # survey, workshop, open and overdue tasks, failed mail, registry, failed purges
    assert len(targets) == 3 + 4 + 2 + 1 + 3 + 1
    assert ("/mail/?state=failed", 1) in targets
    assert (f"/surveys/{survey.pk}/progress/?state=submitted", 1) in targets
    assert (f"/workshops/{workshop.pk}/invitations/?reply=none", 2) in targets
    for index, (href, number) in enumerate(targets):
        page.goto(live_server.url + "/")
        page.locator(".home-count a").nth(index).click()
        page.wait_for_url(live_server.url + href)
        assert list_count(page) == number, href

    page.goto(live_server.url + "/mail/?state=failed")
    expect(page.locator("#mail-count")).to_have_text("1 E-Mail")
    expect(page.locator("main")).to_contain_text("550 5.1.1 User unknown")
    assert_accessible(page)


def test_member_follows_a_waiting_invitation_and_replies_signed_in(page, live_server, member):
    """No personal link needed: the home item opens the reply page for the member's own
    invitation, where they accept."""
    workshop = WorkshopFactory(title="Fachworkshop Teilhabe")
    invitation = Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=Person.objects.get(user=member),
        email=member.email,
    )
    sign_in(page, live_server, member)
    page.goto(live_server.url + "/")
    page.locator("#home-invitations").get_by_role("link", name="Fachworkshop Teilhabe").click()
    page.wait_for_url(f"{live_server.url}/invitation/{invitation.pk}/")
    assert_accessible(page)
    page.check("#id_reply_0")
    page.locator("form.reply-form button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("Sie haben zugesagt")
    invitation.refresh_from_db()
    assert invitation.reply == Reply.ACCEPTED
