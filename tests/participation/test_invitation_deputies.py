"""A seat's registered deputy, for every kind of event (here a workshop whose audience is a
body): informed when the principals are invited, invited once when the principal declines
or names them, offered first when the principal names a deputy."""

import threading

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.db import connections

from participation.events import audiences, invitations, replies
from participation.events.selectors import invitations_of
from participation.models import AudienceEntry, Invitation, InvitationMessage, Reply
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    WorkshopFactory,
)
from tests.participation.test_invitation_replies import link_token
from workshops import selectors as workshop_selectors

pytestmark = pytest.mark.django_db


class Seats:
    """A body with one seat for the Caritas (Petra Leitung), her registered deputy (Jan
    Vertreter) and a colleague of hers who holds no seat (Olga Kollegin)."""

    def __init__(self):
        self.caritas = OrganisationFactory(name="Caritasverband Rhein-Sieg")
        self.body = BodyFactory(name="Arbeitskreis Pflege")
        self.principal = PersonFactory(
            first_name="Petra", last_name="Leitung", email="petra@caritas.example"
        )
        self.deputy = PersonFactory(
            first_name="Jan", last_name="Vertreter", email="jan@caritas.example"
        )
        self.colleague = PersonFactory(
            first_name="Olga", last_name="Kollegin", email="olga@caritas.example"
        )
        for person in (self.principal, self.deputy, self.colleague):
            MembershipFactory(person=person, organisation=self.caritas)
        seat = BodyMembershipFactory(
            body=self.body, person=self.principal, represents=self.caritas, role="member"
        )
        BodyMembershipFactory(
            body=self.body,
            person=self.deputy,
            represents=self.caritas,
            role="deputy",
            deputy_of=seat,
        )


@pytest.fixture
def seats():
    return Seats()


@pytest.fixture
def sent(seats, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    """A workshop for the body, its invitations sent; returns (workshop, principal's
    invitation, deputy's invitation)."""
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=seats.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(workshop, actor=coordinator) == 1
    principal = invitations_of(workshop).get(email="petra@caritas.example")
    deputy = invitations_of(workshop).get(email="jan@caritas.example")
    return workshop, principal, deputy


def mails_to(mailoutbox, email):
    return [m for m in mailoutbox if m.to == [email]]


def test_a_body_invites_principals_and_informs_their_deputies(sent, mailoutbox):
    workshop, principal, deputy = sent
    assert not principal.informed
    assert deputy.informed
    assert deputy.deputy_for == principal
    (invitation,) = mails_to(mailoutbox, "petra@caritas.example")
    assert invitation.subject == "Einladung: Fachworkshop Pflege"
    assert invitation.attachments
    (notice,) = mails_to(mailoutbox, "jan@caritas.example")
    assert notice.subject == "Zur Information: Fachworkshop Pflege"
    assert "Stellvertretung von Petra Leitung" in notice.body
    # Not invited yet: no personal link, nothing for the calendar.
    assert "/invitation/" not in notice.body
    assert notice.attachments == []


def test_the_workshops_audience_page_marks_the_registered_deputy(seats, coordinator, client):
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=seats.body
    )
    client.force_login(coordinator)
    page = client.get(f"/workshops/{workshop.pk}/audience/").content.decode()
    row = page[page.index("jan@caritas.example") :]
    row = row[: row.index("</tr>")]
    assert "registrierte Stellvertretung: informiert, eingeladen bei Absage" in row
    petra = page[page.index("petra@caritas.example") :]
    assert "registrierte Stellvertretung" not in petra[: petra.index("</tr>")]


def test_informed_deputies_are_no_missing_reply(sent, client):
    workshop, principal, deputy = sent
    counts = workshop_selectors.reply_counts(workshop)
    assert counts["none"] == 1
    assert counts["informed"] == 1
    missing = workshop_selectors.filter_by_reply(invitations_of(workshop), "none")
    assert list(missing) == [principal]


