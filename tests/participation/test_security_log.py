"""The security log: what goes in (every kind, from the door it happened at), and the
coordinators' page and API that show, filter and export it."""

import csv
import datetime
import io

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from participation import security_log
from participation.models import BodyRole, SecurityEvent, SecurityEventKind
from tests.api_support import client_for
from tests.factories import BodyMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = SecurityEventKind
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def kinds_for(user):
    return list(
        SecurityEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def sign_in(client, user, password=PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        REMOTE_ADDR="203.0.113.5",
    )


# --- what is recorded --------------------------------------------------------------------------


def test_sign_in_and_sign_out_are_logged_with_the_address(client, member):
    sign_in(client, member)
    client.post(reverse("account_logout"), REMOTE_ADDR="203.0.113.5")

    signed_in, signed_out = SecurityEvent.objects.filter(user=member).order_by("pk")
    assert (signed_in.kind, signed_out.kind) == (Kind.SIGNED_IN, Kind.SIGNED_OUT)
    assert signed_in.address == "203.0.113.5"
    assert signed_in.actor == member


def test_failed_sign_in_and_the_lock_out_are_logged(client, member):
    for _ in range(6):
        sign_in(client, member, "falsch")

    kinds = kinds_for(member)
    assert Kind.SIGN_IN_FAILED in kinds
    assert Kind.LOCKED_OUT in kinds
    assert Kind.SIGNED_IN not in kinds
    failed = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).first()
    assert failed.detail["login"] == member.email
    assert "falsch" not in str(failed.detail)


def test_failed_sign_in_for_an_unknown_address_is_logged_without_account(client):
    client.post(reverse("account_login"), {"login": "niemand@example.org", "password": "x" * 12})

    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert event.user is None and event.detail["login"] == "niemand@example.org"


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_second_factor_added_and_removed_are_logged(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    form = client.get(reverse("mfa_activate_totp")).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(form.secret)})
    assert Authenticator.objects.filter(user=member, type="totp").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))

    changes = SecurityEvent.objects.filter(user=member, kind=Kind.SECOND_FACTOR_CHANGED)
    assert {(e.detail["change"], e.detail["authenticator"]) for e in changes} >= {
        ("added", "totp"),
        ("removed", "totp"),
    }


def test_password_change_is_logged_without_the_password(client, member):
    sign_in(client, member)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Neu-und-lang-2026!",
            "password2": "Neu-und-lang-2026!",
        },
    )

    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert event.user == member
    assert "Neu-und-lang" not in str(event.detail)


def test_role_changes_of_accounts_are_logged(member):
    member.is_coordinator = True
    member.save()
    member.is_active = False
    member.save(update_fields=["is_active"])

    changes = SecurityEvent.objects.filter(user=member, kind=Kind.ROLE_CHANGED).order_by("pk")
    assert [e.detail.get("is_coordinator") for e in changes] == ["False → True", None]
    assert changes[1].detail["is_active"] == "True → False"


def test_seat_role_changed_over_the_api_is_logged_with_who_did_it(coordinator, member):
    seat = BodyMembershipFactory(person=member.person)

    response = client_for(coordinator).patch(
        f"/api/v1/body-memberships/{seat.pk}/", {"role": BodyRole.CHAIR}, format="json"
    )

    assert response.status_code == 200, response.data
    event = SecurityEvent.objects.exclude(detail__created="yes").get(
        kind=Kind.ROLE_CHANGED, detail__record=f"bodymembership:{seat.pk}"
    )
    assert event.user == member and event.actor == coordinator
    assert event.detail["role"] == f"{BodyRole.MEMBER} → {BodyRole.CHAIR}"


def test_another_organisations_record_is_denied_and_logged_on_page_and_api(
    client, member, other_org
):
    client.force_login(member)

    page = client.get(reverse("participation:organisation_detail", args=[other_org.pk]))
    api = client_for(member).get(f"/api/v1/organisations/{other_org.pk}/")
    unknown = client.get(reverse("participation:organisation_detail", args=[999999]))

    assert page.status_code == api.status_code == unknown.status_code == 404
    denied = SecurityEvent.objects.filter(kind=Kind.ACCESS_DENIED)
    assert denied.count() == 2
    assert {e.detail["record"] for e in denied} == {f"participation.organisation:{other_org.pk}"}
    assert {e.user for e in denied} == {member}


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def log_entries(member, outsider):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        security_log.record(Kind.SIGNED_IN, user=member, address="192.0.2.10")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)):
        security_log.record(Kind.SIGN_IN_FAILED, user=outsider, address="198.51.100.7")
        security_log.record(Kind.SIGNED_IN, user=outsider, address="198.51.100.8")


