"""The audience page (entries, the merged list, problems, sending after confirming the
count) and the invitations page (live progress, delivery status, resending, filters)."""

import datetime

import pytest
from django.urls import reverse

from participation.events import audiences, invitations, selectors
from participation.models import (
    AudienceEntry,
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
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db
Kind = AudienceEntry.Kind


def url(name, workshop, *args):
    return reverse(f"workshops:{name}", args=[workshop.pk, *args])


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut und Teilhabe")


@pytest.fixture
def audience(workshop, coordinator):
    """A body whose member is also a welfare association's contact (one address, two
    sources), a seat without an e-mail address, and the welfare associations."""
    body = BodyFactory(name="Arbeitsgruppe Strategische Sozialplanung")
    awo = OrganisationFactory(name="AWO Kreisverband", kind=OrganisationKind.WELFARE_ASSOCIATION)
    eva = PersonFactory(first_name="Eva", last_name="Beispiel", email="eva@awo.example")
    MembershipFactory(person=eva, organisation=awo, is_contact=True)
    BodyMembershipFactory(body=body, person=eva, represents=awo)
    BodyMembershipFactory(body=body, person=PersonFactory(email="", last_name="Ohnemail"))
    audiences.add_audience_entry(workshop, actor=coordinator, kind=Kind.BODY, body=body)
    audiences.add_audience_entry(
        workshop,
        actor=coordinator,
        kind=Kind.ORGANISATION_KIND,
        organisation_kind=OrganisationKind.WELFARE_ASSOCIATION,
    )
    return {"body": body, "awo": awo, "eva": eva}


def test_the_audience_page_merges_duplicates_and_names_problems(
    client, coordinator, workshop, audience
):
    client.force_login(coordinator)
    page = client.get(url("audience", workshop)).content.decode()
    assert page.count("eva@awo.example") == 1
    assert "Ganzes Gremium: Arbeitsgruppe Strategische Sozialplanung" in page
    assert "Alle Organisationen einer Art: Wohlfahrtsverband" in page
    assert "1 Empfängerin oder Empfänger" in page
    assert "Nicht einladbar" in page
    assert "keine E-Mail-Adresse im Register" in page
    assert "1 Einladung senden" in page


def test_external_addresses_are_added_all_or_none(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.post(
        url("audience_add", workshop, "email"),
        {"email-addresses": "gast@extern.example\nfalsch.example\nErika <erika@@x>"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "„falsch.example“ ist keine gültige E-Mail-Adresse." in page
    assert "„erika@@x“ ist keine gültige E-Mail-Adresse." in page
    assert "gast@extern.example" in page  # what was typed stays in the field
    assert not selectors.entries_of(workshop).exists()

    response = client.post(
        url("audience_add", workshop, "email"),
        {"email-addresses": "gast@extern.example\nErika Muster <erika@example.org>"},
        follow=True,
    )
    assert "2 Einträge zum Verteiler hinzugefügt." in response.content.decode()
    entries = selectors.entries_of(workshop)
    assert sorted(entries.values_list("email", "name")) == [
        ("erika@example.org", "Erika Muster"),
        ("gast@extern.example", ""),
    ]


def test_entries_of_each_kind_are_added_and_removed(client, coordinator, workshop, audience):
    person = PersonFactory(first_name="Jan", last_name="Pohlmann")
    organisation = OrganisationFactory(name="Stadt Troisdorf")
    client.force_login(coordinator)
    client.post(url("audience_add", workshop, "person"), {"person-person": person.pk})
    client.post(
        url("audience_add", workshop, "organisation"),
        {"organisation-organisation": organisation.pk},
    )
    kinds = list(selectors.entries_of(workshop).values_list("kind", flat=True))
    assert kinds == [Kind.BODY, Kind.ORGANISATION_KIND, Kind.PERSON, Kind.ORGANISATION]

    entry = selectors.entries_of(workshop).get(kind=Kind.PERSON)
    page = client.post(url("audience_remove", workshop, entry.pk), follow=True).content.decode()
    assert "Aus dem Verteiler entfernt: Einzelne Person: Jan Pohlmann" in page
    assert not selectors.entries_of(workshop).filter(kind=Kind.PERSON).exists()


def test_an_entry_of_another_workshop_cannot_be_removed_here(client, coordinator, workshop):
    other = WorkshopFactory()
    entry = audiences.add_audience_entry(
        other, actor=coordinator, kind=Kind.EMAIL, email="x@example.org"
    )
    client.force_login(coordinator)
    assert client.post(url("audience_remove", workshop, entry.pk)).status_code == 404


def test_sending_invites_once_and_shows_the_progress(
    client, coordinator, workshop, audience, mailoutbox, django_capture_on_commit_callbacks
):
    AgendaItem.objects.create(
        workshop=workshop,
        starts_at=datetime.time(9, 30),
        title="Begrüßung",
        presenter="Dr. Werner Thielmann",
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("audience_send", workshop), {"expected": "1"})
    assert response.url == url("invitations", workshop)
    page = client.get(response.url).content.decode()
    assert "1 Einladung ist unterwegs." in page
    assert "Fertig: 1 von 1 versendet, 0 fehlgeschlagen." in page
    assert [m.to for m in mailoutbox] == [["eva@awo.example"]]
    assert "Thema: Kinderarmut" in mailoutbox[0].body
    assert "Programm:\n  09:30  Begrüßung (Dr. Werner Thielmann)" in mailoutbox[0].body
    invitation = Invitation.objects.get()
    assert invitation.organisation == audience["awo"]

    page = client.get(url("audience", workshop)).content.decode()
    assert "Alle in der Liste sind eingeladen." in page


def test_sending_refuses_when_the_list_changed_meanwhile(
    client, coordinator, workshop, audience, mailoutbox
):
    audiences.add_audience_entry(
        workshop, actor=coordinator, kind=Kind.EMAIL, email="spaet@example.org"
    )
    client.force_login(coordinator)
    page = client.post(url("audience_send", workshop), {"expected": "1"}, follow=True)
    assert "Die Liste der Empfängerinnen und Empfänger hat sich inzwischen geändert." in (
        page.content.decode()
    )
    assert not Invitation.objects.exists()


def test_a_draft_cannot_send(client, coordinator, audience):
    draft = WorkshopFactory(status="draft")
    audiences.add_audience_entry(draft, actor=coordinator, kind=Kind.EMAIL, email="a@example.org")
    client.force_login(coordinator)
    page = client.get(url("audience", draft)).content.decode()
    assert "Einladungen können Sie versenden, sobald der Workshop veröffentlicht ist." in page
    assert url("audience_send", draft) not in page
    client.post(url("audience_send", draft), {"expected": "1"})
    assert not Invitation.objects.exists()


def make_invitations(workshop, count):
    return [
        invitations.invite_person(workshop, email=f"gast{n}@example.org", name=f"Gast {n}")
        for n in range(count)
    ]


def test_the_progress_fragment_polls_while_queued_and_stops_when_done(
    client, coordinator, workshop, django_capture_on_commit_callbacks
):
    # Invitations queued without running their tasks: nothing has left yet.
    make_invitations(workshop, 2)
    client.force_login(coordinator)
    fragment = client.get(url("invitation_progress", workshop))
    html = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert '<progress id="delivery-bar" max="2" value="0"' in html
    assert "Versand läuft: 0 von 2 versendet, 0 fehlgeschlagen, 2 in der Warteschlange." in html
    assert "HX-Trigger" not in fragment

    for invitation in Invitation.objects.all():
        invitations.deliver_message(invitation.pk, "invitation", "invitation")
    fragment = client.get(url("invitation_progress", workshop))
    html = fragment.content.decode()
    assert "hx-trigger" not in html
    assert '<progress id="delivery-bar" max="2" value="2"' in html
    assert "Fertig: 2 von 2 versendet, 0 fehlgeschlagen." in html
    assert fragment["HX-Trigger"] == "delivery-finished"


def _fail(invitation, reason):
    message = InvitationMessage.objects.get(invitation=invitation)
    OutboundMail.objects.filter(pk=message.mail_id).update(
        status=OutboundMail.Status.FAILED, last_error=reason, attempts=3
    )


def test_failed_invitations_show_the_reason_and_can_be_sent_again(
    client, coordinator, workshop, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third = make_invitations(workshop, 3)
    _fail(first, "550 5.1.1 Mailbox unavailable")
    _fail(second, "552 Mailbox full")
    mailoutbox.clear()
    client.force_login(coordinator)
    page = client.get(url("invitations", workshop)).content.decode()
    assert "550 5.1.1 Mailbox unavailable" in page
    assert "3 Versuche" in page
    assert "Die 2 fehlgeschlagenen Einladungen erneut senden" in page
    assert "Fertig: 1 von 3 versendet, 2 fehlgeschlagen." in page

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url("resend_one", workshop, first.pk), follow=True).content.decode()
    assert "1 fehlgeschlagene Einladung wird erneut gesendet." in page
    assert [m.to for m in mailoutbox] == [["gast0@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("resend_all", workshop))
    assert [m.to for m in mailoutbox][-1] == ["gast1@example.org"]
    assert selectors.delivery_counts(workshop) == {
        "total": 3,
        "sent": 3,
        "failed": 0,
        "queued": 0,
    }


def test_invitations_filter_by_reply(
    client, coordinator, workshop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third = make_invitations(workshop, 3)
    Invitation.objects.filter(pk=first.pk).update(reply="accepted")
    Invitation.objects.filter(pk=second.pk).update(reply="declined")
    client.force_login(coordinator)
    page = client.get(url("invitations", workshop), {"reply": "accepted"}).content.decode()
    assert "Gast 0" in page and "Gast 1" not in page and "Gast 2" not in page
    page = client.get(url("invitations", workshop), {"reply": "none"}).content.decode()
    assert "Gast 2" in page and "Gast 0" not in page


# Session, user, 2FA check, workshop, the invitations with their delivery (one query),
# delivery counts, reply counts.
INVITATIONS_PAGE_QUERIES = 7


@pytest.mark.parametrize("count", [1, 3])
def test_invitations_page_queries_do_not_grow(
    client,
    coordinator,
    workshop,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    count,
):
    with django_capture_on_commit_callbacks(execute=True):
        created = make_invitations(workshop, count)
    deputy = created[0]
    Invitation.objects.filter(pk=deputy.pk).update(organisation=OrganisationFactory())
    if count > 1:
        Invitation.objects.filter(pk=created[1].pk).update(deputy_for=deputy)
    client.force_login(coordinator)
    client.get(url("invitations", workshop))
    with django_assert_num_queries(INVITATIONS_PAGE_QUERIES):
        page = client.get(url("invitations", workshop)).content.decode()
    assert page.count('data-delivery="sent"') == count
