"""The delivery rounds read a fixed number of queries however large the round: the
completeness matrix (function and page) for 2 and for 20 suppliers, checking a delivery,
building its grid and showing its page for 2 and for 20 spaces, each with last round's
approved figures to compare against. bench/delivery_rounds.py measures the same at 400
suppliers × 160 spaces × 20 indicators."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import grid, rounds
from monitoring.completeness import completeness
from monitoring.models import Delivery, Review, Round, Space, SpaceLevel, SpaceStatus, Value
from tests.factories import OrganisationFactory

from .conftest import START

pytestmark = pytest.mark.django_db


def queries(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def add_spaces(municipality, count):
    """A confirmed social space with `count - 1` neighbourhoods in it."""
    social = Space.objects.create(
        municipality=municipality,
        level=SpaceLevel.SOCIAL_SPACE,
        key=f"{municipality.ags}-SR99",
        name="Sozialraum",
        valid_from=START,
        status=SpaceStatus.CONFIRMED,
    )
    Space.objects.bulk_create(
        Space(
            municipality=municipality,
            level=SpaceLevel.NEIGHBOURHOOD,
            parent=social,
            key=f"{municipality.ags}-SR99-Q{n:02d}",
            name=f"Quartier {n}",
            valid_from=START,
            status=SpaceStatus.CONFIRMED,
        )
        for n in range(count - 1)
    )


def fill(delivery):
    """A figure in every cell of the delivery's grid (bulk, as an import would leave it)."""
    the_grid = grid.build(delivery)
    Value.objects.bulk_create(
        Value(
            response=delivery,
            **cell.where,
            value={"number": "10", "comment": ""},
            number=Decimal(10),
            revision=1,
        )
        for cell in the_grid.cells.values()
    )


def approved_earlier_round(indicator_set, organisation):
    earlier = Round.objects.create(
        name="Stichtag 2025",
        indicator_set=indicator_set,
        reference_date=datetime.date(2025, 6, 30),
        opens_on=datetime.date(2025, 7, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    delivery = Delivery.objects.create(
        round=earlier,
        organisation=organisation,
        status=Delivery.Status.SUBMITTED,
        review=Review.APPROVED,
        reviewed_at=timezone.now(),
    )
    fill(delivery)
    return delivery


def add_suppliers(delivery_round, count):
    for _n in range(count):
        organisation = OrganisationFactory()
        add_spaces(organisation, 3)
        fill(rounds.add_supplier(delivery_round, organisation, actor=None))


def test_the_completeness_matrix_reads_as_many_queries_for_20_suppliers_as_for_2(
    delivery_round, coordinator
):
    add_suppliers(delivery_round, 1)  # with Siegburg: 2
    page = f"/monitoring/rounds/{delivery_round.pk}/"
    client = signed_in(coordinator)
    client.get(page)  # sessions and caches warmed
    few = queries(lambda: completeness(delivery_round)), queries(lambda: client.get(page))

    add_suppliers(delivery_round, 18)
    assert len(completeness(delivery_round).suppliers) == 20
    many = queries(lambda: completeness(delivery_round)), queries(lambda: client.get(page))
    assert many == few


def test_a_delivery_is_checked_built_and_shown_with_as_many_queries_for_20_spaces_as_for_2(
    delivery_round, member, own_org, indicator_set, social_space, neighbourhood
):
    approved_earlier_round(indicator_set, own_org)
    delivery = Delivery.objects.select_related("round", "organisation").get(round=delivery_round)
    page = delivery.get_absolute_url()
    client = signed_in(member)
    client.get(page)

    def counted():
        return (
            queries(lambda: grid.build(delivery)),
            queries(lambda: rounds.check_delivery(delivery)),
            queries(lambda: client.get(page)),
        )

    fill(delivery)
    few = counted()
    assert len(grid.build(delivery).rows) == 3  # the total, Innenstadt and Altstadt

    Space.objects.bulk_create(
        Space(
            municipality=own_org,
            level=SpaceLevel.NEIGHBOURHOOD,
            parent=social_space,
            key=f"{own_org.ags}-SR01-Q{n:02d}",
            name=f"Quartier {n}",
            valid_from=START,
            status=SpaceStatus.CONFIRMED,
        )
        for n in range(2, 20)
    )
    Value.objects.filter(response=delivery).delete()
    fill(delivery)
    assert len(grid.build(delivery).rows) == 21
    # 19 neighbourhoods of 10 against a total of 10: the check went through every cell.
    assert [problem.kind for problem in rounds.check_delivery(delivery)] == ["sum"]
    assert counted() == few
