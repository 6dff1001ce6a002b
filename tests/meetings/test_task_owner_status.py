"""A signed-in task owner sets the status of their own task, on the pages and over the API;
another member of the body sees the task but cannot change it."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Task, TaskStatus
from tests.factories import BodyMembershipFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(series, coordinator, member, own_org):
    meeting = series.meetings.order_by("start").first()
    due = datetime.date(2027, 2, 1)
    own = services.save_task(
        Task(meeting=meeting, title="Kita-Daten liefern", owner_person=member.person, due_date=due),
        actor=coordinator,
        notify_owner=False,
    )
    of_org = services.save_task(
        Task(meeting=meeting, title="Träger fragen", owner_organisation=own_org, due_date=due),
        actor=coordinator,
        notify_owner=False,
    )
    return own, of_org


@pytest.fixture
def seated_other(body, other_org):
    """Sits in the body for another organisation: sees the tasks, owns none."""
    user = member_of(other_org)
    BodyMembershipFactory(body=body, person=user.person, represents=other_org)
    return user


def _status_forms(page):
    return page.count('class="task-status"')


def test_the_owner_marks_their_task_done_on_the_task_list(client, member, tasks):
    own, _ = tasks
    client.force_login(member)
    page = client.get(reverse("meetings:task_list")).content.decode()
    assert _status_forms(page) == 2  # their own, and their organisation's
    response = client.post(
        reverse("meetings:task_status", args=[own.pk]),
        {"status": "done", "next": reverse("meetings:task_list") + "?status=all"},
        follow=True,
    )
    assert "Aufgabe „Kita-Daten liefern“ aktualisiert." in response.content.decode()
    own.refresh_from_db()
    assert own.status == TaskStatus.DONE and own.done_at is not None


def test_the_owner_updates_a_task_from_the_meeting_page(client, member, tasks):
    own, _ = tasks
    client.force_login(member)
    page = client.get(own.meeting.get_absolute_url()).content.decode()
    assert f'id="task-status-{own.pk}"' in page


def test_a_colleague_without_a_seat_updates_the_organisations_task(client, own_org, tasks):
    own, of_org = tasks
    colleague = member_of(own_org)
    client.force_login(colleague)
    page = client.get(reverse("meetings:task_list")).content.decode()
    assert f'id="task-status-{of_org.pk}"' in page
    assert "Kita-Daten liefern" not in page  # the member's own task is not theirs
    client.post(reverse("meetings:task_status", args=[of_org.pk]), {"status": "in_progress"})
    of_org.refresh_from_db()
    assert of_org.status == TaskStatus.IN_PROGRESS


def test_another_member_of_the_body_sees_the_task_but_cannot_change_it(client, seated_other, tasks):
    own, _ = tasks
    client.force_login(seated_other)
    page = client.get(own.meeting.get_absolute_url()).content.decode()
    assert "Kita-Daten liefern" in page
    assert _status_forms(page) == 0
    response = client.post(reverse("meetings:task_status", args=[own.pk]), {"status": "done"})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.status == TaskStatus.OPEN


def test_the_owner_sets_the_status_over_the_api_and_others_get_404(
    client, member, seated_other, outsider, tasks
):
    own, _ = tasks
    url = f"/api/v1/meeting-tasks/{own.pk}/status/"
    client.force_login(member)
    response = client.post(url, {"status": "in_progress"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    refused = client.post(url, {"status": "finished"}, content_type="application/json")
    assert refused.status_code == 400
    assert "status" in refused.json()
    for other in (seated_other, outsider):
        client.force_login(other)
        response = client.post(url, {"status": "done"}, content_type="application/json")
        assert response.status_code == 404
    own.refresh_from_db()
    assert own.status == TaskStatus.IN_PROGRESS
