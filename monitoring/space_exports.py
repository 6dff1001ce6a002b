"""The registry of spaces as files for other tools: GeoJSON (a FeatureCollection with each
version's key, level, municipality and validity, the form KomMonitor's importer reads) and
CSV for spreadsheets."""

import json

from django.utils.translation import gettext as _

from participation.spreadsheets import csv_bytes


def feature(space) -> dict:
    return {
        "type": "Feature",
        "id": f"{space.key}@{space.valid_from.isoformat()}",
        "geometry": space.geometry,
        "properties": {
            "key": space.key,
            "name": space.name,
            "level": space.level,
            "municipality_ags": space.municipality.ags,
            "municipality": space.municipality.name,
            "parent_key": space.parent.key if space.parent_id else None,
            "valid_from": space.valid_from.isoformat(),
            "valid_until": space.valid_until.isoformat() if space.valid_until else None,
            "status": space.status,
            "street_list_key": space.street_list_key,
        },
    }


def geojson_bytes(spaces) -> bytes:
    collection = {"type": "FeatureCollection", "features": [feature(space) for space in spaces]}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode()


def csv_rows(spaces):
    yield [
        _("Key"),
        _("Name"),
        _("Level"),
        _("Municipality (AGS)"),
        _("Municipality"),
        _("Social space (key)"),
        _("Valid from"),
        _("Valid until"),
        _("Status"),
        _("Street list key"),
        _("Boundary"),
    ]
    for space in spaces:
        yield [
            space.key,
            space.name,
            space.get_level_display(),
            space.municipality.ags,
            space.municipality.name,
            space.parent.key if space.parent_id else "",
            space.valid_from,
            space.valid_until or "",
            space.get_status_display(),
            space.street_list_key,
            _("yes") if space.geometry else _("no"),
        ]


def spaces_csv(spaces) -> bytes:
    return csv_bytes(csv_rows(spaces))
