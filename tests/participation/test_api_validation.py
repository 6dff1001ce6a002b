"""The REST API /api/v1/ refuses bad input with a clear message in the caller's language."""

import pytest
from rest_framework.test import APIRequestFactory

from participation.api.serializers import MembershipSerializer
from participation.models import BodyMembership, Organisation, Person
from tests.api_support import client_for, detail_url, list_url
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


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
