"""Fixtures of the social monitoring tests: own_org (Siegburg, the member's municipality) with
a confirmed social space holding a neighbourhood, and other_org (Much, the outsider's) with a
proposal of its own that nobody else sees."""

import datetime

import pytest
from django.utils import timezone

from monitoring import rounds, spaces
from monitoring.models import Indicator, IndicatorSet, Round, Space, SpaceLevel

START = datetime.date(2024, 1, 1)


def square(west, south, size=0.02):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [west + size, south],
                [west + size, south + size],
                [west, south + size],
                [west, south],
            ]
        ],
    }


@pytest.fixture
def social_space(coordinator, own_org):
    space = spaces.save_space(
        Space(
            municipality=own_org,
            level=SpaceLevel.SOCIAL_SPACE,
            key=f"{own_org.ags}-SR01",
            name="Innenstadt",
            valid_from=START,
            geometry=square(7.19, 50.79, 0.04),
        ),
        actor=coordinator,
    )
    return spaces.confirm_space(space, actor=coordinator)


@pytest.fixture
def neighbourhood(coordinator, own_org, social_space):
    space = spaces.save_space(
        Space(
            municipality=own_org,
            level=SpaceLevel.NEIGHBOURHOOD,
            parent=social_space,
            key=f"{own_org.ags}-SR01-Q01",
            name="Altstadt",
            valid_from=START,
            geometry=square(7.20, 50.80, 0.01),
        ),
        actor=coordinator,
    )
    return spaces.confirm_space(space, actor=coordinator)


@pytest.fixture
def foreign_proposal(outsider, other_org):
    return spaces.save_space(
        Space(
            municipality=other_org,
            level=SpaceLevel.SOCIAL_SPACE,
            key=f"{other_org.ags}-SR01",
            name="Much-Ort (Entwurf)",
            valid_from=START,
        ),
        actor=outsider,
    )


@pytest.fixture
def indicator_set(coordinator):
    residents = Indicator.objects.create(
        code="EW",
        name="Einwohner",
        definition="Hauptwohnsitz",
        unit="Personen",
        value_type="count",
        source="Melderegister",
        spatial_level="neighbourhood",
        supplier_kind="municipality",
        minimum=0,
        maximum=200000,
    )
    minors = Indicator.objects.create(
        code="U18",
        name="Anteil unter 18",
        definition="Minderjährige",
        unit="%",
        value_type="percentage",
        source="Melderegister",
        spatial_level="social_space",
        supplier_kind="municipality",
    )
    children = Indicator.objects.create(
        code="SGB2-U15",
        name="Kinder im SGB II",
        definition="unter 15",
        unit="Personen",
        value_type="count",
        source="Jobcenter",
        spatial_level="neighbourhood",
        supplier_kind="jobcenter",
        suppress_below=3,
    )
    indicator_set = IndicatorSet.objects.create(name="Profil")
    indicator_set.indicators.set([residents, minors, children])
    return indicator_set


@pytest.fixture
def delivery_round(coordinator, indicator_set, own_org, neighbourhood):
    today = timezone.localdate()
    return rounds.save_round(
        Round(
            name="Stichtag 2026",
            indicator_set=indicator_set,
            reference_date=datetime.date(2026, 6, 30),
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=14),
        ),
        actor=coordinator,
        suppliers=[own_org],
    )
