"""The invitation pipeline of the base: audience, sending once, calendar files, updates,
cancellations, personal links and resending."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from icalendar import Calendar

from participation.events import audiences, invitations, selectors
from participation.events import links as invitation_links
from participation.events.invitations import send_invitation_message
from participation.models import (
    AudienceEntry,
    BodyRole,
    Invitation,
    InvitationMessage,
    OrganisationKind,
    OutboundMail,
)
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db
Kind = AudienceEntry.Kind


def _calendar(message):
    attachment = next(a for a in message.attachments if a[0].endswith(".ics"))
    return Calendar.from_ical(attachment[1])


def _link(message):
    return re.search(r"https?://\S+/invitation/([A-Za-z0-9_-]{43})/", message.body).group(1)


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut")


@pytest.fixture
def audience(workshop, coordinator):
    """A body of three seats (one also a welfare association's contact), the welfare
    associations' contacts, a single person and an external address."""
    body = BodyFactory(name="Steuerungsgruppe")
    awo = OrganisationFactory(name="AWO Kreisverband", kind=OrganisationKind.WELFARE_ASSOCIATION)
    shared = PersonFactory(first_name="Eva", last_name="Beispiel", email="eva@awo.example")
    MembershipFactory(person=shared, organisation=awo, is_contact=True)
    BodyMembershipFactory(body=body, person=shared, represents=awo, role=BodyRole.MEMBER)
    BodyMembershipFactory(body=body, person=PersonFactory(email="b@kreis.example"))
    BodyMembershipFactory(body=body, person=PersonFactory(email="", last_name="Ohnemail"))
    english = PersonFactory(first_name="Ann", last_name="Smith", language="en")
    for kind, extra in [
        (Kind.BODY, {"body": body}),
        (Kind.ORGANISATION_KIND, {"organisation_kind": OrganisationKind.WELFARE_ASSOCIATION}),
        (Kind.PERSON, {"person": english}),
        (Kind.EMAIL, {"email": "Gast@Extern.example", "name": "Gast"}),
    ]:
        audiences.add_audience_entry(workshop, actor=coordinator, kind=kind, **extra)
    return {"shared": shared, "english": english, "awo": awo}


def test_audience_merges_duplicates_and_names_what_cannot_be_reached(workshop, audience):
    preview = audiences.resolve_audience(workshop)
    emails = [r.email for r in preview.recipients]
    assert sorted(emails) == sorted(
        ["eva@awo.example", "b@kreis.example", audience["english"].email, "gast@extern.example"]
    )
    eva = next(r for r in preview.recipients if r.email == "eva@awo.example")
    assert len(eva.sources) == 2
    assert eva.organisation == audience["awo"]
    assert [reason for _label, reason in preview.problems] == ["keine E-Mail-Adresse im Register"]


def test_invalid_external_address_is_named_and_not_added(workshop, coordinator):
    with pytest.raises(ValidationError) as refused:
        audiences.add_audience_entry(
            workshop, actor=coordinator, kind=Kind.EMAIL, email="kein-at-zeichen.example"
        )
    assert "kein-at-zeichen.example" in refused.value.messages[0]
    assert not selectors.entries_of(workshop).exists()


def test_sending_invites_each_address_once_with_calendar_and_personal_link(
    workshop, audience, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(workshop, actor=coordinator) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_invitations(workshop, actor=coordinator) == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["eva@awo.example", "b@kreis.example", audience["english"].email, "gast@extern.example"]
    )
    german = next(m for m in mailoutbox if m.to == ["eva@awo.example"])
    assert german.subject == "Einladung: Fachworkshop Kinderarmut"
    assert "Sie sind zu folgender Veranstaltung eingeladen" in german.body
    assert german.alternatives[0][1] == "text/html"
    english = next(m for m in mailoutbox if m.to == [audience["english"].email])
    assert english.subject == "Invitation: Fachworkshop Kinderarmut"
    # The event's own lines (topic, agenda) speak the recipient's language too.
    assert "Topic: Kinderarmut" in english.body
    assert "Thema: Kinderarmut" in german.body
    assert german.message()["Content-Language"] == "de"
    assert english.message()["Content-Language"] == "en"

    calendar = _calendar(german)
    assert calendar["METHOD"] == "REQUEST"
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["UID"]).startswith(str(workshop.uid))
    assert entry["SEQUENCE"] == 0
    assert entry.decoded("DTSTART") == workshop.start
    assert "Kreishaus Siegburg" in str(entry["LOCATION"])
    assert "/invitation/" in str(entry["URL"])

    invitation = invitation_links.invitation_for_token(_link(german))
    assert invitation.email == "eva@awo.example"
    assert invitation.organisation == audience["awo"]
    stored = InvitationMessage.objects.get(invitation=invitation)
    assert _link(german) not in stored.mail.body_text  # scrubbed once sent
    assert _link(german) not in str(stored.mail.attachments)  # the calendar file's URL too
    assert stored.token_hash == invitation_links.hash_token(_link(german))


