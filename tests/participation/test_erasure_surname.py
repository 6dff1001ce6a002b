"""Erasure: the last name standing alone in free text gives way to the role, while the
registry keeps its names ("Gemeinde Much", "Weber-Stiftung") and other words stay."""

import datetime

import pytest
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import AgendaItem, Decision
from participation import erasure
from participation.models import Organisation
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.meetings.conftest import make_series

ROLE = "Mitglied (Lenkungskreis)"


def _seat(person, coordinator, own_org):
    body = BodyFactory(name="Lenkungskreis Sozialplanung", short_name="Lenkungskreis")
    BodyMembershipFactory(body=body, person=person, represents=own_org)
    series = make_series(body, actor=coordinator)
    return body, series.meetings.order_by("start").first()


@pytest.mark.django_db
def test_last_name_alone_in_minutes_and_decisions_gives_way_to_the_role(
    client, coordinator, own_org
):
    person = PersonFactory(first_name="Hanna", last_name="Weber")
    stiftung = OrganisationFactory(name="Weber-Stiftung", short_name="Weber")
    body, meeting = _seat(person, coordinator, own_org)
    item = AgendaItem.objects.create(
        meeting=meeting,
        title="Bericht Weber",
        minutes="Weber sagte, das Konzept komme im März. Webers Vorschlag wird angenommen. "
        "Die Weber-Stiftung fördert; die weber-typische Sorgfalt.",
    )
    meeting_services.record_decision(
        Decision(
            body=body,
            meeting=meeting,
            title="Konzept",
            text="Weber berichtet über den Stand.",
            decided_on=datetime.date(2027, 1, 12),
        ),
        actor=coordinator,
    )

    erasure.erase_person(person, actor=coordinator)

    item.refresh_from_db()
    assert item.minutes == (
        f"{ROLE} sagte, das Konzept komme im März. {ROLE} Vorschlag wird angenommen. "
        "Die Weber-Stiftung fördert; die weber-typische Sorgfalt."
    )
    assert item.title == "Bericht Weber"  # a title names the record, not free text
    assert Decision.objects.get().text == f"{ROLE} berichtet über den Stand."
    stiftung.refresh_from_db()
    assert (stiftung.name, stiftung.short_name) == ("Weber-Stiftung", "Weber")
    client.force_login(coordinator)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert f"{ROLE} sagte" in page and "Weber sagte" not in page


@pytest.mark.django_db
def test_last_name_that_is_a_place_keeps_the_registry_name(coordinator, own_org, other_org):
    """A person called like a municipality: "Gemeinde Much" (an organisation) stays in the
    minutes and in the registry; "Much" alone is the person; "much" is English."""
    person = PersonFactory(first_name="Jonas", last_name="Much")
    _body, meeting = _seat(person, coordinator, own_org)
    item = AgendaItem.objects.create(
        meeting=meeting,
        title="Sitzung in Much",
        minutes="Much berichtet aus der Gemeinde Much. Thank you very much.",
    )

    erasure.erase_person(person, actor=coordinator)

    item.refresh_from_db()
    assert item.minutes == f"{ROLE} berichtet aus der Gemeinde Much. Thank you very much."
    assert item.title == "Sitzung in Much"
    assert Organisation.objects.filter(name="Gemeinde Much").exists()
