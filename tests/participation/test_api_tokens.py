"""The REST API /api/v1/: the caller's account, API tokens and two-factor authentication."""

import pytest
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.core.management import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from participation.models import ApiToken, Body
from tests.api_support import client_for, issue_token, list_url, listed_ids
from tests.factories import give_totp, member_of

pytestmark = pytest.mark.django_db

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


def test_token_command_prints_a_new_key_each_time_and_keeps_only_hashes(member):
    first = issue_token(member.email, "--name", "Statistik")
    second = issue_token(member.email.upper(), "--name", "Abgleich")

    assert first != second
    assert first.startswith("mp_") and second.startswith("mp_")
    stored = ApiToken.objects.filter(user=member)
    assert stored.count() == 2
    assert not stored.filter(key_hash__in=[first, second]).exists()
    assert {token.prefix for token in stored} == {first[:8], second[:8]}


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
    give_totp(coordinator)
    key = issue_token(coordinator.email)
    Authenticator.objects.filter(user=coordinator).delete()  # the second factor removed later
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

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
