"""The REST API /api/v1/: who reads and writes what, validation, tokens, schema and docs."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory

from participation.api.serializers import MembershipSerializer
from participation.models import Body, BodyMembership, Membership, Organisation, Person
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

BASENAMES = {
    "organisations": "organisation",
    "people": "person",
    "memberships": "membership",
    "bodies": "body",
    "body-memberships": "body-membership",
}
MODELS = {
    "organisations": Organisation,
    "people": Person,
    "memberships": Membership,
    "bodies": Body,
    "body-memberships": BodyMembership,
}
RESOURCES = list(BASENAMES)
TERMS = ["memberships", "body-memberships"]
NOT_DELETABLE = ["organisations", "people", "bodies"]


def list_url(resource):
    return reverse(f"api:{BASENAMES[resource]}-list")


def detail_url(resource, pk):
    return reverse(f"api:{BASENAMES[resource]}-detail", args=[pk])


def end_url(resource, pk):
    return reverse(f"api:{BASENAMES[resource]}-end", args=[pk])


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client


def listed_ids(response):
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.data["results"]}


def issue_token(email, *options):
    out = StringIO()
    call_command("create_api_token", email, *options, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def member_records(own_org, member):
    """What the member's organisation owns: a colleague and a body the member sits in."""
    colleague = MembershipFactory(organisation=own_org, function="Sozialplanerin")
    body = BodyFactory(name="Lenkungsgruppe Sozialplanung")
    seat = BodyMembershipFactory(body=body, person=member.person, represents=own_org)
    return {
        "organisations": own_org.pk,
        "people": colleague.person_id,
        "memberships": colleague.pk,
        "bodies": body.pk,
        "body-memberships": seat.pk,
    }


@pytest.fixture
def outsider_records(other_org, outsider):
    """The outsider's side: a body the member does not sit in, with the outsider's seat."""
    body = BodyFactory(name="Arbeitskreis Much")
    seat = BodyMembershipFactory(body=body, person=outsider.person)
    return {
        "organisations": other_org.pk,
        "people": outsider.person.pk,
        "memberships": outsider.person.memberships.get().pk,
        "bodies": body.pk,
        "body-memberships": seat.pk,
    }


@pytest.fixture
def create_payloads(own_org, member_records):
    newcomer = PersonFactory(first_name="Erika", last_name="Neu")
    return {
        "organisations": {"name": "Stadt Lohmar", "kind": "municipality", "ags": "05382040"},
        "people": {"first_name": "Jonas", "last_name": "Beispiel", "email": "jonas@example.org"},
        "memberships": {
            "person": newcomer.pk,
            "organisation": own_org.pk,
            "function": "Quartiersmanagerin",
            "valid_from": "2024-01-01",
        },
        "bodies": {"name": "AG Pflege", "kind": "working_group"},
        "body-memberships": {
            "body": member_records["bodies"],
            "person": newcomer.pk,
            "role": "guest",
        },
    }


PATCHES = {
    "organisations": ("short_name", "Siegburg"),
    "people": ("phone", "02241 102-0"),
    "memberships": ("function", "Amtsleitung"),
    "bodies": ("description", "Steuert die Sozialplanung."),
    "body-memberships": ("role", "chair"),
}


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_coordinator_reads_any_record(resource, coordinator, member_records):
    response = client_for(coordinator).get(detail_url(resource, member_records[resource]))

    assert response.status_code == 200
    assert response.data["id"] == member_records[resource]


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_coordinator_sees_everyone(resource, coordinator, member_records, outsider_records):
    ids = listed_ids(client_for(coordinator).get(list_url(resource)))

    assert {member_records[resource], outsider_records[resource]} <= ids


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_member_reads_own_organisation_records(resource, member, member_records):
    response = client_for(member).get(detail_url(resource, member_records[resource]))

    assert response.status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_member_sees_only_own_reach(resource, member, member_records, outsider_records):
    ids = listed_ids(client_for(member).get(list_url(resource)))

    assert member_records[resource] in ids
    assert outsider_records[resource] not in ids


