import hashlib
import json
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from participation.models import (
    ApiToken,
    Body,
    BodyMembership,
    BodyRole,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from tests.factories import give_totp

DATA = json.loads(
    (settings.BASE_DIR / "participation" / "data" / "rhein-sieg-kreis.json").read_text("utf-8")
)


def registry_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Person, Membership, Body, BodyMembership, LogEntry)
    }


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = registry_counts()
    call_command("seed_demo")
    second = registry_counts()

    assert first == second
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert sorted(municipalities.values_list("ags", flat=True)) == sorted(
        item["ags"] for item in DATA["municipalities"]
    )
    assert municipalities.count() == 19
    assert Body.objects.count() == len(DATA["bodies"])
    assert Organisation.objects.filter(kind=OrganisationKind.JOBCENTER).count() == 1
    assert Organisation.objects.filter(kind=OrganisationKind.COUNTY_OFFICE).count() >= 1
    # Every person works somewhere; the audit trail saw every record.
    assert not Person.objects.filter(memberships__isnull=True).exists()
    assert first["LogEntry"] >= first["Organisation"] + first["Person"]


@pytest.mark.django_db
def test_seed_demo_seats_follow_the_rules():
    call_command("seed_demo")

    project_group = Body.objects.get(kind="project_group")
    assert project_group.memberships.count() == 4
    deputies = BodyMembership.objects.filter(role=BodyRole.DEPUTY)
    assert deputies.exists()
    for seat in BodyMembership.objects.all():
        seat.full_clean()
    for deputy in deputies:
        assert deputy.deputy_of.body_id == deputy.body_id
    assert all(
        email.rsplit("@", 1)[1].endswith(".example")
        for email in Person.objects.values_list("email", flat=True)
    )


@pytest.mark.django_db
def test_ensure_demo_coordinator_refuses_outside_the_embedded_mode():
    with override_settings(RUN_MODE="services"), pytest.raises(CommandError):
        call_command("ensure_demo_coordinator")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_ensure_demo_coordinator_creates_a_working_sign_in(capsys):
    with override_settings(RUN_MODE="embedded"):
        call_command("ensure_demo_coordinator")
        call_command("ensure_demo_coordinator")

    user = User.objects.get()
    assert user.email == settings.MITPLANEN_DEMO_EMAIL
    assert user.is_coordinator
    assert user.check_password(settings.MITPLANEN_DEMO_PASSWORD)
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    assert (
        Membership.objects.current()
        .filter(person__user=user, organisation__kind=OrganisationKind.COUNTY_OFFICE)
        .exists()
    )
    assert settings.MITPLANEN_DEMO_PASSWORD in capsys.readouterr().out


@pytest.mark.django_db
def test_ensure_demo_member_gives_the_planner_of_troisdorf_a_sign_in(capsys):
    with override_settings(RUN_MODE="services"), pytest.raises(CommandError):
        call_command("ensure_demo_member")
    call_command("seed_demo", stdout=StringIO())
    with override_settings(RUN_MODE="embedded"):
        call_command("ensure_demo_member")
        call_command("ensure_demo_member")
    user = User.objects.get(email=settings.MITPLANEN_DEMO_MEMBER_EMAIL)
    assert not user.is_coordinator
    assert user.check_password(settings.MITPLANEN_DEMO_MEMBER_PASSWORD)
    assert user.person.full_name == "Katharina Lübben"
    assert list(
        Membership.objects.current()
        .filter(person__user=user)
        .values_list("organisation__short_name", flat=True)
    ) == ["Troisdorf"]
    assert settings.MITPLANEN_DEMO_MEMBER_PASSWORD in capsys.readouterr().out


@pytest.mark.django_db
def test_ensure_demo_member_needs_the_registry():
    with override_settings(RUN_MODE="embedded"), pytest.raises(CommandError, match="seed_demo"):
        call_command("ensure_demo_member")


@pytest.mark.django_db
def test_the_demo_coordinator_finds_their_data_and_the_records_of_processing(client):
    with override_settings(RUN_MODE="embedded"):
        call_command("ensure_demo_coordinator", stdout=StringIO())
    demo_coordinator = User.objects.get(email=settings.MITPLANEN_DEMO_EMAIL)
    give_totp(demo_coordinator)
    client.force_login(demo_coordinator)
    home = client.get("/").content.decode()
    assert 'href="/account/data/"' in home
    assert 'href="/records-of-processing/"' in home
    assert client.get("/account/data/").status_code == 200
    assert client.get("/records-of-processing/").status_code == 200


@pytest.mark.django_db
def test_ensure_demo_coordinator_gives_one_named_token_and_security_log_entries(capsys):
    with override_settings(RUN_MODE="embedded"):
        call_command("ensure_demo_coordinator")
        first = capsys.readouterr().out
        call_command("ensure_demo_coordinator")
        second = capsys.readouterr().out

    user = User.objects.get()
    token = ApiToken.objects.get(user=user)
    key = re.search(r"(mp_[A-Za-z0-9_-]+)", first).group(1)
    assert token.name and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert "mp_" not in second
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {SecurityEventKind.SIGNED_IN, SecurityEventKind.SIGN_IN_FAILED} <= kinds
    assert SecurityEvent.objects.filter(detail__demo="yes").count() == 3
