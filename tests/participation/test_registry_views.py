"""The registry as people use it in the browser (server side): pages, permissions, validation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation.models import BodyMembership, Membership, Organisation, Person
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_records(own_org, member):
    """What the member's organisation owns: a colleague, a body the member sits in with a seat."""
    colleague = MembershipFactory(organisation=own_org, function="Sozialplanerin")
    body = BodyFactory(name="Lenkungsgruppe")
    seat = BodyMembershipFactory(body=body, person=member.person, represents=own_org)
    return {"colleague": colleague, "body": body, "seat": seat}


def detail_urls(org, records):
    membership = records["colleague"]
    seat = records["seat"]
    return [
        reverse("participation:organisation_detail", args=[org.pk]),
        reverse("participation:person_detail", args=[membership.person_id]),
        reverse("participation:body_detail", args=[seat.body_id]),
    ]


def write_urls(org, records):
    membership = records["colleague"]
    seat = records["seat"]
    return [
        reverse("participation:organisation_edit", args=[org.pk]),
        reverse("participation:person_edit", args=[membership.person_id]),
        reverse("participation:membership_edit", args=[membership.pk]),
        reverse("participation:membership_end", args=[membership.pk]),
        reverse("participation:body_edit", args=[seat.body_id]),
        reverse("participation:seat_create", args=[seat.body_id]),
        reverse("participation:seat_edit", args=[seat.body_id, seat.pk]),
        reverse("participation:seat_end", args=[seat.body_id, seat.pk]),
    ]


def test_member_sees_own_organisation_colleagues_and_bodies(
    client, member, own_org, member_records
):
    client.force_login(member)
    for url in detail_urls(own_org, member_records):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("overview:home")).content.decode()
    assert "Stadt Siegburg" in page and "Lenkungsgruppe" in page


def test_outsider_gets_404_on_every_detail_url_of_another_municipality(
    client, outsider, own_org, member_records
):
    client.force_login(outsider)
    for url in detail_urls(own_org, member_records) + write_urls(own_org, member_records):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("participation:organisation_list")).content.decode()
    assert "Stadt Siegburg" not in listing and "Gemeinde Much" in listing
    people = client.get(reverse("participation:person_list")).content.decode()
    assert member_records["colleague"].person.last_name not in people


def test_member_cannot_edit_registry(client, member, own_org, member_records):
    client.force_login(member)
    for url in write_urls(own_org, member_records):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("participation:organisation_create")).status_code == 404
    assert client.get(reverse("participation:person_import")).status_code == 404


def test_unknown_id_answers_404(client, coordinator):
    client.force_login(coordinator)
    assert (
        client.get(reverse("participation:organisation_detail", args=[999999])).status_code == 404
    )