def test_list_member_sees_own_organisation_people_and_bodies(
    member, own_org, member_records, outsider
):
    client = client_for(member)

    assert listed_ids(client.get(list_url("organisations"))) == {own_org.pk}
    assert listed_ids(client.get(list_url("people"))) == {
        member.person.pk,
        member_records["people"],
    }
    assert listed_ids(client.get(list_url("bodies"))) == {member_records["bodies"]}


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_outsider_gets_404_on_member_records(resource, outsider, member_records):
    response = client_for(outsider).get(detail_url(resource, member_records[resource]))

    assert response.status_code == 404


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_outsider_does_not_see_member_records(resource, outsider, member_records):
    ids = listed_ids(client_for(outsider).get(list_url(resource)))

    assert member_records[resource] not in ids


def test_detail_participant_sees_own_person_and_bodies(participant, own_org):
    body = BodyFactory()
    BodyMembershipFactory(body=body, person=participant.person)
    client = client_for(participant)

    assert client.get(detail_url("people", participant.person.pk)).status_code == 200
    assert client.get(detail_url("bodies", body.pk)).status_code == 200
    assert client.get(detail_url("organisations", own_org.pk)).status_code == 404
    assert listed_ids(client.get(list_url("people"))) == {participant.person.pk}


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_anonymous_is_refused(resource, member_records):
    response = APIClient().get(list_url(resource))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_anonymous_is_refused(resource, member_records):
    response = APIClient().get(detail_url(resource, member_records[resource]))

    assert response.status_code == 401


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_anonymous_is_refused(resource, create_payloads):
    response = APIClient().post(list_url(resource), create_payloads[resource], format="json")

    assert response.status_code == 401
    assert MODELS[resource].objects.filter(**_lookup(resource, create_payloads)).count() == 0


def test_person_account_id_hidden_from_non_coordinators(member, coordinator):
    url = detail_url("people", member.person.pk)
    Person.objects.filter(pk=member.person.pk).update(notes="Nur intern")

    as_member = client_for(member).get(url).data
    as_coordinator = client_for(coordinator).get(url).data

    assert as_member["has_account"] is True
    assert as_member["user"] is None
    assert "notes" not in as_member
    assert as_coordinator["user"] == member.pk
    assert as_coordinator["notes"] == "Nur intern"


def test_person_lists_current_organisations(coordinator, own_org, member):
    MembershipFactory(
        person=member.person,
        organisation=OrganisationFactory(),
        valid_from=datetime.date(2010, 1, 1),
        valid_until=datetime.date(2015, 12, 31),
    )

    data = client_for(coordinator).get(detail_url("people", member.person.pk)).data

    assert [row["organisation"] for row in data["organisations"]] == [own_org.pk]
    assert data["organisations"][0]["organisation_name"] == own_org.name


# --- filtering ---------------------------------------------------------------------------------


def test_organisations_filter_by_kind_and_search(coordinator, county_office, own_org, other_org):
    client = client_for(coordinator)
    url = list_url("organisations")

    assert listed_ids(client.get(url, {"kind": "county_office"})) == {county_office.pk}
    assert listed_ids(client.get(url, {"search": "siegburg"})) == {own_org.pk}
    assert listed_ids(client.get(url, {"search": "05382036"})) == {other_org.pk}


def test_people_search_by_name_and_email(coordinator, member_records):
    colleague = Person.objects.get(pk=member_records["people"])
    client = client_for(coordinator)

    by_name = client.get(list_url("people"), {"search": colleague.last_name})
    by_email = client.get(list_url("people"), {"search": colleague.email.upper()})

    assert listed_ids(by_name) == {colleague.pk}
    assert listed_ids(by_email) == {colleague.pk}


def test_people_filter_by_current_organisation(coordinator, member, own_org, member_records):
    MembershipFactory(organisation=own_org, valid_until=datetime.date(2021, 1, 1))

    response = client_for(coordinator).get(list_url("people"), {"organisation": own_org.pk})

    assert listed_ids(response) == {member.person.pk, member_records["people"]}


