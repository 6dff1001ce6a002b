"""The REST API /api/v1/: the caller's account, API tokens and two-factor authentication."""

import datetime
import hashlib
import json
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from participation import api_tokens
from participation.models import ApiToken, Body, SecurityEvent, SecurityEventKind
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


# --- named, hashed, expiring, revocable tokens -------------------------------------------------


def token_client(key):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_page_shows_the_new_key_once_and_the_database_holds_only_its_hash(client, member):
    client.force_login(member)

    response = client.post(reverse("participation:api_tokens"), {"name": "Statistik"})

    assert response.status_code == 200
    key = re.search(r'value="(mp_[A-Za-z0-9_-]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=member)
    assert token.name == "Statistik"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    dump = json.dumps(list(ApiToken.objects.values()), default=str)
    assert key not in dump and key[8:] not in dump
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("participation:api_tokens")).content.decode()
    assert "Statistik" in again and key not in again
    assert token_client(key).get(reverse("api:me")).data["email"] == member.email


def test_token_page_refuses_a_name_already_in_use_and_creates_nothing(client, member):
    client.force_login(member)
    client.post(reverse("participation:api_tokens"), {"name": "Statistik"})

    response = client.post(
        reverse("participation:api_tokens"), {"name": "Statistik"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "You already have a token with this name." in response.content.decode()
    assert ApiToken.objects.filter(user=member).count() == 1


def test_token_page_refuses_an_expiry_in_the_past(client, member):
    client.force_login(member)

    response = client.post(
        reverse("participation:api_tokens"),
        {"name": "Alt", "expires_on": "2020-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "The expiry must lie in the future." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_stops_working_after_its_expiry(member):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        _token, key = api_tokens.create_token(
            member,
            name="Kurz",
            expires_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        )
        assert token_client(key).get(reverse("api:me")).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 3, 2, 0, 1, tzinfo=datetime.UTC)):
        response = token_client(key).get(reverse("api:me"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, expired or revoked token."


def test_token_revoked_on_the_page_stops_working_and_is_logged(client, member):
    token, key = api_tokens.create_token(member, name="Abgleich")
    client.force_login(member)

    response = client.post(reverse("participation:api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert token_client(key).get(reverse("api:me")).status_code == 401
    page = client.get(reverse("participation:api_tokens")).content.decode()
    assert "revoked" in page or "widerrufen" in page
    kinds = list(SecurityEvent.objects.filter(user=member).values_list("kind", flat=True))
    assert SecurityEventKind.TOKEN_CREATED in kinds and SecurityEventKind.TOKEN_REVOKED in kinds


def test_token_of_someone_else_cannot_be_revoked(client, member, outsider):
    token, key = api_tokens.create_token(outsider, name="Fremd")
    client.force_login(member)

    response = client.post(reverse("participation:api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert token_client(key).get(reverse("api:me")).status_code == 200
    denied = SecurityEvent.objects.get(kind=SecurityEventKind.ACCESS_DENIED)
    assert denied.user == member and denied.detail["record"] == f"participation.apitoken:{token.pk}"


def test_token_api_lists_creates_once_and_revokes_own_tokens(member, outsider):
    api_tokens.create_token(outsider, name="Fremd")
    client = client_for(member)

    created = client.post(
        "/api/v1/api-tokens/", {"name": "Skript", "expires_at": "2099-01-01T00:00:00Z"}
    )
    listed = client.get("/api/v1/api-tokens/")

    assert created.status_code == 201
    key = created.data["key"]
    assert [row["name"] for row in listed.data["results"]] == ["Skript"]
    assert "key" not in listed.data["results"][0]
    assert token_client(key).get(reverse("api:me")).status_code == 200
    revoked = token_client(key).delete(f"/api/v1/api-tokens/{created.data['id']}/")
    assert revoked.status_code == 204
    assert token_client(key).get(reverse("api:me")).status_code == 401
    assert client.get("/api/v1/api-tokens/").data["results"][0]["revoked_at"] is not None


def test_token_creation_is_refused_without_the_second_factor(client, county_office):
    coordinator = member_of(county_office, is_coordinator=True)
    client.force_login(coordinator)

    page = client.post(reverse("participation:api_tokens"), {"name": "Ohne"})
    api = client_for(coordinator).post("/api/v1/api-tokens/", {"name": "Ohne"})

    assert page.status_code == 302 and page["Location"] == reverse("mfa_activate_totp")
    assert api.status_code == 403
    with pytest.raises(ValidationError):
        api_tokens.create_token(coordinator, name="Ohne")
    with pytest.raises(CommandError):
        issue_token(coordinator.email)
    assert not ApiToken.objects.exists()


def test_token_creation_works_after_the_second_factor(client, coordinator):
    client.force_login(coordinator)

    client.post(reverse("participation:api_tokens"), {"name": "Mit TOTP"})

    assert ApiToken.objects.filter(user=coordinator, name="Mit TOTP").exists()


def test_token_creation_for_the_waived_demo_account(county_office, settings):
    coordinator = member_of(county_office, is_coordinator=True, email="demo@example.org")
    settings.MITPLANEN_2FA_WAIVED_EMAILS = ["demo@example.org"]

    response = client_for(coordinator).post("/api/v1/api-tokens/", {"name": "Demo"})

    assert response.status_code == 201


def test_token_of_a_deactivated_account_stops_working(member):
    _token, key = api_tokens.create_token(member, name="Skript")
    member.is_active = False
    member.save()

    response = token_client(key).get(reverse("api:me"))

    assert response.status_code == 401


def test_token_failures_are_rate_limited_per_address(member, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    cache.clear()
    _token, key = api_tokens.create_token(member, name="Skript")
    for _ in range(3):
        assert token_client("mp_falsch").get(reverse("api:me")).status_code == 401

    refused = token_client(key).get(reverse("api:me"))

    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.json()["detail"]
    cache.clear()
    assert token_client(key).get(reverse("api:me")).status_code == 200
