"""Fixtures of the social monitoring tests: own_org (Siegburg, the member's municipality) with
a confirmed social space holding a neighbourhood, and other_org (Much, the outsider's) with a
proposal of its own that nobody else sees."""

import datetime

import pytest

from monitoring import spaces
from monitoring.models import Space, SpaceLevel

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
