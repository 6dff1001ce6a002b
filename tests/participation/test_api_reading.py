"""The registry over the REST API /api/v1/: who reads what, and filtering."""

import datetime

import pytest
from rest_framework.test import APIClient

from participation.models import Body, Person
from tests.api_support import (
    MODELS,
    RESOURCES,
    client_for,
    detail_url,
    list_url,
    listed_ids,
    payload_filter,
)
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

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


# What identifies each member record in the payload (see `member_records`).
MEMBER_RECORD_FIELDS = {
    "organisations": {"name": "Stadt Siegburg", "ags": "05382060"},
    "people": {"organisations": [{"organisation_name": "Stadt Siegburg"}]},
    "memberships": {"organisation_name": "Stadt Siegburg", "function": "Sozialplanerin"},
    "bodies": {"name": "Lenkungsgruppe Sozialplanung"},
    "body-memberships": {"body_name": "Lenkungsgruppe Sozialplanung", "role": "member"},
}
COORDINATOR_ONLY_FIELDS = {"people": {"notes"}}


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_member_reads_own_organisation_records(
    resource, member, coordinator, member_records
):
    """Catches: the member's detail answering 200 with another or an emptied record."""
    url = detail_url(resource, member_records[resource])
    response = client_for(member).get(url)

    assert response.status_code == 200
    assert response.data["id"] == member_records[resource]
    for field, expected in MEMBER_RECORD_FIELDS[resource].items():
        if isinstance(expected, list):
            assert [
                {key: item[key] for key in expected[0]} for item in response.data[field]
            ] == expected
        else:
            assert response.data[field] == expected
    # The coordinator's view of the same record, less what only coordinators see.
    full = client_for(coordinator).get(url).data
    hidden = COORDINATOR_ONLY_FIELDS.get(resource, set())
    assert dict(response.data) == {key: value for key, value in full.items() if key not in hidden}


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
    assert MODELS[resource].objects.filter(**payload_filter(resource, create_payloads)).count() == 0


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
