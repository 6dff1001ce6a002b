"""The records of processing activities (Art. 30 GDPR) for the data protection officer,
built from the apps' declarations (`inventory.py`): one row per kind of personal record
with its category, fields, purpose, legal basis, who can see it and how long it is kept
(the period of `retention.PERIODS`, with the installation's own `RETENTION_DAYS`)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..spreadsheets import csv_bytes, xlsx_bytes, xlsx_cell
from . import inventory


@dataclass(frozen=True)
class ProcessingRecord:
    key: str
    category: str
    record: str
    fields: str
    purpose: str
    legal_basis: str
    visible_to: str
    retention: str
    retention_key: str
    kept_days: int | None


def _kept(period) -> str:
    days = period.kept_days
    if days is None:
        return f"{period.label}: {period.runs_from}"
    # The period's own wording goes on from the number: "30" + "days after the event ends".
    return f"{period.label}: {days} {period.runs_from}"


def _field_names(declaration) -> str:
    meta = declaration.model_class._meta
    names = [*declaration.fields, *declaration.withheld]
    return ", ".join(str(meta.get_field(name).verbose_name) for name in names)


def processing_records() -> list[ProcessingRecord]:
    """Every declaration as a row, ordered by category, then record."""
    rows = [
        ProcessingRecord(
            key=declaration.key,
            category=str(declaration.category),
            record=str(declaration.model_class._meta.verbose_name_plural),
            fields=_field_names(declaration),
            purpose=str(declaration.purpose),
            legal_basis=str(declaration.legal_basis),
            visible_to=str(declaration.visible_to),
            retention=_kept(declaration.period),
            retention_key=declaration.retention,
            kept_days=declaration.period.kept_days,
        )
        for declaration in inventory.declarations()
    ]
    return sorted(rows, key=lambda row: (row.category.casefold(), row.record.casefold(), row.key))


def header() -> list[str]:
    return [
        _("Category"),
        _("Records"),
        _("Personal data"),
        _("Purpose"),
        _("Legal basis"),
        _("Who can see it"),
        _("Retention"),
    ]


def table(records) -> list[list[str]]:
    return [
        [
            row.category,
            row.record,
            row.fields,
            row.purpose,
            row.legal_basis,
            row.visible_to,
            row.retention,
        ]
        for row in records
    ]


def as_csv(records) -> bytes:
    return csv_bytes([header(), *table(records)])


def as_xlsx(records, *, created) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Records of processing")[:31]
    sheet.append([xlsx_cell(sheet, title) for title in header()])
    for row in table(records):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    return xlsx_bytes(workbook, title=_("Records of processing activities"), created=created)