def test_people_filter_by_invisible_organisation_tells_nothing(member, other_org, outsider):
    response = client_for(member).get(list_url("people"), {"organisation": other_org.pk})

    assert listed_ids(response) == set()


def test_bodies_filter_by_kind(coordinator, member_records):
    working_group = BodyFactory(kind="working_group")

    response = client_for(coordinator).get(list_url("bodies"), {"kind": "working_group"})

    assert listed_ids(response) == {working_group.pk}


def test_memberships_filter_by_person_organisation_and_current(coordinator, member, own_org):
    ended = MembershipFactory(
        person=member.person,
        organisation=OrganisationFactory(),
        valid_until=datetime.date(2021, 6, 30),
    )
    current = member.person.memberships.get(organisation=own_org)
    client = client_for(coordinator)
    url = list_url("memberships")

    assert listed_ids(client.get(url, {"person": member.person.pk})) == {current.pk, ended.pk}
    assert listed_ids(client.get(url, {"organisation": ended.organisation_id})) == {ended.pk}
    assert listed_ids(client.get(url, {"person": member.person.pk, "current": "true"})) == {
        current.pk
    }
    assert listed_ids(client.get(url, {"person": member.person.pk, "current": "false"})) == {
        ended.pk
    }


def test_body_memberships_filter_by_body_person_role_and_current(coordinator, member_records):
    body = Body.objects.get(pk=member_records["bodies"])
    chair = BodyMembershipFactory(body=body, role="chair")
    former = BodyMembershipFactory(body=body, valid_until=datetime.date(2021, 1, 1))
    elsewhere = BodyMembershipFactory(person=chair.person)
    client = client_for(coordinator)
    url = list_url("body-memberships")

    assert listed_ids(client.get(url, {"body": body.pk})) == {
        member_records["body-memberships"],
        chair.pk,
        former.pk,
    }
    assert listed_ids(client.get(url, {"person": chair.person_id})) == {chair.pk, elsewhere.pk}
    assert listed_ids(client.get(url, {"body": body.pk, "role": "chair"})) == {chair.pk}
    assert listed_ids(client.get(url, {"body": body.pk, "current": "false"})) == {former.pk}