def listed_kinds(response):
    return [event.kind for event in response.context["page"]]


def test_security_log_page_lists_and_filters(client, coordinator, member, log_entries):
    client.force_login(coordinator)
    url = reverse("participation:security_log")
    SecurityEvent.objects.filter(user=coordinator).delete()  # the sign-in just made

    everything = client.get(url)
    by_kind = client.get(url, {"kind": Kind.SIGNED_IN})
    by_account = client.get(url, {"account": member.email.upper()})
    by_time = client.get(url, {"since": "2026-11-15", "until": "2026-11-30"})
    by_address = client.get(url, {"address": "198.51.100."})
    by_exact_address = client.get(url, {"address": "198.51.100.7"})

    assert everything.status_code == 200
    assert listed_kinds(everything) == [Kind.SIGNED_IN, Kind.SIGN_IN_FAILED, Kind.SIGNED_IN]
    assert len(listed_kinds(by_kind)) == 2
    assert [e.user for e in by_account.context["page"]] == [member]
    assert listed_kinds(by_time) == [Kind.SIGNED_IN, Kind.SIGN_IN_FAILED]
    assert len(listed_kinds(by_address)) == 2
    assert listed_kinds(by_exact_address) == [Kind.SIGN_IN_FAILED]
    assert "192.0.2.10" in everything.content.decode()


def test_security_log_page_refuses_a_bad_filter_with_a_message(client, coordinator, log_entries):
    client.force_login(coordinator)

    response = client.get(reverse("participation:security_log"), {"kind": "nonsense"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert (
        "kern-form-input--error" in response.content.decode() or response.context["filters"].errors
    )


def test_security_log_page_is_paginated(client, coordinator):
    for _ in range(55):
        security_log.record(Kind.SIGN_IN_FAILED, address="192.0.2.1")
    client.force_login(coordinator)

    first = client.get(reverse("participation:security_log"), {"kind": Kind.SIGN_IN_FAILED})
    second = client.get(
        reverse("participation:security_log"), {"kind": Kind.SIGN_IN_FAILED, "page": 2}
    )

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_security_log_exports_csv_and_xlsx_with_the_filters_and_logs_the_export(
    client, coordinator, member, log_entries
):
    client.force_login(coordinator)
    url = reverse("participation:security_log")

    as_csv = client.get(url, {"account": member.email, "format": "csv"})
    as_xlsx = client.get(url, {"account": member.email, "format": "xlsx"})

    assert as_csv["Content-Disposition"].startswith("attachment")
    text = b"".join(as_csv.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2 and member.email in rows[1] and "192.0.2.10" in rows[1]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 3).value == member.email
    exports = SecurityEvent.objects.filter(kind=Kind.EXPORTED, user=coordinator)
    assert {e.detail["format"] for e in exports} == {"csv", "xlsx"}
    assert all(e.detail["filter_account"] == member.email for e in exports)


def test_security_log_page_is_not_for_members(client, member):
    client.force_login(member)

    assert client.get(reverse("participation:security_log")).status_code == 404
    assert client.get(reverse("participation:security_log"), {"format": "csv"}).status_code == 404
    assert not SecurityEvent.objects.filter(kind=Kind.EXPORTED).exists()


# --- the API -----------------------------------------------------------------------------------


def test_security_events_api_filters_like_the_page(coordinator, member, log_entries):
    api = client_for(coordinator)

    response = api.get(
        "/api/v1/security-events/", {"account": member.email, "kind": Kind.SIGNED_IN}
    )

    assert response.status_code == 200
    [event] = response.data["results"]
    assert event["user"] == member.email and event["address"] == "192.0.2.10"
    by_time = api.get("/api/v1/security-events/", {"since": "2026-11-15", "until": "2026-11-30"})
    assert by_time.data["count"] == 2
    assert api.get("/api/v1/security-events/", {"kind": "nonsense"}).status_code == 400


def test_security_events_api_refuses_members(member, log_entries):
    assert client_for(member).get("/api/v1/security-events/").status_code == 403


def test_security_events_api_is_in_the_schema(coordinator):
    schema = client_for(coordinator).get("/api/schema/?format=json").json()

    assert "/api/v1/security-events/" in schema["paths"]
    assert "/api/v1/api-tokens/" in schema["paths"]
    parameters = {
        p["name"] for p in schema["paths"]["/api/v1/security-events/"]["get"]["parameters"]
    }
    assert {"kind", "account", "since", "until", "address"} <= parameters


def test_superuser_without_totp_never_sees_the_log(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    assert client.get(reverse("participation:security_log")).status_code == 302
