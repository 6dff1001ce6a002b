"""Demo data for the social monitoring, called by `manage.py seed_demo` after the registry is
seeded: social spaces and neighbourhoods of Siegburg, Troisdorf and Much, confirmed by the
county from 1 January 2024. Troisdorf (the demo member's municipality) re-cut one social
space on 1 January 2026, its figures carried over in shares, and has proposed a new
neighbourhood the county has not confirmed yet. The boundaries are rectangles near the real
places, fictional as the brief allows. Idempotent: a space key that exists is left alone."""

import datetime
from decimal import Decimal

from participation.models import Organisation, User

from .models import Space, SpaceLevel, SpaceStatus, SpaceSuccession

START = datetime.date(2024, 1, 1)
RECUT = datetime.date(2026, 1, 1)


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


# AGS → [(key suffix, social space, box, [(key suffix, neighbourhood, box)])]
SPACES = {
    "05382060": [
        (
            "SR01",
            "Innenstadt",
            (7.19, 50.79, 7.22, 50.81),
            [
                ("Q01", "Altstadt", (7.195, 50.795, 7.21, 50.805)),
                ("Q02", "Deichhaus", (7.21, 50.795, 7.22, 50.805)),
            ],
        ),
        (
            "SR02",
            "Siegburg-Nord",
            (7.19, 50.81, 7.22, 50.83),
            [
                ("Q01", "Zange", (7.195, 50.815, 7.21, 50.825)),
                ("Q02", "Brückberg", (7.21, 50.815, 7.22, 50.825)),
            ],
        ),
        (
            "SR03",
            "Siegburg-Süd",
            (7.22, 50.77, 7.26, 50.79),
            [
                ("Q01", "Kaldauen", (7.225, 50.775, 7.24, 50.785)),
                ("Q02", "Seligenthal", (7.24, 50.775, 7.255, 50.785)),
            ],
        ),
    ],
    "05382068": [
        (
            "SR01",
            "Troisdorf-Mitte",
            (7.14, 50.80, 7.17, 50.82),
            [
                ("Q01", "Innenstadt", (7.145, 50.805, 7.16, 50.815)),
                ("Q02", "Friedrich-Wilhelms-Hütte", (7.16, 50.805, 7.17, 50.815)),
            ],
        ),
        ("SR02", "Sieglar und Oberlar", (7.10, 50.80, 7.14, 50.83), []),
        (
            "SR03",
            "Spich und Altenrath",
            (7.17, 50.82, 7.22, 50.86),
            [
                ("Q01", "Spich", (7.175, 50.825, 7.19, 50.84)),
                ("Q02", "Altenrath", (7.19, 50.84, 7.215, 50.855)),
            ],
        ),
    ],
    "05382036": [
        ("SR01", "Much-Ort", None, []),
        ("SR02", "Außenorte", None, []),
    ],
}


def seed(*, stdout):
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    created = 0
    for ags, social_spaces in SPACES.items():
        municipality = Organisation.objects.filter(ags=ags).first()
        if municipality is None:
            continue
        for suffix, name, bounds, neighbourhoods in social_spaces:
            space, made = _space(municipality, f"{ags}-{suffix}", name, bounds, coordinator)
            created += made
            for q_suffix, q_name, q_bounds in neighbourhoods:
                _, made = _space(
                    municipality,
                    f"{ags}-{suffix}-{q_suffix}",
                    q_name,
                    q_bounds,
                    coordinator,
                    parent=space,
                )
                created += made
    created += _troisdorf_recut(coordinator)
    stdout.write(f"seed_demo: {created} social spaces and neighbourhoods created.")


def _space(municipality, key, name, bounds, coordinator, *, parent=None, **fields):
    existing = Space.objects.filter(key=key).order_by("valid_from").first()
    if existing is not None:
        return existing, 0
    values = {
        "municipality": municipality,
        "level": SpaceLevel.NEIGHBOURHOOD if parent else SpaceLevel.SOCIAL_SPACE,
        "parent": parent,
        "name": name,
        "valid_from": START,
        "geometry": box(*bounds) if bounds else None,
        "status": SpaceStatus.CONFIRMED,
        "confirmed_by": coordinator,
        "created_by": coordinator,
        **fields,
    }
    space = Space.objects.create(key=key, **values)
    if space.status == SpaceStatus.CONFIRMED:
        Space.objects.filter(pk=space.pk).update(confirmed_at=space.created_at)
    return space, 1


def _troisdorf_recut(coordinator):
    """Sieglar und Oberlar ends 2025; from 2026 Sieglar keeps the key and Oberlar is a social
    space of its own, 60 % and 40 % of the earlier figures carried over."""
    old = Space.objects.filter(key="05382068-SR02", valid_until__isnull=True).first()
    if old is None or Space.objects.filter(key="05382068-SR04").exists():
        return 0
    municipality = old.municipality
    Space.objects.filter(pk=old.pk).update(valid_until=RECUT - datetime.timedelta(days=1))
    sieglar, _ = Space.objects.get_or_create(
        key="05382068-SR02",
        valid_from=RECUT,
        defaults={
            "municipality": municipality,
            "level": SpaceLevel.SOCIAL_SPACE,
            "name": "Sieglar",
            "geometry": box(7.10, 50.80, 7.14, 50.815),
            "status": SpaceStatus.CONFIRMED,
            "confirmed_by": coordinator,
            "created_by": coordinator,
        },
    )
    oberlar, _ = _space(
        municipality,
        "05382068-SR04",
        "Oberlar",
        (7.10, 50.815, 7.14, 50.83),
        coordinator,
        valid_from=RECUT,
    )
    SpaceSuccession.objects.get_or_create(
        earlier=old, later=sieglar, defaults={"share": Decimal("0.6")}
    )
    SpaceSuccession.objects.get_or_create(
        earlier=old, later=oberlar, defaults={"share": Decimal("0.4")}
    )
    member = User.objects.filter(
        email__endswith="@demo.mitplanen.example", is_coordinator=False
    ).first()
    _space(
        municipality,
        "05382068-SR04-Q01",
        "Oberlar-Süd",
        (7.105, 50.816, 7.135, 50.822),
        coordinator,
        parent=oberlar,
        valid_from=RECUT,
        status=SpaceStatus.PROPOSED,
        confirmed_by=None,
        created_by=member,
    )
    return 3
