"""Fixtures of the meeting tests: a body with seats (the member of own_org sits in it, the
outsider sits in another body), a quarterly series on the second Tuesday of Jan/Apr/Jul/Oct
at 10:00, and the clock on 1 December 2026."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from meetings import services
from meetings.models import MeetingSeries
from participation.models import BodyMembership
from tests.factories import BodyFactory, BodyMembershipFactory, PersonFactory

QUARTERLY = "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU"
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def body(own_org, member):
    body = BodyFactory(name="Lenkungsgruppe Sozialplanung", short_name="LG")
    BodyMembershipFactory(body=body, person=member.person, represents=own_org)
    return body


@pytest.fixture
def other_body(outsider, other_org):
    body = BodyFactory(name="Quartalsgespräch ARGE")
    BodyMembershipFactory(body=body, person=outsider.person, represents=other_org)
    return body


@pytest.fixture
def seated_person(body):
    person = PersonFactory()
    BodyMembershipFactory(body=body, person=person)
    return person


@pytest.fixture
def second_seat(body, other_org):
    """A second seat holder, of another organisation (the date polls' tests)."""
    person = PersonFactory(first_name="Ute", last_name="Zweite", email="ute@much.example")
    BodyMembershipFactory(body=body, person=person, represents=other_org)
    return person


def make_series(body, *, actor=None, code="LG", **fields):
    values = {
        "body": body,
        "title": "Lenkungsgruppe",
        "rule": QUARTERLY,
        "first_date": datetime.date(2027, 1, 1),
        "start_time": datetime.time(10, 0),
        "duration": datetime.timedelta(hours=2),
        "venue_name": "Kreishaus Siegburg, Raum 1.04",
    } | fields
    return services.save_series(MeetingSeries(**values), actor=actor, decision_code=code)


@pytest.fixture
def series(clock, body, coordinator):
    return make_series(body, actor=coordinator)


def local(moment):
    return timezone.localtime(moment, timezone.get_default_timezone())


@pytest.fixture
def deputy(body, member):
    """Jan Vertreter, the registered deputy of the member's seat."""
    seat = BodyMembership.objects.get(body=body, person=member.person)
    person = PersonFactory(first_name="Jan", last_name="Vertreter", email="jan@siegburg.example")
    BodyMembershipFactory(
        body=body, person=person, role="deputy", deputy_of=seat, represents=seat.represents
    )
    return person
