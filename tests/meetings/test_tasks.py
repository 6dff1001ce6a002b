"""Tasks: owned by a person or an organisation of the body (checked), carried to the next
meetings of the series while not done."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings import selectors, services
from meetings.models import Decision, Task, TaskStatus
from tests.factories import MembershipFactory, PersonFactory

from .conftest import make_series

pytestmark = pytest.mark.django_db


def _task(meeting, **fields):
    values = {
        "meeting": meeting,
        "title": "Datenlage Kita-Plätze zusammenstellen",
        "due_date": datetime.date(2027, 3, 1),
    } | fields
    return Task(**values)


def test_owner_must_belong_to_the_body(series, coordinator, own_org, other_org, member, outsider):
    meeting = series.meetings.order_by("start").first()
    for owner in (
        {"owner_person": member.person},
        {"owner_organisation": own_org},
    ):
        assert services.save_task(_task(meeting, **owner), actor=coordinator).pk
    for field, owner in (
        ("owner_person", {"owner_person": outsider.person}),
        ("owner_person", {"owner_person": PersonFactory()}),
        ("owner_organisation", {"owner_organisation": other_org}),
    ):
        with pytest.raises(ValidationError) as error:
            services.save_task(_task(meeting, **owner), actor=coordinator)
        assert "gehört nicht zum Gremium" in error.value.message_dict[field][0]
    assert Task.objects.count() == 2


def test_a_colleague_of_a_represented_organisation_may_own(series, coordinator, own_org):
    colleague = MembershipFactory(organisation=own_org).person
    meeting = series.meetings.first()
    assert services.save_task(_task(meeting, owner_person=colleague), actor=coordinator).pk


def test_exactly_one_owner(series, coordinator, own_org, member):
    meeting = series.meetings.first()
    for owners in ({}, {"owner_person": member.person, "owner_organisation": own_org}):
        with pytest.raises(ValidationError):
            services.save_task(_task(meeting, **owners), actor=coordinator)
    assert not Task.objects.exists()


def test_open_tasks_are_carried_to_the_next_meetings(series, coordinator, member):
    first, second, third, _ = series.meetings.order_by("start")
    open_task = services.save_task(_task(first, owner_person=member.person), actor=coordinator)
    done_task = services.save_task(
        _task(first, owner_person=member.person, title="Erledigt"), actor=coordinator
    )
    services.set_task_status(done_task, TaskStatus.DONE, actor=coordinator)
    later = services.save_task(
        _task(second, owner_person=member.person, title="Später"), actor=coordinator
    )

    assert list(selectors.carried_tasks(first)) == []
    assert list(selectors.carried_tasks(second)) == [open_task]
    assert list(selectors.carried_tasks(third)) == [open_task, later]
    services.set_task_status(open_task, TaskStatus.IN_PROGRESS, actor=coordinator)
    assert list(selectors.carried_tasks(third)) == [open_task, later]
    services.set_task_status(open_task, TaskStatus.DONE, actor=coordinator)
    assert list(selectors.carried_tasks(third)) == [later]
    open_task.refresh_from_db()
    assert open_task.done_at is not None


def test_decision_of_another_body_is_refused(series, coordinator, member, other_body):
    theirs = make_series(other_body, actor=coordinator, code="QG")
    decision = services.record_decision(
        Decision(
            body=other_body,
            meeting=theirs.meetings.first(),
            title="x",
            text="y",
            decided_on=datetime.date(2027, 1, 12),
        ),
        actor=coordinator,
    )
    with pytest.raises(ValidationError) as error:
        services.save_task(
            _task(series.meetings.first(), owner_person=member.person, decision=decision),
            actor=coordinator,
        )
    assert "decision" in error.value.message_dict
