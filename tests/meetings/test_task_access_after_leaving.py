"""A task an organisation owns is seen by its current members, not by someone whose
membership has ended (list, status form and API alike)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import TaskStatus
from tests.factories import MembershipFactory, PersonFactory, UserFactory

from .test_api import api
from .test_task_links import _task

pytestmark = pytest.mark.django_db
TITLE = "Datenlage Kita-Plätze zusammenstellen"


def colleague(organisation, *, valid_until=None):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    MembershipFactory(person=person, organisation=organisation, valid_until=valid_until)
    return user


@pytest.fixture
def task(series, coordinator, own_org):
    meeting = series.meetings.order_by("start").first()
    return _task(meeting, None, coordinator=coordinator, owner_organisation=own_org)


def test_a_former_member_loses_the_organisations_task(client, own_org, task):
    """Catches: own_organisation_ids counting ended memberships (the `.current()` dropped)."""
    current = colleague(own_org)
    former = colleague(own_org, valid_until=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(current)
    assert TITLE in client.get(reverse("meetings:task_list")).content.decode()
    assert [t["id"] for t in api(current).get("/api/v1/meeting-tasks/").json()["results"]] == [
        task.pk
    ]

    client.force_login(former)
    assert TITLE not in client.get(reverse("meetings:task_list")).content.decode()
    status = client.post(reverse("meetings:task_status", args=[task.pk]), {"status": "done"})
    assert status.status_code == 404
    assert api(former).get("/api/v1/meeting-tasks/").json()["results"] == []
    assert api(former).get(f"/api/v1/meeting-tasks/{task.pk}/").status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