def test_anonymous_is_sent_to_sign_in(client, own_org):
    response = client.get(reverse("participation:organisation_detail", args=[own_org.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_creates_organisation_and_sees_audit_entry(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:organisation_create"),
        {"name": "Stadt Troisdorf", "kind": "municipality", "ags": "05382068", "is_active": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Stadt Troisdorf" in page
    assert "Änderungsverlauf" in page and coordinator.email in page


def test_duplicate_ags_names_the_field_and_saves_nothing(client, coordinator, own_org):
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:organisation_create"),
        {"name": "Doppelt", "kind": "municipality", "ags": own_org.ags},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "AGS" in page and "existiert bereits" in page
    assert not Organisation.objects.filter(name="Doppelt").exists()


def test_municipality_without_ags_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:organisation_create"), {"name": "Ohne", "kind": "municipality"}
    )
    assert "Eine Kommune braucht ihren AGS." in response.content.decode()
    assert not Organisation.objects.filter(name="Ohne").exists()


def test_email_used_twice_is_refused_case_insensitively(client, coordinator):
    PersonFactory(email="anna.beispiel@example.org")
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:person_create"),
        {
            "first_name": "Anna",
            "last_name": "Zwei",
            "email": "Anna.Beispiel@Example.org",
            "language": "de",
        },
    )
    assert "gehört bereits einer anderen Person" in response.content.decode()
    assert Person.objects.filter(last_name="Zwei").count() == 0


def test_overlapping_membership_terms_are_refused(client, coordinator, own_org):
    membership = MembershipFactory(organisation=own_org, valid_from=datetime.date(2024, 1, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:membership_create"),
        {
            "person": membership.person_id,
            "organisation": own_org.pk,
            "function": "Doppelt",
            "valid_from": "2025-06-01",
        },
    )
    assert "überschneidenden Zeitraum" in response.content.decode()
    assert Membership.objects.filter(person=membership.person).count() == 1


def test_ending_a_membership_keeps_it_as_history(client, coordinator, own_org):
    membership = MembershipFactory(organisation=own_org, valid_from=datetime.date(2024, 1, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:membership_end", args=[membership.pk]),
        {"valid_until": "2025-12-31"},
        follow=True,
    )
    membership.refresh_from_db()
    assert membership.valid_until == datetime.date(2025, 12, 31)
    assert "beendet" in response.content.decode()


def test_ending_before_start_is_refused(client, coordinator, own_org):
    membership = MembershipFactory(organisation=own_org, valid_from=datetime.date(2024, 1, 1))
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:membership_end", args=[membership.pk]), {"valid_until": "2023-01-01"}
    )
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    membership.refresh_from_db()
    assert membership.valid_until is None


def test_deputy_needs_a_principal_of_the_same_body(client, coordinator, own_org):
    body = BodyFactory()
    person = PersonFactory()
    client.force_login(coordinator)
    url = reverse("participation:seat_create", args=[body.pk])
    response = client.post(url, {"person": person.pk, "role": "deputy", "valid_from": "2025-01-01"})
    assert "Bitte angeben, wen diese Vertretung vertritt." in response.content.decode()
    other_seat = BodyMembershipFactory()  # a seat in another body
    response = client.post(
        url,
        {
            "person": person.pk,
            "role": "deputy",
            "deputy_of": other_seat.pk,
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert not BodyMembership.objects.filter(body=body).exists()


def test_coordinator_adds_member_and_deputy_and_sees_both(client, coordinator, own_org):
    body = BodyFactory(name="Arbeitsgruppe")
    chair, deputy = PersonFactory(last_name="Vorsitz"), PersonFactory(last_name="Stellvertretung")
    client.force_login(coordinator)
    url = reverse("participation:seat_create", args=[body.pk])
    client.post(
        url,
        {"person": chair.pk, "role": "chair", "represents": own_org.pk, "valid_from": "2025-01-01"},
    )
    principal = BodyMembership.objects.get(body=body, person=chair)
    response = client.post(
        url,
        {
            "person": deputy.pk,
            "role": "deputy",
            "deputy_of": principal.pk,
            "represents": own_org.pk,
            "valid_from": "2025-01-01",
        },
        follow=True,
    )
    page = response.content.decode()
    assert BodyMembership.objects.get(body=body, person=deputy).deputy_of == principal
    assert page.count("Vorsitz") >= 2  # the chair's row and the deputy's "deputy of" cell
    assert "Stellvertretung" in page


@pytest.mark.parametrize("name", ["organisation_list", "person_list", "body_list"])
def test_list_pages_take_the_same_queries_for_one_and_three_records(client, coordinator, name):
    """Catches: a query per row (a relation read without select_related/prefetch)."""

    def add_records(count):
        for _ in range(count):
            membership = MembershipFactory()
            BodyMembershipFactory(person=membership.person)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"participation:{name}")).status_code == 200
        return len(captured)

    client.force_login(coordinator)
    add_records(1)
    queries()  # the session and 2FA checks warm up
    one = queries()
    add_records(2)
    assert queries() == one


def test_search_filters_the_list_and_htmx_gets_only_rows(client, coordinator):
    OrganisationFactory(name="Stadt Lohmar", ags="05382028")
    OrganisationFactory(name="Gemeinde Windeck", ags="05382076")
    client.force_login(coordinator)
    url = reverse("participation:organisation_list")
    response = client.get(url, {"q": "Lohm"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Stadt Lohmar" in page and "Windeck" not in page and "<html" not in page


def test_coordinator_without_totp_must_set_it_up(client, county_office):
    user = UserFactory(is_coordinator=True)
    client.force_login(user)
    response = client.get(reverse("participation:organisation_list"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # allauth asks to confirm the identity before showing the TOTP set-up.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_waived_demo_account_passes_without_totp(client, settings):
    user = UserFactory(is_coordinator=True, email="demo@example.org")
    settings.MITPLANEN_2FA_WAIVED_EMAILS = ["demo@example.org"]
    client.force_login(user)
    assert client.get(reverse("participation:organisation_list")).status_code == 200
    client.logout()
    page = client.get(reverse("account_login")).content.decode()
    assert "demo@example.org" in page and "Zwei-Faktor" in page


def test_granting_access_mails_the_person(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="neu@example.org", language="en")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:person_grant_account", args=[person.pk]))
    person.refresh_from_db()
    assert person.user.email == "neu@example.org"
    assert [m.to for m in mailoutbox] == [["neu@example.org"]]
    assert "Your access to mitplanen" in mailoutbox[0].subject
    assert "/accounts/login/code/" in mailoutbox[0].body


def test_a_seat_with_deputies_cannot_become_a_deputy(client, coordinator):
    chair = BodyMembershipFactory(role="chair")
    BodyMembershipFactory(body=chair.body, role="deputy", deputy_of=chair)
    other = BodyMembershipFactory(body=chair.body, role="member")
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:seat_edit", args=[chair.body_id, chair.pk]),
        {
            "person": chair.person_id,
            "role": "deputy",
            "deputy_of": other.pk,
            "valid_from": "2020-01-01",
        },
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    chair.refresh_from_db()
    assert chair.role == "chair"


def test_an_edit_shows_old_and_new_value_in_the_history(client, coordinator):
    organisation = OrganisationFactory(name="Stadt Alt", ags="05382048")
    client.force_login(coordinator)
    response = client.post(
        reverse("participation:organisation_edit", args=[organisation.pk]),
        {"name": "Stadt Neu", "kind": "municipality", "ags": "05382048", "is_active": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "Stadt Alt → Stadt Neu" in page
    assert "Geändert: Stadt Neu" in page and coordinator.email in page


def test_people_filter_by_organisation_lists_only_its_current_members(client, coordinator, own_org):
    MembershipFactory(organisation=own_org, person=PersonFactory(last_name="Aktuell"))
    MembershipFactory(
        organisation=own_org,
        person=PersonFactory(last_name="Ehemalig"),
        valid_until=datetime.date(2021, 1, 1),
    )
    MembershipFactory(person=PersonFactory(last_name="Anderswo"))
    client.force_login(coordinator)
    page = client.get(reverse("participation:person_list"), {"organisation": own_org.pk})
    text = page.content.decode()
    assert "Aktuell" in text and "Ehemalig" not in text and "Anderswo" not in text


def test_coordinator_can_give_coordinator_access(
    client, coordinator, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="neue.koordination@kreis.example")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:person_grant_account", args=[person.pk]),
            {"coordinator": "1"},
            follow=True,
        )
    person.refresh_from_db()
    assert person.user.is_coordinator
    assert "ja, mit Koordinationsrechten" in response.content.decode()


def test_member_cannot_give_access(client, member, own_org):
    colleague = MembershipFactory(organisation=own_org).person
    client.force_login(member)
    url = reverse("participation:person_grant_account", args=[colleague.pk])
    assert client.post(url, {"coordinator": "1"}).status_code == 404
    colleague.refresh_from_db()
    assert colleague.user is None


def test_participant_sees_own_person_and_bodies_but_no_organisation(client, participant, own_org):
    seat = BodyMembershipFactory(person=participant.person, role="guest")
    client.force_login(participant)
    assert (
        client.get(reverse("participation:person_detail", args=[participant.person.pk])).status_code
        == 200
    )
    assert client.get(reverse("participation:body_detail", args=[seat.body_id])).status_code == 200
    assert (
        client.get(reverse("participation:organisation_detail", args=[own_org.pk])).status_code
        == 404
    )
    page = client.get(reverse("overview:home")).content.decode()
    assert seat.body.name in page