@pytest.mark.parametrize(
    "day, offset", [(datetime.date(2027, 3, 27), "+0100"), (datetime.date(2027, 7, 1), "+0200")]
)
def test_calendar_file_keeps_the_county_wall_clock_time(
    day, offset, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    county = ZoneInfo("Europe/Berlin")
    start = datetime.datetime.combine(day, datetime.time(20, 0), tzinfo=county)
    workshop = WorkshopFactory(
        start=start, end=start + datetime.timedelta(hours=2), registration_deadline=None
    )
    with (
        time_machine.travel(datetime.datetime(2027, 1, 5, 9, tzinfo=county), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitations.invite_person(workshop, email="gast@example.org", actor=coordinator)

    raw = next(a for a in mailoutbox[0].attachments if a[0].endswith(".ics"))[1]
    assert "DTSTART;TZID=Europe/Berlin:" + day.strftime("%Y%m%d") + "T200000" in raw
    assert "DTEND;TZID=Europe/Berlin:" + day.strftime("%Y%m%d") + "T220000" in raw
    calendar = Calendar.from_ical(raw)
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Berlin"]
    assert offset in raw  # the zone's rule for that day is part of the file
    entry = calendar.walk("VEVENT")[0]
    assert entry.decoded("DTSTART") == start
    assert entry.decoded("DTSTART").strftime("%H:%M") == "20:00"


def test_a_task_delivered_twice_sends_one_mail(workshop, coordinator, mailoutbox):
    """Catches: a second delivery writing the message again instead of finding the first."""
    invitation = invitations.invite_person(workshop, email="x@example.org", actor=coordinator)
    first = send_invitation_message.apply(args=(invitation.pk, "invitation", "invitation"))
    second = send_invitation_message.apply(args=(invitation.pk, "invitation", "invitation"))
    assert (first.get(), second.get()) == (True, False)
    invitations.resume_unsent()
    assert len(mailoutbox) == 1
    assert InvitationMessage.objects.filter(invitation=invitation).count() == 1


def test_update_keeps_uid_raises_sequence_and_skips_those_who_declined(
    workshop, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coming = invitations.invite_person(workshop, email="kommt@example.org", actor=coordinator)
        gone = invitations.invite_person(workshop, email="nicht@example.org", actor=coordinator)
    Invitation.objects.filter(pk=gone.pk).update(reply=Invitation.Reply.DECLINED)
    first_uid = _calendar(mailoutbox[0]).walk("VEVENT")[0]["UID"]

    workshop.start += datetime.timedelta(hours=1)
    workshop.end += datetime.timedelta(hours=1)
    workshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.announce_change(workshop, actor=coordinator) == 1

    update = mailoutbox[-1]
    assert len(mailoutbox) == 3
    assert update.to == [coming.email]
    assert update.subject == "Geändert: Fachworkshop Kinderarmut"
    entry = _calendar(update).walk("VEVENT")[0]
    assert entry["UID"] == first_uid
    assert entry["SEQUENCE"] == 1
    assert entry.decoded("DTSTART") == workshop.start


def test_cancelling_sends_a_calendar_cancellation_and_ends_the_links(
    workshop, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_person(workshop, email="kommt@example.org", actor=coordinator)
    token = _link(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        invitations.cancel_event(workshop, actor=coordinator)
    cancellation = _calendar(mailoutbox[1])
    assert cancellation["METHOD"] == "CANCEL"
    assert cancellation.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert cancellation.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert "/invitation/" not in mailoutbox[1].body
    assert invitation_links.invitation_for_token(token) is None


def test_links_refuse_tampered_malformed_and_expired_tokens(
    workshop, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_person(workshop, email="kommt@example.org", actor=coordinator)
    token = _link(mailoutbox[0])
    assert invitation_links.invitation_for_token(token) is not None
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert invitation_links.invitation_for_token(tampered) is None
    assert invitation_links.invitation_for_token("kurz") is None
    assert invitation_links.invitation_for_token(token + "'; --") is None
    with time_machine.travel(workshop.end + datetime.timedelta(minutes=1)):
        assert invitation_links.invitation_for_token(token) is None


def test_failed_invitations_are_resent_once_and_counted(
    workshop, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ok = invitations.invite_person(workshop, email="ok@example.org", actor=coordinator)
        bad = invitations.invite_person(workshop, email="bad@example.org", actor=coordinator)
        invitations.invite_person(workshop, email="later@example.org", actor=coordinator)
    InvitationMessage.objects.filter(key="invitation", invitation__email="later@example.org")
    # What an SMTP refusal leaves behind, and an invitation whose task was lost.
    OutboundMail.objects.filter(invitation_message__invitation=bad).update(
        status=OutboundMail.Status.FAILED, last_error="550 mailbox unavailable"
    )
    lost = Invitation.objects.get(email="later@example.org")
    InvitationMessage.objects.filter(invitation=lost).delete()

    assert selectors.delivery_counts(workshop) == {
        "total": 3,
        "sent": 1,
        "failed": 1,
        "queued": 1,
    }
    rows = {i.email: i for i in selectors.with_delivery_status(selectors.invitations_of(workshop))}
    assert rows["bad@example.org"].delivery_status == "failed"
    assert rows["bad@example.org"].delivery_error == "550 mailbox unavailable"
    assert rows[ok.email].delivery_status == "sent"

    sent_before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.resend_failed(workshop, actor=coordinator) == 1
        assert invitations.resend_failed(workshop, actor=coordinator) == 0
    assert len(mailoutbox) == sent_before + 1
    assert mailoutbox[-1].to == ["bad@example.org"]


def test_sending_needs_a_published_event(coordinator):
    draft = WorkshopFactory(status="draft")
    with pytest.raises(ValidationError):
        invitations.send_invitations(draft, actor=coordinator)
