"""The day itself: attendance by organisation with deputies, check-in in place, the
sign-in sheet."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from participation.models import Invitation
from tests.factories import OrganisationFactory, WorkshopFactory
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def invite(workshop, email, name, **fields):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email=email,
        name=name,
        **fields,
    )


def url(name, workshop, *args):
    return reverse(f"workshops:{name}", args=[workshop.pk, *args])


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Fachworkshop Kinderarmut und Teilhabe")


@pytest.fixture
def people(workshop):
    awo = OrganisationFactory(name="AWO Kreisverband", kind="welfare_association")
    siegburg = OrganisationFactory(name="Stadt Siegburg")
    boss = invite(
        workshop, "chefin@awo.example", "Petra Chefin", organisation=awo, reply="declined"
    )
    return {
        "deputy": invite(
            workshop,
            "vertretung@awo.example",
            "Vera Vertretung",
            organisation=awo,
            reply="accepted",
            deputy_for=boss,
            dietary_wishes="vegetarisch",
        ),
        "boss": boss,
        "planner": invite(
            workshop,
            "planer@siegburg.example",
            "Jan Planer",
            organisation=siegburg,
            reply="accepted",
            accessibility_needs="Rollstuhlgerechter Platz",
        ),
        "maybe": invite(workshop, "vielleicht@example.org", "Mia Vielleicht", reply="tentative"),
        "waiting": invite(
            workshop,
            "warte@siegburg.example",
            "Willi Warte",
            organisation=siegburg,
            reply="accepted",
            waitlisted_at=timezone.now(),
        ),
        "silent": invite(workshop, "still@example.org", "Stefan Still"),
    }


def test_attendance_is_grouped_by_organisation_with_deputies(client, coordinator, workshop, people):
    client.force_login(coordinator)
    page = client.get(url("attendance", workshop)).content.decode()
    awo, siegburg, without = (
        page.index("AWO Kreisverband"),
        page.index("Stadt Siegburg"),
        page.index("Ohne Organisation"),
    )
    assert awo < siegburg < without
    assert "Vera Vertretung" in page and "in Vertretung für Petra Chefin" in page
    assert "vertreten durch Vera Vertretung" in page
    assert "Rollstuhlgerechter Platz" in page and "vegetarisch" in page
    assert "auf der Warteliste" in page
    assert "Stefan Still" not in page  # no reply: not expected
    assert "0 anwesend; 2 mit Platz, 1 unter Vorbehalt." in page


def test_check_in_toggles_in_place_and_is_audited(client, coordinator, workshop, people):
    planner = people["planner"]
    client.force_login(coordinator)
    response = client.post(
        url("check_in", workshop, planner.pk), {"present": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="invitation-{planner.pk}" class="checked-in"')
    assert "anwesend seit" in html
    assert "Einchecken rückgängig machen" in html
    assert 'hx-swap-oob="true">1 anwesend; 2 mit Platz, 1 unter Vorbehalt.' in html
    planner.refresh_from_db()
    assert planner.attended
    entry = LogEntry.objects.get_for_object(planner).latest("timestamp")
    assert entry.actor == coordinator and "checked_in_at" in entry.changes_dict

    response = client.post(url("check_in", workshop, planner.pk), {"present": "0"})
    assert response.status_code == 302
    planner.refresh_from_db()
    assert not planner.attended


def test_check_in_of_another_workshops_invitee_is_404(client, coordinator, workshop):
    stranger = invite(WorkshopFactory(), "x@example.org", "X", reply="accepted")
    client.force_login(coordinator)
    assert client.post(url("check_in", workshop, stranger.pk), {"present": "1"}).status_code == 404


def test_a_cancelled_workshop_takes_no_check_ins(client, coordinator, people, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status="cancelled")
    client.force_login(coordinator)
    page = client.post(
        url("check_in", workshop, people["planner"].pk), {"present": "1"}, follow=True
    ).content.decode()
    assert "nur für veröffentlichte oder abgeschlossene Workshops" in page
    people["planner"].refresh_from_db()
    assert not people["planner"].attended


def test_the_sign_in_sheet_lists_who_has_a_place_with_a_signature_column(
    client, coordinator, workshop, people
):
    client.force_login(coordinator)
    page = client.get(url("sign_in_sheet", workshop)).content.decode()
    assert "Unterschrift" in page
    assert "workshops/workshops.css" in page
    for name in ("Vera Vertretung", "Jan Planer", "Mia Vielleicht"):
        assert name in page
    for name in ("Willi Warte", "Stefan Still"):
        assert name not in page
    assert page.count("Petra Chefin") == 1  # only as the one her deputy stands in for
    assert "in Vertretung für Petra Chefin" in page
    assert page.count('class="empty-row"') == 8