def test_the_deputy_is_invited_once_when_the_principal_declines(
    sent, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_to_invitation(principal, reply=Reply.TENTATIVE)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_to_invitation(principal, reply=Reply.DECLINED)
    (invitation,) = mails_to(mailoutbox, "jan@caritas.example")
    assert invitation.subject == "Einladung: Fachworkshop Pflege"
    assert link_token(invitation)
    deputy.refresh_from_db()
    assert not deputy.informed
    # Declining again, or accepting and declining once more, invites nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_to_invitation(principal, reply=Reply.DECLINED)
        replies.reply_to_invitation(principal, reply=Reply.ACCEPTED)
        replies.reply_to_invitation(principal, reply=Reply.DECLINED)
    assert len(mails_to(mailoutbox, "jan@caritas.example")) == 1


def test_an_informed_deputy_cannot_reply_before_being_invited(sent):
    _workshop, _principal, deputy = sent
    with pytest.raises(ValidationError):
        replies.reply_to_invitation(deputy, reply=Reply.ACCEPTED)
    deputy.refresh_from_db()
    assert deputy.reply == Reply.NONE


def test_a_principal_who_declined_before_sending_has_the_deputy_invited_at_once(
    seats, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    with django_capture_on_commit_callbacks(execute=True):
        principal = invitations.invite_person(
            workshop, email="petra@caritas.example", person=seats.principal
        )
    replies.reply_to_invitation(principal, reply=Reply.DECLINED)
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=seats.body
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(workshop, actor=coordinator)
    deputy = invitations_of(workshop).get(email="jan@caritas.example")
    assert not deputy.informed
    (invitation,) = mails_to(mailoutbox, "jan@caritas.example")
    assert invitation.subject == "Einladung: Fachworkshop Pflege"


def test_naming_a_deputy_offers_the_registered_deputy_first(
    sent, client, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    candidates = list(replies.deputy_candidates(principal))
    assert [p.full_name for p in candidates] == ["Jan Vertreter", "Olga Kollegin"]
    assert [p.is_registered for p in candidates] == [True, False]

    (mail,) = mails_to(mailoutbox, "petra@caritas.example")
    page = client.get(f"/invitation/{link_token(mail)}/", follow=True)
    html = page.content.decode()
    options = html[html.index('name="person"') :]
    assert options.index("Jan Vertreter (registrierte Stellvertretung)") < options.index(
        "Olga Kollegin"
    )
    assert f'value="{deputy.person_id}" selected' in options

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        named = client.post(
            f"/invitation/{principal.pk}/deputy/", {"person": deputy.person_id}, follow=True
        )
    assert "Jan Vertreter ist an Ihrer Stelle eingeladen" in named.content.decode()
    deputy.refresh_from_db()
    principal.refresh_from_db()
    assert (deputy.informed, deputy.deputy_for, principal.reply) == (
        False,
        principal,
        Reply.DECLINED,
    )
    (invitation,) = mails_to(mailoutbox, "jan@caritas.example")
    assert invitation.subject == "Einladung: Fachworkshop Pflege"
    assert Invitation.objects.filter(email="jan@caritas.example").count() == 1


def test_naming_a_colleague_leaves_the_registered_deputy_informed(
    sent, seats, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replies.name_deputy(principal, person=seats.colleague)
    assert [m.to for m in mailoutbox] == [["olga@caritas.example"]]
    deputy.refresh_from_db()
    assert deputy.informed


def test_a_workshops_new_date_and_cancellation_reach_the_informed_deputy_as_information(
    sent, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.announce_change(workshop, actor=coordinator) == 2
    (update,) = mails_to(mailoutbox, "petra@caritas.example")
    assert update.attachments
    assert "/invitation/" in update.body
    (notice,) = mails_to(mailoutbox, "jan@caritas.example")
    assert notice.subject == "Geändert: Fachworkshop Pflege"
    assert "Zu Ihrer Information als registrierte Stellvertretung von Petra Leitung" in notice.body
    assert "Datum, Uhrzeit oder Ort" in notice.body
    # Told, not invited: nothing to reply, nothing for the calendar.
    assert "/invitation/" not in notice.body
    assert "Bitte antworten Sie bis" not in notice.body
    assert notice.attachments == []

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.cancel_event(workshop, actor=coordinator) == 2
    (cancellation,) = mails_to(mailoutbox, "petra@caritas.example")
    assert cancellation.attachments
    (notice,) = mails_to(mailoutbox, "jan@caritas.example")
    assert notice.subject == "Abgesagt: Fachworkshop Pflege"
    assert "Zu Ihrer Information" in notice.body
    assert notice.attachments == []


def test_a_deputy_who_declined_hears_of_no_change(
    sent, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    workshop, principal, deputy = sent
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_to_invitation(principal, reply=Reply.DECLINED)
        replies.reply_to_invitation(deputy, reply=Reply.DECLINED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.announce_change(workshop, actor=coordinator) == 0
    assert mailoutbox == []


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_two_declines_at_once_invite_the_deputy_once(coordinator):
    seats = Seats()
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.BODY, body=seats.body
    )
    invitations.send_invitations(workshop, actor=coordinator)
    principal = invitations_of(workshop).get(email="petra@caritas.example")
    barrier = threading.Barrier(2)

    def decline():
        try:
            barrier.wait()
            replies.reply_to_invitation(principal, reply=Reply.DECLINED)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decline) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deputy = invitations_of(workshop).get(email="jan@caritas.example")
    assert not deputy.informed
    messages = InvitationMessage.objects.filter(invitation=deputy)
    assert sorted(messages.values_list("key", flat=True)) == ["information", "invitation"]
    to_deputy = [m for m in django_mail.outbox if m.to == ["jan@caritas.example"]]
    assert [m.subject for m in to_deputy] == [
        "Zur Information: Fachworkshop Pflege",
        "Einladung: Fachworkshop Pflege",
    ]
