"""What the REST API tests share: the registry resources and their URLs, clients, tokens,
and the records each scenario starts from (its fixtures are registered in conftest.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from participation.models import Body, BodyMembership, Membership, Organisation, Person
from tests.factories import BodyFactory, BodyMembershipFactory, MembershipFactory, PersonFactory

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


def payload_filter(resource, payloads):
    """A filter that finds the record a create payload would make."""
    payload = payloads[resource]
    key = {"people": "email", "memberships": "function", "body-memberships": "person"}.get(
        resource, "name"
    )
    return {key: payload[key]}


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
