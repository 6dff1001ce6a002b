"""The invitee's side: replies, places and the waitlist, deputies, deadlines, the reply page
reached by a personal link without an account, and reminders."""

import datetime
import re
import secrets
import threading
import zoneinfo
from html.parser import HTMLParser

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import translation
from rest_framework.test import APIClient

from participation.events import invitations, replies, selectors
from participation.events import links as invitation_links
from participation.events import reminders as invitation_reminders
from participation.events.reminders import send_invitation_reminders
from participation.models import Invitation, InvitationMessage, OutboundMail, Reply
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    WorkshopFactory,
)
from workshops.models import Workshop

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
Purpose = InvitationMessage.Purpose


def link_token(message):
    return re.search(r"https?://\S+/invitation/([A-Za-z0-9_-]{43})/", message.body).group(1)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Failure counts live in the shared cache; each test starts without any.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invite(mailoutbox, django_capture_on_commit_callbacks):
    """Invite someone through the pipeline; returns the invitation and its link's token."""

    def invite(event, email, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitations.invite_person(event, email=email, **fields)
        message = [m for m in mailoutbox if m.to == [email]][-1]
        return invitation, link_token(message)

    return invite


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Pflege")


@pytest.fixture
def caritas():
    return OrganisationFactory(name="Caritasverband Rhein-Sieg", kind="welfare_association")


def accept_all(invitations_in_order, *, start):
    """Accept one after another, a minute apart, so the waitlist order is the reply order."""
    for minutes, invitation in enumerate(invitations_in_order):
        replies.reply_to_invitation(
            invitation, reply=Reply.ACCEPTED, now=start + datetime.timedelta(minutes=minutes)
        )


def fresh(invitation):
    return Invitation.objects.get(pk=invitation.pk)


def open_reply_page(client, token):
    response = client.get(f"/invitation/{token}/")
    assert response.status_code == 302
    return response["Location"]


class InputNames(HTMLParser):
    """The names of all form controls inside the form posting to `action`."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.names = action, False, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif self.inside and tag in {"input", "select", "textarea", "button"} and "name" in attrs:
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def main_content(response):
    """The page's main region; the rest carries a fresh CSRF token on every response."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# --- replies and places ------------------------------------------------------------------


def test_reply_saves_the_answer_and_notes(workshop, invite):
    invitation, _token = invite(workshop, "a@example.org")
    replies.reply_to_invitation(
        invitation,
        reply=Reply.ACCEPTED,
        accessibility_needs=" Rollstuhlgerechter Zugang ",
        dietary_wishes="vegetarisch",
    )
    saved = fresh(invitation)
    assert saved.has_place
    assert saved.accessibility_needs == "Rollstuhlgerechter Zugang"
    assert saved.dietary_wishes == "vegetarisch"
    assert saved.replied_at is not None


def test_reply_must_be_an_answer(workshop, invite):
    invitation, _token = invite(workshop, "a@example.org")
    with pytest.raises(ValidationError):
        replies.reply_to_invitation(invitation, reply=Reply.NONE)


def test_waitlist_promotion_follows_the_order_of_acceptances(
    invite, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(capacity=2)
    first, second, third, fourth = (
        invite(workshop, f"{name}@example.org")[0] for name in ("eins", "zwei", "drei", "vier")
    )
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([first, second, third, fourth], start=start)
    assert [fresh(i).has_place for i in (first, second, third, fourth)] == [
        True,
        True,
        False,
        False,
    ]
    assert replies.waitlist_position(fresh(third)) == 1
    assert replies.waitlist_position(fresh(fourth)) == 2

    sent_before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_to_invitation(
            first, reply=Reply.DECLINED, now=start + datetime.timedelta(hours=1)
        )

    assert fresh(third).has_place
    assert fresh(fourth).is_waitlisted
    assert replies.waitlist_position(fresh(fourth)) == 1
    promotions = mailoutbox[sent_before:]
    assert [m.to for m in promotions] == [["drei@example.org"]]
    assert InvitationMessage.objects.get(invitation=third, purpose=Purpose.PROMOTION)
    # The promoted invitee's personal link works like any other.
    assert invitation_links.invitation_for_token(link_token(promotions[0])) == third


def test_waitlist_order_is_by_time_joined_not_by_invitation(invite):
    workshop = WorkshopFactory(capacity=1)
    holder, early, late = (invite(workshop, f"{n}@example.org")[0] for n in "abc")
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([holder, late, early], start=start)
    replies.reply_to_invitation(holder, reply=Reply.DECLINED, now=start + datetime.timedelta(1))
    assert fresh(late).has_place
    assert fresh(early).is_waitlisted


def test_the_position_shown_follows_the_order_of_joining_the_waitlist(invite, client):
    """Catches: the waitlist position counted in invitation order instead of joining order."""
    workshop = WorkshopFactory(capacity=1)
    (holder, _), (invited_first, first_token), (invited_last, last_token) = (
        invite(workshop, f"{n}@example.org") for n in "abc"
    )
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([holder, invited_last, invited_first], start=start)

    def shown(token):
        page = client.get(open_reply_page(client, token))
        text = " ".join(main_content(page).split())
        return re.search(r"Sie stehen auf der Warteliste, auf Platz (\d+)\.", text).group(1)

    assert (shown(last_token), shown(first_token)) == ("1", "2")
    api = APIClient()
    positions = []
    for token in (last_token, first_token):
        api.credentials(HTTP_AUTHORIZATION=f"Invitation {token}")
        positions.append(api.get("/api/v1/invitation-reply/").json()["waitlist_position"])
    assert positions == [1, 2]


def test_accepting_again_keeps_the_waitlist_position(invite):
    workshop = WorkshopFactory(capacity=1)
    holder, waiting, behind = (invite(workshop, f"{n}@example.org")[0] for n in "abc")
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([holder, waiting, behind], start=start)
    joined = fresh(waiting).waitlisted_at

    replies.reply_to_invitation(
        waiting,
        reply=Reply.ACCEPTED,
        dietary_wishes="vegan",
        now=start + datetime.timedelta(days=1),
    )

    again = fresh(waiting)
    assert again.waitlisted_at == joined
    assert again.dietary_wishes == "vegan"
    assert replies.waitlist_position(again) == 1


def test_a_tentative_reply_gives_up_the_place(invite):
    workshop = WorkshopFactory(capacity=1)
    holder, waiting = (invite(workshop, f"{n}@example.org")[0] for n in "ab")
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([holder, waiting], start=start)
    replies.reply_to_invitation(holder, reply=Reply.TENTATIVE, now=start + datetime.timedelta(1))
    assert fresh(waiting).has_place
    assert not fresh(holder).has_place


def test_a_waitlisted_decline_frees_no_place_for_others(invite, mailoutbox):
    workshop = WorkshopFactory(capacity=1)
    holder, waiting, behind = (invite(workshop, f"{n}@example.org")[0] for n in "abc")
    start = workshop.start - datetime.timedelta(days=20)
    accept_all([holder, waiting, behind], start=start)
    replies.reply_to_invitation(waiting, reply=Reply.DECLINED, now=start + datetime.timedelta(1))
    assert fresh(holder).has_place
    assert fresh(behind).is_waitlisted
    assert not fresh(waiting).is_waitlisted


def test_raising_the_capacity_fills_free_places(
    invite, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(capacity=1)
    holder, second, third = (invite(workshop, f"{n}@example.org")[0] for n in "abc")
    accept_all([holder, second, third], start=workshop.start - datetime.timedelta(days=20))
    Workshop.objects.filter(pk=workshop.pk).update(capacity=2)

    with django_capture_on_commit_callbacks(execute=True):
        assert replies.fill_free_places(workshop) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert replies.fill_free_places(workshop) == 0

    assert fresh(second).has_place
    assert fresh(third).is_waitlisted
    assert [m.to for m in mailoutbox if "b@example.org" in m.to] == [["b@example.org"]] * 2


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_for_the_last_place_at_once_give_it_to_one(mailoutbox):
    workshop = WorkshopFactory(capacity=1)
    both = [invitations.invite_person(workshop, email=f"{n}@example.org") for n in "ab"]
    barrier = threading.Barrier(2)

    def accept(invitation):
        try:
            barrier.wait()
            replies.reply_to_invitation(invitation, reply=Reply.ACCEPTED)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in both]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(fresh(i).has_place for i in both) == [False, True]
    assert sorted(fresh(i).is_waitlisted for i in both) == [False, True]


def test_a_reply_after_the_deadline_is_refused_naming_the_deadline(invite):
    deadline = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 2, 1, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(
            start=datetime.datetime(2026, 3, 17, 9, 0, tzinfo=BERLIN),
            end=datetime.datetime(2026, 3, 17, 13, 0, tzinfo=BERLIN),
            registration_deadline=deadline,
        )
        invitation, _token = invite(workshop, "spaet@example.org")

    with time_machine.travel(deadline, tick=False):
        replies.reply_to_invitation(invitation, reply=Reply.TENTATIVE)

    with (
        time_machine.travel(deadline + datetime.timedelta(minutes=1), tick=False),
        translation.override("de"),
        pytest.raises(ValidationError) as refused,
    ):
        replies.reply_to_invitation(invitation, reply=Reply.ACCEPTED)
    assert "10. März 2026" in refused.value.messages[0]
    assert "12:00" in refused.value.messages[0]
    assert fresh(invitation).reply == Reply.TENTATIVE


def test_without_a_registration_deadline_replies_close_at_the_start(invite):
    workshop = WorkshopFactory(registration_deadline=None)
    invitation, _token = invite(workshop, "a@example.org")
    with pytest.raises(ValidationError):
        replies.reply_to_invitation(
            invitation, reply=Reply.ACCEPTED, now=workshop.start + datetime.timedelta(seconds=1)
        )


@pytest.mark.parametrize("status", ["done", "cancelled", "draft"])
def test_an_event_no_longer_published_takes_no_replies(workshop, invite, status):
    invitation, _token = invite(workshop, "a@example.org")
    Workshop.objects.filter(pk=workshop.pk).update(status=status)
    with pytest.raises(ValidationError):
        replies.reply_to_invitation(invitation, reply=Reply.ACCEPTED)
    assert fresh(invitation).reply == Reply.NONE


def test_reply_changes_are_audited_without_the_notes(workshop, invite):
    invitation, _token = invite(workshop, "a@example.org")
    replies.reply_to_invitation(
        invitation, reply=Reply.ACCEPTED, accessibility_needs="Gebärdensprache"
    )
    entry = LogEntry.objects.get_for_object(invitation).filter(action=LogEntry.Action.UPDATE)
    assert entry.get().changes_dict["reply"] == ["", "accepted"]
    assert "Gebärdensprache" not in str(entry.get().changes)


# --- deputies --------------------------------------------------------------------------------


def test_a_deputy_from_the_organisation_is_invited_and_the_invitee_declines(
    workshop, caritas, invite, mailoutbox, django_capture_on_commit_callbacks
):
    invitation, _token = invite(workshop, "chefin@caritas.example", organisation=caritas)
    replies.reply_to_invitation(invitation, reply=Reply.ACCEPTED)
    colleague = PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@caritas.example")
    MembershipFactory(person=colleague, organisation=caritas)
    assert list(replies.deputy_candidates(invitation)) == [colleague]

    with django_capture_on_commit_callbacks(execute=True):
        deputy = replies.name_deputy(invitation, person=colleague)

    assert deputy.deputy_for == invitation
    assert deputy.organisation == caritas
    assert deputy.person == colleague
    assert fresh(invitation).reply == Reply.DECLINED
    assert mailoutbox[-1].to == ["jan@caritas.example"]
    assert list(replies.deputy_candidates(invitation)) == []


def test_a_deputy_must_be_a_current_member_of_the_organisation_with_an_address(
    workshop, caritas, invite
):
    invitation, _token = invite(workshop, "chefin@caritas.example", organisation=caritas)
    outsider = PersonFactory(email="fremd@andere.example")
    MembershipFactory(person=outsider, organisation=OrganisationFactory())
    former = PersonFactory(email="ehemals@caritas.example")
    MembershipFactory(
        person=former,
        organisation=caritas,
        valid_from=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2020, 12, 31),
    )
    silent = PersonFactory(email="")
    MembershipFactory(person=silent, organisation=caritas)
    invited = PersonFactory(email="schon@caritas.example")
    MembershipFactory(person=invited, organisation=caritas)
    invite(workshop, "schon@caritas.example", organisation=caritas)

    for person in (outsider, former, silent, invited):
        with pytest.raises(ValidationError):
            replies.name_deputy(invitation, person=person)
    assert list(replies.deputy_candidates(invitation)) == []
    assert fresh(invitation).reply == Reply.NONE
    assert selectors.invitations_of(workshop).count() == 2


def test_naming_a_deputy_after_the_deadline_is_refused(workshop, caritas, invite):
    invitation, _token = invite(workshop, "chefin@caritas.example", organisation=caritas)
    colleague = PersonFactory(email="jan@caritas.example")
    MembershipFactory(person=colleague, organisation=caritas)
    late = workshop.registration_deadline + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        replies.name_deputy(invitation, person=colleague, now=late)
    assert selectors.invitations_of(workshop).count() == 1


# --- personal links and the reply page ----------------------------------------------------


def test_opening_a_link_leads_to_the_reply_page_without_the_token(workshop, invite, client):
    invitation, token = invite(workshop, "a@example.org", name="Anna Beispiel")
    location = open_reply_page(client, token)
    assert location == f"/invitation/{invitation.pk}/"
    assert token not in location

    page = client.get(location)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    content = page.content.decode()
    assert workshop.title in content
    assert "Anna Beispiel" in content
    assert "Kreishaus Siegburg" in content
    assert 'name="reply"' in content
    assert 'lang="de"' in content


def test_the_reply_page_speaks_the_invitations_language(workshop, invite, client):
    _invitation, token = invite(workshop, "ann@example.org", language="en")
    page = client.get(open_reply_page(client, token), HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="en">' in page.content.decode()
    assert page["Content-Language"] == "en"


def test_a_language_chosen_with_the_switch_wins(workshop, invite, client, settings):
    _invitation, token = invite(workshop, "ann@example.org", language="en")
    url = open_reply_page(client, token)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="de">' in client.get(url).content.decode()


def test_replying_on_the_page_saves_and_confirms(workshop, invite, client):
    invitation, token = invite(workshop, "a@example.org")
    url = open_reply_page(client, token)
    response = client.post(
        url,
        {"reply": "accepted", "accessibility_needs": "Induktionsschleife", "dietary_wishes": ""},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    saved = fresh(invitation)
    assert saved.has_place
    assert saved.accessibility_needs == "Induktionsschleife"
    assert "Induktionsschleife" in response.content.decode()
    assert list(response.context["messages"])


def test_the_page_says_when_an_acceptance_joins_the_waitlist(invite, client):
    workshop = WorkshopFactory(capacity=1)
    holder, _ = invite(workshop, "a@example.org")
    replies.reply_to_invitation(holder, reply=Reply.ACCEPTED)
    invitation, token = invite(workshop, "b@example.org")
    url = open_reply_page(client, token)

    response = client.post(url, {"reply": "accepted"}, follow=True)

    assert fresh(invitation).is_waitlisted
    message = str(list(response.context["messages"])[0])
    # German: needs the translation catalogue.
    assert message == (
        "Die Veranstaltung ist ausgebucht, daher stehen Sie auf der Warteliste, auf Platz 1. "
        "Wir informieren Sie per E-Mail, sobald ein Platz für Sie frei wird."
    )
    assert response.context["waitlist_position"] == 1


def test_the_form_demands_an_answer(workshop, invite, client):
    _invitation, token = invite(workshop, "a@example.org")
    response = client.post(open_reply_page(client, token), {"reply": ""})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert 'href="#id_reply_0"' in response.content.decode()


def test_a_forwarded_link_cannot_reply_for_another_invitation(workshop, invite, client):
    mine, my_token = invite(workshop, "a@example.org")
    other, _other_token = invite(workshop, "b@example.org")
    url = open_reply_page(client, my_token)

    # The form names no invitation that could be changed: only the address does.
    names = InputNames(url)
    names.feed(client.get(url).content.decode())
    assert names.names == {"csrfmiddlewaretoken", "reply", "accessibility_needs", "dietary_wishes"}

    other_url = f"/invitation/{other.pk}/"
    assert client.get(other_url).status_code == 404
    answer = {"reply": "declined", "invitation": other.pk, "pk": other.pk}
    assert client.post(other_url, answer).status_code == 404
    assert client.post(f"{other_url}deputy/", {"person": 1}).status_code == 404
    assert fresh(other).reply == Reply.NONE

    client.post(url, answer)
    assert fresh(mine).reply == Reply.DECLINED
    assert fresh(other).reply == Reply.NONE


def test_invalid_links_all_get_the_same_neutral_page(workshop, invite, client):
    invitation, token = invite(workshop, "a@example.org")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    unknown = secrets.token_urlsafe(32)
    pages = [client.get(f"/invitation/{bad}/") for bad in ("kurz", unknown, tampered, "x" * 500)]
    with time_machine.travel(workshop.end + datetime.timedelta(minutes=1)):
        pages.append(client.get(f"/invitation/{token}/"))
    assert {page.status_code for page in pages} == {404}
    assert len({main_content(page) for page in pages}) == 1
    assert "participation/invitation/unavailable.html" in [t.name for t in pages[0].templates]
    assert "mailto:" in main_content(pages[0])
    # A visitor without the link in their session sees the same page for the clean address.
    assert main_content(client.get(f"/invitation/{invitation.pk}/")) == main_content(pages[0])


def test_a_cancelled_event_ends_the_reply_page_too(workshop, invite, client):
    invitation, token = invite(workshop, "a@example.org")
    url = open_reply_page(client, token)
    Workshop.objects.filter(pk=workshop.pk).update(status="cancelled")
    assert client.get(url).status_code == 404
    assert client.post(url, {"reply": "accepted"}).status_code == 404
    assert fresh(invitation).reply == Reply.NONE


def test_invalid_links_are_rate_limited_per_address(workshop, invite, client, settings):
    settings.INVITATION_LINK_RATE_LIMIT = 3
    _invitation, token = invite(workshop, "a@example.org")
    for _attempt in range(3):
        assert client.get(f"/invitation/{secrets.token_urlsafe(32)}/").status_code == 404
    limited = client.get(f"/invitation/{secrets.token_urlsafe(32)}/")
    assert limited.status_code == 429
    assert "<h1>" in limited.content.decode()
    # Over the limit even a good link waits: the answer must not tell good from bad.
    assert client.get(f"/invitation/{token}/").status_code == 429
    assert client.get(f"/invitation/{token}/", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_working_links_do_not_count_against_the_limit(workshop, invite, client, settings):
    settings.INVITATION_LINK_RATE_LIMIT = 2
    _invitation, token = invite(workshop, "a@example.org")
    for _attempt in range(5):
        assert client.get(f"/invitation/{token}/").status_code == 302


def test_after_the_deadline_the_page_is_read_only_and_names_the_deadline(invite, client):
    deadline = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(
            start=datetime.datetime(2026, 3, 17, 9, 0, tzinfo=BERLIN),
            end=datetime.datetime(2026, 3, 17, 13, 0, tzinfo=BERLIN),
            registration_deadline=deadline,
        )
        invitation, token = invite(workshop, "a@example.org", organisation=OrganisationFactory())
        url = open_reply_page(client, token)
        client.post(url, {"reply": "accepted", "dietary_wishes": "vegan"})

    with time_machine.travel(deadline + datetime.timedelta(hours=1), tick=False):
        page = client.get(url)
        refused = client.post(url, {"reply": "declined"}, follow=True)

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="reply"' not in content
    assert 'name="person"' not in content
    assert "10. März 2026, 12:00" in content
    assert "vegan" in content
    assert fresh(invitation).reply == Reply.ACCEPTED
    message = str(list(refused.context["messages"])[0])
    assert "10. März 2026, 12:00" in message


def test_a_deputy_is_named_on_the_page(workshop, caritas, invite, client, mailoutbox):
    invitation, token = invite(workshop, "chefin@caritas.example", organisation=caritas)
    colleague = PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@caritas.example")
    MembershipFactory(person=colleague, organisation=caritas, function="Referent")
    outsider = PersonFactory(email="fremd@andere.example")
    MembershipFactory(person=outsider, organisation=OrganisationFactory())
    url = open_reply_page(client, token)
    page = client.get(url).content.decode()
    assert "Jan Vertreter" in page
    assert "fremd@andere.example" not in page and str(outsider) not in page

    refused = client.post(f"{url}deputy/", {"person": outsider.pk})
    assert refused.status_code == 200
    assert 'class="error-summary"' in refused.content.decode()
    assert not Invitation.objects.filter(email="fremd@andere.example").exists()

    named = client.post(f"{url}deputy/", {"person": colleague.pk}, follow=True)
    assert named.redirect_chain == [(url, 302)]
    assert Invitation.objects.get(email="jan@caritas.example").deputy_for == invitation
    assert fresh(invitation).reply == Reply.DECLINED
    assert "Jan Vertreter" in named.content.decode()


def test_the_deputy_page_accepts_only_posts(workshop, invite, client):
    invitation, token = invite(workshop, "a@example.org")
    url = open_reply_page(client, token)
    assert client.get(f"{url}deputy/").status_code == 405


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_once_to_each_even_when_run_twice(
    invite, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_REMINDER_DAYS_BEFORE_START = 2
    settings.INVITATION_REMINDER_DAYS_BEFORE_DEADLINE = 3
    start = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(
            start=start,
            end=start + datetime.timedelta(hours=4),
            registration_deadline=start - datetime.timedelta(days=7),
            capacity=1,
        )
        coming, waiting, silent, unsure, gone = (
            invite(workshop, f"{name}@example.org")[0]
            for name in ("kommt", "wartet", "schweigt", "vielleicht", "nicht")
        )
        for invitation, answer in [
            (coming, Reply.ACCEPTED),
            (waiting, Reply.ACCEPTED),
            (unsure, Reply.TENTATIVE),
            (gone, Reply.DECLINED),
        ]:
            replies.reply_to_invitation(invitation, reply=answer)
    invited = len(mailoutbox)

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return invitation_reminders.send_due_reminders()

    # Four days before the deadline: nothing is due yet.
    with time_machine.travel(start - datetime.timedelta(days=11), tick=False):
        assert run() == 0
    # Three days before the deadline: those without a reply, once.
    with time_machine.travel(start - datetime.timedelta(days=9, hours=23), tick=False):
        assert run() == 1
        assert run() == 0
        with django_capture_on_commit_callbacks(execute=True):
            send_invitation_reminders.apply()
    # Two days before the start: those with a place, once.
    with time_machine.travel(start - datetime.timedelta(days=1, hours=12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send_invitation_reminders.apply()
        assert run() == 0

    reminders = mailoutbox[invited:]
    assert sorted(m.to[0] for m in reminders) == ["kommt@example.org", "schweigt@example.org"]
    keys = InvitationMessage.objects.filter(purpose=Purpose.REMINDER)
    assert sorted(keys.values_list("invitation__email", "key")) == [
        ("kommt@example.org", "reminder-accepted"),
        ("schweigt@example.org", "reminder-unanswered"),
    ]
    assert OutboundMail.objects.filter(invitation_message__in=keys).count() == 2


def test_reminders_missed_while_beat_was_stopped_go_once_when_it_runs_again(
    invite, mailoutbox, settings, django_capture_on_commit_callbacks
):
    """Beat stopped a day before the reply deadline's reminder day and started again a day
    later, then again over the start's reminder day: each reminder goes once, on the first
    run after the gap (the missed run and the next hourly one), never again."""
    settings.INVITATION_REMINDER_DAYS_BEFORE_START = 2
    settings.INVITATION_REMINDER_DAYS_BEFORE_DEADLINE = 3
    start = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(
            start=start,
            end=start + datetime.timedelta(hours=4),
            registration_deadline=start - datetime.timedelta(days=7),
        )
        coming, _token = invite(workshop, "kommt@example.org")
        invite(workshop, "schweigt@example.org")
        replies.reply_to_invitation(coming, reply=Reply.ACCEPTED)
    invited = len(mailoutbox)

    def beat_runs(moment, *, hours):
        """What beat runs at `moment` and each hour after it, for `hours` hours."""
        sent = 0
        for hour in range(hours):
            with (
                time_machine.travel(moment + datetime.timedelta(hours=hour), tick=False),
                django_capture_on_commit_callbacks(execute=True),
            ):
                sent += send_invitation_reminders.apply().get()
        return sent

    deadline_day = start - datetime.timedelta(days=10)  # the deadline's reminder day begins
    assert beat_runs(deadline_day - datetime.timedelta(days=1), hours=3) == 0
    # Down for a day from there; then the missed run and the next ones.
    assert beat_runs(deadline_day + datetime.timedelta(hours=2), hours=3) == 1
    assert beat_runs(deadline_day + datetime.timedelta(days=1), hours=2) == 0
    start_day = start - datetime.timedelta(days=2)
    assert beat_runs(start_day + datetime.timedelta(hours=20), hours=3) == 1
    assert beat_runs(start - datetime.timedelta(hours=3), hours=2) == 0

    reminders = mailoutbox[invited:]
    assert sorted(m.to[0] for m in reminders) == ["kommt@example.org", "schweigt@example.org"]


def test_reminders_skip_who_was_invited_after_the_reminder_day(invite, mailoutbox):
    start = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 5, 12, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(
            start=start,
            end=start + datetime.timedelta(hours=4),
            registration_deadline=start - datetime.timedelta(days=7),
        )
        invite(workshop, "spaet@example.org")
        assert invitation_reminders.send_due_reminders() == 0


def test_reminders_skip_events_not_published(invite):
    start = datetime.datetime(2026, 5, 20, 9, 0, tzinfo=BERLIN)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=BERLIN), tick=False):
        workshop = WorkshopFactory(start=start, end=start + datetime.timedelta(hours=4))
        invite(workshop, "a@example.org")
    Workshop.objects.filter(pk=workshop.pk).update(status="cancelled")
    with time_machine.travel(workshop.registration_deadline - datetime.timedelta(days=1)):
        assert invitation_reminders.send_due_reminders() == 0


def test_every_installed_kind_of_event_is_found():
    assert Workshop in invitation_reminders.event_models()


def test_the_reminder_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "participation.tasks.send_invitation_reminders" in tasks


# --- German wording (needs the translation catalogue) ------------------------------------


def test_the_neutral_page_and_the_refusal_speak_german(workshop, invite, client):
    assert "Dieser Link ist nicht (mehr) gültig" in client.get("/invitation/kurz/").content.decode()
    invitation, _token = invite(workshop, "a@example.org")
    deadline = workshop.registration_deadline
    with translation.override("de"):
        with pytest.raises(ValidationError) as refused:
            replies.reply_to_invitation(
                invitation, reply=Reply.ACCEPTED, now=deadline + datetime.timedelta(minutes=1)
            )
        when = replies.format_deadline(deadline)
    assert when.endswith(" Uhr")
    assert refused.value.messages[0] == f"Rückmeldungen waren bis {when} möglich."
