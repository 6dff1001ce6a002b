"""The registry over the REST API /api/v1/: who creates, changes, deletes and ends what."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry

from participation.models import BodyMembership, Membership
from tests.api_support import (
    MODELS,
    NOT_DELETABLE,
    PATCHES,
    RESOURCES,
    TERMS,
    client_for,
    detail_url,
    end_url,
    list_url,
    payload_filter,
)
from tests.factories import BodyMembershipFactory

pytestmark = pytest.mark.django_db


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
    assert not MODELS[resource].objects.filter(**payload_filter(resource, create_payloads)).exists()


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
