"""The base's lines on the home page (`participation/home.py`): failed mail and the registry for
coordinators, the invitations waiting for a member's reply (any kind of event); and the outbox
page and API the failed-mail count links to."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from participation import home
from participation.models import Invitation, OutboundMail, Person, Reply
from tests.api_support import client_for
from tests.factories import WorkshopFactory
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def mail(status, *, to="someone@example.org", subject="Einladung", error=""):
    return OutboundMail.objects.create(
        to=to, subject=subject, body_text="geheim", status=status, last_error=error
    )


def invite(workshop, user, *, reply=Reply.NONE):
    person = Person.objects.get(user=user)
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=person.email,
        reply=reply,
    )


def sections(provider, user):
    with translation.override("en"):
        return {s.key: s for s in provider(user, today=timezone.localdate())}


def test_coordinator_sees_failed_mail_linking_to_the_outbox_filtered_to_it(client, coordinator):
    mail(OutboundMail.Status.FAILED, to="a@example.org", error="550 Mailbox unavailable")
    mail(OutboundMail.Status.FAILED, to="b@example.org", error="550 User unknown")
    mail(OutboundMail.Status.SENT, to="c@example.org")
    (count,) = sections(home.for_coordinator, coordinator)["mail"].counts
    assert (count.label, count.number, count.severity) == ("failed e-mails", 2, "danger")
    assert count.url == "/mail/?state=failed"

    client.force_login(coordinator)
    page = client.get(count.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(re.findall(r'<tr[^>]* id="mail-\d+"', page)) == 2
    assert "2 e-mails" in page
    assert "550 Mailbox unavailable" in page and "a@example.org" in page
    assert "c@example.org" not in page
    assert "geheim" not in page  # never the content


def test_the_registry_counts_link_to_lists_with_the_same_count(client, coordinator, own_org):
    registry = sections(home.for_coordinator, coordinator)["registry"]
    client.force_login(coordinator)
    for count in registry.counts:
        page = client.get(count.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        shown = re.search(r"\b(\d+) (organisations?|person|people|body|bodies)\b", page)
        assert shown and int(shown.group(1)) == count.number, count


def test_no_failed_mail_says_so(coordinator):
    (count,) = sections(home.for_coordinator, coordinator)["mail"].counts
    assert (count.number, count.severity) == (0, "success")


def test_the_outbox_is_for_coordinators_only(client, member):
    mail(OutboundMail.Status.FAILED)
    client.force_login(member)
    assert client.get(reverse("participation:mail_list")).status_code == 404
    response = client_for(member).get("/api/v1/outbound-mails/")
    assert response.status_code == 200 and response.data["count"] == 0


def test_the_outbox_api_filters_by_state_and_never_shows_content(coordinator):
    failed = mail(OutboundMail.Status.FAILED, error="550 User unknown")
    mail(OutboundMail.Status.SENT)
    api = client_for(coordinator)
    response = api.get("/api/v1/outbound-mails/?state=failed")
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [failed.pk]
    assert response.data["results"][0]["last_error"] == "550 User unknown"
    assert "body_text" not in response.data["results"][0]
    assert api.get("/api/v1/outbound-mails/?state=lost").status_code == 400
    assert api.get("/api/v1/outbound-mails/").data["count"] == 2


def test_member_sees_the_invitations_waiting_for_their_reply(member, outsider):
    waiting = WorkshopFactory(title="Fachworkshop Teilhabe")
    invite(waiting, member)
    invite(WorkshopFactory(title="Schon beantwortet"), member, reply=Reply.ACCEPTED)
    invite(WorkshopFactory(title="Entwurf", status="draft"), member)
    closed = WorkshopFactory(title="Frist vorbei")
    Workshop.objects.filter(pk=closed.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    invite(closed, member)
    invite(WorkshopFactory(title="Nicht meins"), outsider)

    (item,) = sections(home.for_member, member)["invitations"].items
    assert item.title == "Fachworkshop Teilhabe"
    # The reply page itself, for the user's own invitation (not the event page).
    mine = Invitation.objects.get(event_id=waiting.pk, person__user=member)
    assert item.url == reverse("participation:invitation_reply", args=[mine.pk])
    assert item.deadline == timezone.localdate(waiting.registration_deadline)
    assert item.detail.endswith(" · Kreishaus Siegburg, Raum 1.04")  # when and where


def test_member_without_invitations_is_told_so(member):
    section = sections(home.for_member, member)["invitations"]
    assert section.items == []
    assert section.empty_text == "No invitation is waiting for your reply."


def test_queries_for_invitations_do_not_grow(member):
    for _ in range(2):
        invite(WorkshopFactory(), member)
    with CaptureQueriesContext(connection) as few:
        home.for_member(member, today=timezone.localdate())
    for _ in range(18):
        invite(WorkshopFactory(), member)
    with CaptureQueriesContext(connection) as many:
        (section,) = home.for_member(member, today=timezone.localdate())
    assert len(section.items) == 20
    assert len(many) == len(few)


def test_a_signed_in_member_follows_the_home_item_and_replies_on_that_page(client, member):
    workshop = WorkshopFactory(title="Fachworkshop Teilhabe")
    invitation = invite(workshop, member)
    client.force_login(member)
    home_page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    url = f"/invitation/{invitation.pk}/"
    assert f'href="{url}"' in home_page

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert "Fachworkshop Teilhabe" in page.content.decode()
    assert 'name="reply"' in page.content.decode()
    response = client.post(url, {"reply": Reply.ACCEPTED}, follow=True)
    assert response.redirect_chain[-1][0] == url
    invitation.refresh_from_db()
    assert invitation.reply == Reply.ACCEPTED
    assert "zugesagt" in response.content.decode()
    calendar = client.get(f"{url}calendar.ics")
    assert calendar.status_code == 200 and b"BEGIN:VCALENDAR" in calendar.content
    # Answered, it no longer waits on the home page.
    assert sections(home.for_member, member)["invitations"].items == []


def test_another_persons_invitation_answers_404_and_changes_nothing(client, member, outsider):
    theirs = invite(WorkshopFactory(), outsider)
    url = f"/invitation/{theirs.pk}/"
    for user in (member, None):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reply": Reply.DECLINED}).status_code == 404
        assert client.get(f"{url}calendar.ics").status_code == 404
        assert client.post(f"{url}deputy/", {"person": member.person.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.reply == Reply.NONE and not theirs.deputies.exists()
    # An invitation of nobody's account is not the signed-in user's either.
    external = Invitation.objects.create(
        event_type=theirs.event_type, event_id=theirs.event_id, email="extern@example.org"
    )
    client.force_login(member)
    assert client.get(f"/invitation/{external.pk}/").status_code == 404


def test_own_invitation_to_a_cancelled_event_is_not_offered(client, member):
    workshop = WorkshopFactory()
    invitation = invite(workshop, member)
    Workshop.objects.filter(pk=workshop.pk).update(status="cancelled")
    client.force_login(member)
    assert client.get(f"/invitation/{invitation.pk}/").status_code == 404
