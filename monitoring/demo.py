"""Demo data for the social monitoring, called by `manage.py seed_demo` after the registry is
seeded: social spaces and neighbourhoods of Siegburg, Troisdorf and Much, confirmed by the
county from 1 January 2024. Troisdorf (the demo member's municipality) re-cut one social
space on 1 January 2026, its figures carried over in shares, and has proposed a new
neighbourhood the county has not confirmed yet. The boundaries are rectangles near the real
places, fictional as the brief allows. Idempotent: a space key that exists is left alone."""

import datetime
from decimal import Decimal

from participation.models import Organisation, User

from . import demo_rounds
from .models import Indicator, IndicatorSet, Space, SpaceLevel, SpaceStatus, SpaceSuccession

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
    stdout.write(f"seed_demo: {_indicators(coordinator)} indicators created.")
    demo_rounds.seed(stdout=stdout, coordinator=coordinator)


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


# code, name, definition, unit, value type, source, level, supplier, min, max, suppress below
INDICATORS = [
    (
        "EW",
        "Einwohnerinnen und Einwohner",
        "Personen mit Hauptwohnsitz am Stichtag.",
        "Personen",
        "count",
        "Melderegister der Kommune",
        "neighbourhood",
        "municipality",
        0,
        200000,
        None,
    ),
    (
        "U18-ANT",
        "Anteil unter 18-Jährige",
        "Anteil der unter 18-Jährigen an allen Einwohnern.",
        "%",
        "percentage",
        "Melderegister der Kommune",
        "neighbourhood",
        "municipality",
        0,
        100,
        None,
    ),
    (
        "UE75-ANT",
        "Anteil 75 Jahre und älter",
        "Anteil der 75-Jährigen und Älteren.",
        "%",
        "percentage",
        "Melderegister der Kommune",
        "neighbourhood",
        "municipality",
        0,
        100,
        None,
    ),
    (
        "NDS-ANT",
        "Anteil ohne deutsche Staatsangehörigkeit",
        "Anteil der Einwohner ohne deutsche Staatsangehörigkeit.",
        "%",
        "percentage",
        "Melderegister der Kommune",
        "neighbourhood",
        "municipality",
        0,
        100,
        None,
    ),
    (
        "WAN-SALDO",
        "Wanderungssaldo je 1.000 Einwohner",
        "Zuzüge minus Fortzüge im Jahr je 1.000 Einwohner.",
        "je 1.000",
        "decimal",
        "Melderegister der Kommune",
        "neighbourhood",
        "municipality",
        -500,
        500,
        None,
    ),
    (
        "SGB2-QUOTE",
        "SGB-II-Quote",
        "Leistungsberechtigte nach SGB II je 100 Einwohner unter 65.",
        "%",
        "percentage",
        "Statistik des Jobcenters",
        "neighbourhood",
        "jobcenter",
        0,
        100,
        None,
    ),
    (
        "SGB2-U15",
        "Leistungsberechtigte unter 15 Jahren",
        "Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren (Kinderarmut).",
        "Personen",
        "count",
        "Statistik des Jobcenters",
        "neighbourhood",
        "jobcenter",
        0,
        20000,
        3,
    ),
    (
        "ALO-SGB2",
        "Arbeitslose im SGB II",
        "Arbeitslose im Rechtskreis SGB II am Stichtag.",
        "Personen",
        "count",
        "Statistik des Jobcenters",
        "social_space",
        "jobcenter",
        0,
        20000,
        3,
    ),
    (
        "GRUSI",
        "Grundsicherung im Alter je 1.000",
        "Empfänger von Grundsicherung im Alter je 1.000 Einwohner ab 65.",
        "je 1.000",
        "decimal",
        "Sozialamt des Kreises",
        "social_space",
        "county_office",
        0,
        1000,
        None,
    ),
    (
        "WOGELD",
        "Wohngeldhaushalte je 1.000 Haushalte",
        "Haushalte mit Wohngeld je 1.000 Haushalte.",
        "je 1.000",
        "decimal",
        "Wohngeldstelle der Kommune",
        "social_space",
        "municipality",
        0,
        1000,
        None,
    ),
    (
        "U3-BETR",
        "Betreuungsquote unter 3 Jahren",
        "Anteil der Kinder unter 3 Jahren in Kita oder Tagespflege.",
        "%",
        "percentage",
        "Jugendamt",
        "social_space",
        "county_office",
        0,
        100,
        None,
    ),
    (
        "SEU-SPRACH",
        "Sprachförderbedarf bei der Einschulung",
        "Anteil der untersuchten Kinder mit Sprachförderbedarf (Schuleingangsuntersuchung).",
        "%",
        "percentage",
        "Gesundheitsamt des Kreises",
        "social_space",
        "county_office",
        0,
        100,
        None,
    ),
    (
        "HZE",
        "Hilfen zur Erziehung je 1.000 unter 21",
        "Laufende Hilfen zur Erziehung je 1.000 Einwohner unter 21.",
        "je 1.000",
        "decimal",
        "Jugendamt",
        "social_space",
        "county_office",
        0,
        1000,
        None,
    ),
    (
        "SCHULD-BER",
        "Fälle der Schuldnerberatung",
        "Beratungsfälle der Schuldner- und Insolvenzberatung im Jahr.",
        "Fälle",
        "count",
        "Verbände der Freien Wohlfahrtspflege",
        "municipality",
        "welfare_association",
        0,
        10000,
        5,
    ),
]
SET_NAME = "Quartiersprofil (14 Indikatoren)"


def _indicators(coordinator):
    created = 0
    chosen = []
    for code, name, definition, unit, kind, source, level, supplier, low, high, below in INDICATORS:
        indicator, made = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "unit": unit,
                "value_type": kind,
                "source": source,
                "spatial_level": level,
                "supplier_kind": supplier,
                "minimum": low,
                "maximum": high,
                "suppress_below": below,
                "created_by": coordinator,
            },
        )
        created += made
        chosen.append(indicator)
    indicator_set, made = IndicatorSet.objects.get_or_create(
        name=SET_NAME,
        defaults={
            "description": "Die Indikatoren der Quartiersprofile, jährlich zum Stichtag 31.12.",
            "created_by": coordinator,
        },
    )
    if made:
        indicator_set.indicators.set(chosen)
    return created
