"""The meetings API: coordinators write, members read their bodies' records, everybody else
gets 404; bad input is answered with the field's message and saves nothing; a client cannot
choose a decision's number."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import Decision, Meeting, MeetingSeries, Task

from .conftest import QUARTERLY, local

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name, *args):
    return reverse(f"meetings_api:{name}", args=args)


SERIES = {
    "title": "Quartalsgespräch ARGE Wohlfahrt",
    "rule": QUARTERLY,
    "first_date": "2027-01-01",
    "start_time": "10:00",
    "duration_minutes": 120,
    "venue_name": "Kreishaus",
    "decision_code": "QG",
}


def test_coordinator_creates_a_series_with_its_occurrences(clock, coordinator, body):
    response = api(coordinator).post(url("series-list"), SERIES | {"body": body.pk}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["duration_minutes"] == 120
    assert response.data["start_time"] == "10:00:00"
    assert response.data["feed_url"] == f"http://testserver/api/v1/bodies/{body.pk}/meetings.ics"
    series = MeetingSeries.objects.get()
    assert series.meetings.count() == 4
    assert series.body.decision_register.code == "QG"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rule": "FREQ=DAILY"}, "rule"),
        ({"rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rule"),
        ({"duration_minutes": 2}, "duration_minutes"),
        ({"decision_code": "1 2"}, "decision_code"),
        ({"start_time": "25:00"}, "start_time"),
    ],
)
def test_bad_series_is_refused_in_german_and_nothing_saved(clock, coordinator, body, change, field):
    response = api(coordinator).post(
        url("series-list"),
        SERIES | {"body": body.pk} | change,
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert field in response.data or "rule" in response.data
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_rule_error_is_translated(clock, coordinator, body):
    response = api(coordinator).post(
        url("series-list"),
        SERIES | {"body": body.pk, "rule": "FREQ=DAILY"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "mehr als 60 Termine" in response.data["rule"][0]


def test_member_reads_own_body_only_and_cannot_write(series, member, outsider):
    meeting = series.meetings.first()
    member_api = api(member)
    assert [s["id"] for s in member_api.get(url("series-list")).data["results"]] == [series.pk]
    assert member_api.get(url("series-detail", series.pk)).status_code == 200
    assert member_api.get(url("meeting-detail", meeting.pk)).status_code == 200
    assert member_api.post(url("meeting-cancel", meeting.pk)).status_code == 403
    assert member_api.patch(url("series-detail", series.pk), {"title": "x"}).status_code == 403

    outsider_api = api(outsider)
    assert outsider_api.get(url("series-list")).data["results"] == []
    assert outsider_api.get(url("meeting-list")).data["results"] == []
    for name, pk in (("series-detail", series.pk), ("meeting-detail", meeting.pk)):
        assert outsider_api.get(url(name, pk)).status_code == 404


def test_coordinator_moves_and_cancels_one_meeting(series, coordinator):
    first, second = series.meetings.order_by("start")[:2]
    client = api(coordinator)
    start = datetime.datetime(2027, 1, 14, 14, 0, tzinfo=datetime.UTC)
    response = client.post(
        url("meeting-move", first.pk),
        {"start": start.isoformat(), "end": (start + datetime.timedelta(hours=2)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["is_moved"] is True
    assert response.data["sequence"] == 1
    assert local(first.recurrence_id).isoformat() == response.data["recurrence_id"]

    response = client.post(url("meeting-cancel", second.pk))
    assert response.data["status"] == "cancelled"
    response = client.post(url("meeting-cancel", second.pk), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "bereits abgesagt" in str(response.data)


def test_bad_move_is_refused_and_nothing_changes(series, coordinator):
    meeting = series.meetings.first()
    start = meeting.start
    response = api(coordinator).post(
        url("meeting-move", meeting.pk),
        {"start": start.isoformat(), "end": (start - datetime.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert (meeting.start, meeting.sequence) == (start, 0)


def test_client_cannot_force_a_decision_number(series, coordinator, member):
    meeting = series.meetings.order_by("start").first()
    data = {
        "meeting": meeting.pk,
        "title": "Sozialbericht beauftragen",
        "text": "Die Verwaltung erstellt den Sozialbericht.",
        "decided_on": "2027-01-12",
        "reference": "LG-2027-99",
        "number": 99,
        "year": 1999,
        "votes_for": 9,
        "votes_against": 0,
        "abstentions": 1,
    }
    response = api(coordinator).post(url("decision-list"), data, format="json")
    assert response.status_code == 201, response.data
    assert response.data["reference"] == "LG-2027-01"
    assert (response.data["number"], response.data["year"]) == (1, 2027)
    assert api(member).post(url("decision-list"), data, format="json").status_code == 403
    assert api(member).get(url("decision-list")).data["count"] == 1
    assert Decision.objects.count() == 1


def test_decision_at_another_bodys_meeting_is_404_for_members(series, outsider):
    decision_url = url("decision-list")
    assert api(outsider).get(decision_url).data["count"] == 0


def test_tasks_over_the_api(series, coordinator, member, outsider, own_org):
    meeting = series.meetings.order_by("start").first()
    client = api(coordinator)
    data = {
        "meeting": meeting.pk,
        "title": "Kennzahlen abstimmen",
        "owner_organisation": own_org.pk,
        "due_date": "2027-02-01",
    }
    response = client.post(url("task-list"), data, format="json")
    assert response.status_code == 201, response.data
    task_id = response.data["id"]

    bad = client.post(
        url("task-list"),
        data | {"owner_organisation": None, "owner_person": outsider.person.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert bad.status_code == 400
    assert "gehört nicht zum Gremium" in bad.data["owner_person"][0]
    assert Task.objects.count() == 1

    response = client.patch(url("task-detail", task_id), {"status": "done"}, format="json")
    assert response.data["status"] == "done"
    assert response.data["done_at"]
    assert api(member).get(url("task-detail", task_id)).status_code == 200
    assert api(member).patch(url("task-detail", task_id), {"status": "open"}).status_code == 403
    assert api(outsider).get(url("task-detail", task_id)).status_code == 404


def test_schema_names_the_meeting_endpoints(client, coordinator):
    client.force_login(coordinator)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/meeting-series/",
        "/api/v1/meetings/{id}/move/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/decisions/",
        "/api/v1/meeting-tasks/",
        "/api/v1/bodies/{id}/meetings.ics",
    ):
        assert path in schema


def test_move_into_the_past_is_refused_in_german(series, coordinator):
    meeting = series.meetings.first()
    start = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)
    response = api(coordinator).post(
        url("meeting-move", meeting.pk),
        {"start": start.isoformat(), "end": (start + datetime.timedelta(hours=1)).isoformat()},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "nicht in die Vergangenheit" in response.data["start"][0]
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_carried_tasks_of_the_next_meeting(series, coordinator, member, outsider, own_org):
    first, second = series.meetings.order_by("start")[:2]
    client = api(coordinator)
    for title, status in (("Offen", "open"), ("Erledigt", "done")):
        client.post(
            url("task-list"),
            {
                "meeting": first.pk,
                "title": title,
                "owner_organisation": own_org.pk,
                "due_date": "2027-02-01",
                "status": status,
            },
            format="json",
        )
    carried = api(member).get(url("meeting-carried-tasks", second.pk))
    assert [task["title"] for task in carried.data] == ["Offen"]
    assert api(member).get(url("meeting-carried-tasks", first.pk)).data == []
    assert api(outsider).get(url("meeting-carried-tasks", second.pk)).status_code == 404


def test_writes_answer_404_to_outsiders_and_403_to_members(series, member, outsider):
    meeting = series.meetings.first()
    start = meeting.start.isoformat()
    writes = [
        ("post", url("meeting-cancel", meeting.pk), {}),
        ("post", url("meeting-move", meeting.pk), {"start": start, "end": start}),
        ("patch", url("series-detail", series.pk), {"title": "x"}),
    ]
    for method, address, data in writes:
        assert getattr(api(outsider), method)(address, data, format="json").status_code == 404
        assert getattr(api(member), method)(address, data, format="json").status_code == 403
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("published", 0)
    assert MeetingSeries.objects.get().title == "Lenkungsgruppe"
