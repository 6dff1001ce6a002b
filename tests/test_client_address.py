"""The client's address: taken from a proxy header only when a trusted proxy is configured,
by one rule for the rate limits, allauth's sign-in limits and the audit trail."""

import pytest
from auditlog.models import LogEntry

from participation.models import Organisation
from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db


def test_audit_trail_records_the_connecting_address_not_a_forwarded_header(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin_user)
    client.force_login(admin_user)

    response = client.post(
        "/admin/participation/organisation/add/",
        {"name": "Fachbeirat Inklusion", "kind": "other", "is_active": "on"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(Organisation.objects.get(name="Fachbeirat Inklusion"))
    assert entry.get().remote_addr == "192.0.2.10"