@pytest.mark.parametrize(
    "resource, parameter",
    [
        ("people", "organisation"),
        ("memberships", "person"),
        ("memberships", "organisation"),
        ("body-memberships", "body"),
        ("body-memberships", "person"),
    ],
)
def test_id_filter_beyond_any_id_is_refused_with_a_message(resource, parameter, coordinator):
    response = client_for(coordinator).get(
        list_url(resource), {parameter: str(2**64)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.data[parameter] == [
        "Ensure this value is less than or equal to 9223372036854775807."
    ]


# --- writing -----------------------------------------------------------------------------------


def _lookup(resource, payloads):
    """A filter that finds the record a create payload would make."""
    payload = payloads[resource]
    key = {"people": "email", "memberships": "function", "body-memberships": "person"}.get(
        resource, "name"
    )
    return {key: payload[key]}


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_coordinator_saves_with_audit_entry(resource, coordinator, create_payloads):
    response = client_for(coordinator).post(
        list_url(resource), create_payloads[resource], format="json"
    )

    assert response.status_code == 201, response.data
    record = MODELS[resource].objects.get(pk=response.data["id"])
    entry = LogEntry.objects.get_for_object(record).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == coordinator


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_member_is_forbidden(resource, member, create_payloads):
    response = client_for(member).post(list_url(resource), create_payloads[resource], format="json")

    assert response.status_code == 403
    assert not MODELS[resource].objects.filter(**_lookup(resource, create_payloads)).exists()


@pytest.mark.parametrize("resource", RESOURCES)
def test_partial_update_coordinator_changes_record(resource, coordinator, member_records):
    field, value = PATCHES[resource]
    pk = member_records[resource]

    response = client_for(coordinator).patch(
        detail_url(resource, pk), {field: value}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data[field] == value
    assert getattr(MODELS[resource].objects.get(pk=pk), field) == value
    entry = LogEntry.objects.get_for_object(MODELS[resource].objects.get(pk=pk)).latest()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == coordinator


@pytest.mark.parametrize("resource", RESOURCES)
def test_partial_update_member_is_forbidden(resource, member, member_records):
    field, value = PATCHES[resource]
    pk = member_records[resource]

    response = client_for(member).patch(detail_url(resource, pk), {field: value}, format="json")

    assert response.status_code == 403
    assert getattr(MODELS[resource].objects.get(pk=pk), field) != value


@pytest.mark.parametrize("resource", RESOURCES)
def test_partial_update_outsider_gets_404(resource, outsider, member_records):
    field, value = PATCHES[resource]

    response = client_for(outsider).patch(
        detail_url(resource, member_records[resource]), {field: value}, format="json"
    )

    assert response.status_code == 404


def test_update_coordinator_replaces_organisation(coordinator, own_org):
    payload = {"name": "Kreisstadt Siegburg", "kind": "municipality", "ags": "05382060"}

    response = client_for(coordinator).put(
        detail_url("organisations", own_org.pk), payload, format="json"
    )

    assert response.status_code == 200, response.data
    own_org.refresh_from_db()
    assert own_org.name == "Kreisstadt Siegburg"


def test_update_coordinator_replaces_membership(coordinator, member, own_org):
    membership = member.person.memberships.get()
    payload = {
        "person": member.person.pk,
        "organisation": own_org.pk,
        "function": "Jugendhilfeplanung",
        "is_contact": True,
        "valid_from": "2019-05-01",
        "valid_until": None,
    }

    response = client_for(coordinator).put(
        detail_url("memberships", membership.pk), payload, format="json"
    )

    assert response.status_code == 200, response.data
    membership.refresh_from_db()
    assert membership.is_contact is True
    assert membership.valid_from == datetime.date(2019, 5, 1)


@pytest.mark.parametrize("resource", NOT_DELETABLE)
def test_destroy_registry_record_not_offered(resource, coordinator, member_records):
    response = client_for(coordinator).delete(detail_url(resource, member_records[resource]))

    assert response.status_code == 405
    assert MODELS[resource].objects.filter(pk=member_records[resource]).exists()


@pytest.mark.parametrize("resource", TERMS)
def test_destroy_coordinator_deletes_term_with_audit_entry(resource, coordinator, member_records):
    pk = member_records[resource]

    response = client_for(coordinator).delete(detail_url(resource, pk))

    assert response.status_code == 204
    assert not MODELS[resource].objects.filter(pk=pk).exists()
    entry = LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).get()
    assert entry.actor == coordinator


@pytest.mark.parametrize("resource", TERMS)
def test_destroy_member_is_forbidden(resource, member, member_records):
    pk = member_records[resource]

    response = client_for(member).delete(detail_url(resource, pk))

    assert response.status_code == 403
    assert MODELS[resource].objects.filter(pk=pk).exists()


@pytest.mark.parametrize("resource", TERMS)
def test_destroy_outsider_gets_404(resource, outsider, member_records):
    pk = member_records[resource]

    response = client_for(outsider).delete(detail_url(resource, pk))

    assert response.status_code == 404
    assert MODELS[resource].objects.filter(pk=pk).exists()


def test_destroy_seat_with_deputies_is_refused(coordinator, member_records):
    principal = BodyMembership.objects.get(pk=member_records["body-memberships"])
    BodyMembershipFactory(body=principal.body, role="deputy", deputy_of=principal)

    response = client_for(coordinator).delete(detail_url("body-memberships", principal.pk))

    assert response.status_code == 400
    assert BodyMembership.objects.filter(pk=principal.pk).exists()


@pytest.mark.parametrize("resource", TERMS)
def test_end_coordinator_sets_given_last_day(resource, coordinator, member_records):
    pk = member_records[resource]

    response = client_for(coordinator).post(
        end_url(resource, pk), {"valid_until": "2024-06-30"}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data["valid_until"] == "2024-06-30"
    assert response.data["is_current"] is False
    assert MODELS[resource].objects.get(pk=pk).valid_until == datetime.date(2024, 6, 30)
    entry = LogEntry.objects.get_for_object(MODELS[resource].objects.get(pk=pk)).latest()
    assert entry.actor == coordinator


@pytest.mark.parametrize("resource", TERMS)
def test_end_without_date_ends_today(resource, coordinator, member_records):
    pk = member_records[resource]
    client = client_for(coordinator)

    with time_machine.travel(datetime.datetime(2026, 3, 15, 10, tzinfo=datetime.UTC), tick=False):
        response = client.post(end_url(resource, pk), format="json")

    assert response.status_code == 200, response.data
    assert MODELS[resource].objects.get(pk=pk).valid_until == datetime.date(2026, 3, 15)


def test_end_before_start_is_refused(coordinator, member_records):
    pk = member_records["memberships"]

    response = client_for(coordinator).post(
        end_url("memberships", pk), {"valid_until": "2019-12-31"}, format="json"
    )

    assert response.status_code == 400
    assert "valid_until" in response.data
    assert Membership.objects.get(pk=pk).valid_until is None


@pytest.mark.parametrize("resource", TERMS)
def test_end_member_is_forbidden(resource, member, member_records):
    pk = member_records[resource]

    response = client_for(member).post(end_url(resource, pk), format="json")

    assert response.status_code == 403
    assert MODELS[resource].objects.get(pk=pk).valid_until is None


@pytest.mark.parametrize("resource", TERMS)
def test_end_outsider_gets_404(resource, outsider, member_records):
    pk = member_records[resource]

    response = client_for(outsider).post(end_url(resource, pk), format="json")

    assert response.status_code == 404
    assert MODELS[resource].objects.get(pk=pk).valid_until is None


# --- validation --------------------------------------------------------------------------------


def test_create_organisation_duplicate_ags_is_refused(coordinator, own_org):
    payload = {"name": "Doppelt", "kind": "municipality", "ags": own_org.ags}

    response = client_for(coordinator).post(list_url("organisations"), payload, format="json")

    assert response.status_code == 400
    assert "ags" in response.data
    assert not Organisation.objects.filter(name="Doppelt").exists()


def test_create_organisation_ags_outside_municipality_is_refused(coordinator):
    payload = {"name": "Caritas", "kind": "welfare_association", "ags": "05382099"}

    response = client_for(coordinator).post(list_url("organisations"), payload, format="json")

    assert response.status_code == 400
    assert "ags" in response.data
    assert not Organisation.objects.filter(name="Caritas").exists()


def test_create_membership_overlapping_term_is_refused(coordinator, member, own_org):
    payload = {"person": member.person.pk, "organisation": own_org.pk, "valid_from": "2023-01-01"}

    response = client_for(coordinator).post(list_url("memberships"), payload, format="json")

    assert response.status_code == 400
    assert "valid_from" in response.data
    assert member.person.memberships.count() == 1


def test_create_person_email_used_twice_is_refused(coordinator, member):
    payload = {"first_name": "Zweit", "last_name": "Konto", "email": member.email.upper()}

    response = client_for(coordinator).post(list_url("people"), payload, format="json")

    assert response.status_code == 400
    assert "email" in response.data
    assert not Person.objects.filter(first_name="Zweit").exists()


def test_update_person_email_of_another_is_refused(coordinator, member, member_records):
    url = detail_url("people", member_records["people"])

    response = client_for(coordinator).patch(url, {"email": member.email.title()}, format="json")

    assert response.status_code == 400
    assert "email" in response.data


def test_create_deputy_without_principal_is_refused(coordinator, member_records):
    person = PersonFactory()
    payload = {"body": member_records["bodies"], "person": person.pk, "role": "deputy"}

    response = client_for(coordinator).post(list_url("body-memberships"), payload, format="json")

    assert response.status_code == 400
    assert "deputy_of" in response.data
    assert not BodyMembership.objects.filter(person=person).exists()


def test_create_deputy_with_principal_is_saved(coordinator, member_records):
    person = PersonFactory()
    payload = {
        "body": member_records["bodies"],
        "person": person.pk,
        "role": "deputy",
        "deputy_of": member_records["body-memberships"],
    }

    response = client_for(coordinator).post(list_url("body-memberships"), payload, format="json")

    assert response.status_code == 201, response.data
    assert response.data["deputy_of"] == member_records["body-memberships"]


def test_create_with_unknown_related_id_is_refused(coordinator, own_org):
    payload = {"person": 987654, "organisation": own_org.pk}

    response = client_for(coordinator).post(list_url("memberships"), payload, format="json")

    assert response.status_code == 400
    assert "person" in response.data


def test_related_id_of_invisible_record_fails_like_a_missing_one(member, other_org, outsider):
    request = APIRequestFactory().post("/")
    request.user = member
    payload = {"person": member.person.pk, "organisation": other_org.pk}

    invisible = MembershipSerializer(data=payload, context={"request": request})
    missing = MembershipSerializer(
        data={**payload, "organisation": 987654}, context={"request": request}
    )

    assert not invisible.is_valid()
    assert not missing.is_valid()
    assert invisible.errors["organisation"][0].code == "does_not_exist"
    assert str(invisible.errors["organisation"][0]) == str(
        missing.errors["organisation"][0]
    ).replace("987654", str(other_org.pk))


def test_validation_errors_are_german_by_default(coordinator):
    response = client_for(coordinator).post(list_url("bodies"), {}, format="json")

    assert response.status_code == 400
    assert response.data["name"] == ["Dieses Feld ist zwingend erforderlich."]


def test_validation_errors_follow_accept_language(coordinator):
    response = client_for(coordinator).post(
        list_url("bodies"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.data["name"] == ["This field is required."]


# --- the caller's account ----------------------------------------------------------------------


def test_me_member_sees_account_organisations_and_seats(member, own_org, member_records):
    response = client_for(member).get(reverse("api:me"))

    assert response.status_code == 200
    assert response.data["email"] == member.email
    assert response.data["is_coordinator"] is False
    assert response.data["person"] == {"id": member.person.pk, "name": member.person.full_name}
    assert [org["id"] for org in response.data["organisations"]] == [own_org.pk]
    assert response.data["bodies"] == [
        {"id": member_records["bodies"], "name": "Lenkungsgruppe Sozialplanung", "role": "member"}
    ]


def test_me_coordinator_is_flagged(coordinator):
    response = client_for(coordinator).get(reverse("api:me"))

    assert response.status_code == 200
    assert response.data["is_coordinator"] is True


def test_me_participant_has_no_organisations(participant):
    response = client_for(participant).get(reverse("api:me"))

    assert response.data["person"]["id"] == participant.person.pk
    assert response.data["organisations"] == []


def test_me_anonymous_is_refused():
    assert APIClient().get(reverse("api:me")).status_code == 401


# --- tokens ------------------------------------------------------------------------------------


def test_token_authenticates_api_calls(member, own_org):
    key = issue_token(member.email)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(list_url("organisations"))

    assert listed_ids(response) == {own_org.pk}
    assert client.get(reverse("api:me")).data["email"] == member.email


def test_token_is_stable_until_rotated(member):
    first = issue_token(member.email)
    again = issue_token(member.email.upper())
    rotated = issue_token(member.email, "--rotate")
    old_client = APIClient()
    old_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    assert first == again
    assert rotated != first
    assert old_client.get(reverse("api:me")).status_code == 401


def test_token_unknown_email_is_an_error():
    with pytest.raises(CommandError):
        issue_token("nobody@example.org")


def test_token_coordinator_writes_with_audit_actor(coordinator):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(coordinator.email)}")

    response = client.post(
        list_url("bodies"), {"name": "Fachbeirat", "kind": "committee"}, format="json"
    )

    assert response.status_code == 201, response.data
    entry = LogEntry.objects.get_for_object(Body.objects.get(name="Fachbeirat")).get()
    assert entry.actor == coordinator


@pytest.mark.parametrize(
    "path", ["/api/v1/people/", "/api/v1/survey-responses/", "/api/v1/workshops/", "/api/v1/me/"]
)
def test_token_coordinator_without_totp_is_stopped_like_a_session(county_office, path):
    coordinator = member_of(county_office, is_coordinator=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(coordinator.email)}")

    response = client.get(path)

    assert response.status_code == 403
    assert response.json()["detail"] == client_for(coordinator).get(path).json()["detail"]


def test_token_of_waived_demo_account_works_without_totp(county_office, settings):
    coordinator = member_of(county_office, is_coordinator=True, email="demo@example.org")
    settings.MITPLANEN_2FA_WAIVED_EMAILS = ["demo@example.org"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(coordinator.email)}")

    assert client.get("/api/v1/people/").status_code == 200


def test_session_coordinator_without_totp_is_stopped(county_office):
    coordinator = member_of(county_office, is_coordinator=True)

    response = client_for(coordinator).get(list_url("organisations"))

    assert response.status_code == 403
    assert response.json()["detail"]


# --- query counts ------------------------------------------------------------------------------


def _add_people(organisation, count):
    for _ in range(count):
        MembershipFactory(organisation=organisation)


def _add_organisations(member, count):
    for _ in range(count):
        MembershipFactory(person=member.person, organisation=OrganisationFactory())


def _assert_list_queries_constant(client, url, add_two, django_assert_num_queries):
    client.get(url)  # warm up caches that are filled once per process
    with CaptureQueriesContext(connection) as baseline:
        before = listed_ids(client.get(url))
    add_two()
    with django_assert_num_queries(len(baseline.captured_queries)):
        after = listed_ids(client.get(url))
    assert len(after) == len(before) + 2


def test_organisations_list_queries_do_not_grow(coordinator, django_assert_num_queries):
    OrganisationFactory()
    _assert_list_queries_constant(
        client_for(coordinator),
        list_url("organisations"),
        lambda: OrganisationFactory.create_batch(2),
        django_assert_num_queries,
    )


def test_organisations_list_queries_do_not_grow_for_member(member, django_assert_num_queries):
    _assert_list_queries_constant(
        client_for(member),
        list_url("organisations"),
        lambda: _add_organisations(member, 2),
        django_assert_num_queries,
    )


def test_people_list_queries_do_not_grow(coordinator, own_org, django_assert_num_queries):
    _add_people(own_org, 1)
    _assert_list_queries_constant(
        client_for(coordinator),
        list_url("people"),
        lambda: _add_people(own_org, 2),
        django_assert_num_queries,
    )


def test_people_list_queries_do_not_grow_for_member(member, own_org, django_assert_num_queries):
    _assert_list_queries_constant(
        client_for(member),
        list_url("people"),
        lambda: _add_people(own_org, 2),
        django_assert_num_queries,
    )


# --- schema and docs ---------------------------------------------------------------------------


def test_schema_endpoint_lists_all_paths(client):
    response = client.get(reverse("api-schema"), {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/memberships/{id}/end/" in paths
    assert "/api/v1/body-memberships/{id}/end/" in paths
    assert "/api/v1/me/" in paths
    assert "delete" not in paths["/api/v1/organisations/{id}/"]


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    assert "/api/v1/people/" in (tmp_path / "schema.yml").read_text()


def test_docs_page_served_from_sidecar_without_cdn(client):
    response = client.get(reverse("api-docs"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"https?://[^\"'\s]*cdn", html)
    # Every script is loaded from a URL, none inline, so a strict CSP can hold.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_docs_script_is_served(client):
    response = client.get(reverse("api-docs"), {"script": ""})

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
