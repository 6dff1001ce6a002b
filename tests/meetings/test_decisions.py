"""Decisions are numbered per body and year (LG-2027-01, -02 …), never renumbered, and get
different numbers when recorded at the same moment (threads against PostgreSQL)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from meetings import services
from meetings.models import Decision, DecisionRegister
from tests.factories import BodyFactory

from .conftest import make_series


def _decision(meeting, title="Beschluss", day=None):
    return Decision(
        body=meeting.series.body,
        meeting=meeting,
        title=title,
        text="Die Lenkungsgruppe beschließt …",
        decided_on=day or meeting.start.date(),
    )


@pytest.mark.django_db
def test_decisions_are_numbered_per_body_and_year(series, coordinator):
    meeting = series.meetings.order_by("start").first()
    first = services.record_decision(_decision(meeting), actor=coordinator)
    second = services.record_decision(_decision(meeting), actor=coordinator)
    next_year = services.record_decision(
        _decision(meeting, day=datetime.date(2028, 1, 5)), actor=coordinator
    )
    assert [first.reference, second.reference, next_year.reference] == [
        "LG-2027-01",
        "LG-2027-02",
        "LG-2028-01",
    ]
    # Another body counts on its own.
    other = make_series(BodyFactory(name="Dienstbesprechung"), actor=coordinator, code="DB")
    theirs = services.record_decision(
        _decision(other.meetings.order_by("start").first()), actor=coordinator
    )
    assert theirs.reference == "DB-2027-01"


@pytest.mark.django_db
def test_number_is_never_given_again_or_changed(series, coordinator):
    meeting = series.meetings.order_by("start").first()
    first = services.record_decision(_decision(meeting), actor=coordinator)
    with pytest.raises(ValidationError):
        services.record_decision(first, actor=coordinator)
    # A new code for the body changes the numbers to come, not those given.
    DecisionRegister.objects.filter(body=series.body).update(code="LGS")
    later = services.record_decision(_decision(meeting), actor=coordinator)
    first.refresh_from_db()
    assert (first.reference, later.reference) == ("LG-2027-01", "LGS-2027-02")


@pytest.mark.django_db
def test_body_without_code_is_told_and_nothing_saved(clock, coordinator, body):
    series = make_series(body, actor=coordinator, code=None)
    with pytest.raises(ValidationError) as error:
        services.record_decision(_decision(series.meetings.first()), actor=coordinator)
    assert "Kürzel für Beschlussnummern" in error.value.messages[0]
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_decision_without_text_is_refused_and_nothing_numbered(series, coordinator):
    decision = _decision(series.meetings.first())
    decision.text = ""
    with pytest.raises(ValidationError) as error:
        services.record_decision(decision, actor=coordinator)
    assert "text" in error.value.message_dict
    decision = services.record_decision(_decision(series.meetings.first()), actor=coordinator)
    assert decision.reference == "LG-2027-01"


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_get_different_numbers(series, coordinator):
    meeting = series.meetings.order_by("start").first()
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    references, errors = [], []

    def record(index):
        try:
            barrier.wait()
            decision = services.record_decision(
                _decision(meeting, title=f"Beschluss {index}"), actor=coordinator
            )
            references.append(decision.reference)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [f"LG-2027-{n:02d}" for n in range(1, threads_count + 1)]
    assert Decision.objects.count() == threads_count
