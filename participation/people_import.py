"""Importing people from a CSV file: every row is checked first; if any row is wrong, nothing
is imported and each row's errors are reported."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import Membership, Organisation, Person

MAX_ROWS = 5000
REQUIRED_COLUMNS = ("first_name", "last_name", "email", "organisation")
OPTIONAL_COLUMNS = ("function", "title", "phone")
HEADER_ALIASES = {
    "vorname": "first_name",
    "first name": "first_name",
    "firstname": "first_name",
    "nachname": "last_name",
    "last name": "last_name",
    "lastname": "last_name",
    "e-mail": "email",
    "e-mail-adresse": "email",
    "mail": "email",
    "organisation": "organisation",
    "organization": "organisation",
    "funktion": "function",
    "titel": "title",
    "telefon": "phone",
}


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    organisation: Organisation | None = None


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    imported: int = 0

    @property
    def rows_with_errors(self):
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self):
        return not self.file_errors and not self.rows_with_errors and bool(self.rows)


def decode(raw: bytes) -> str:
    """Excel on German Windows saves CSV as Windows-1252; everything else sends UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _canonical(header):
    key = header.strip().lower().replace("_", " ")
    key = HEADER_ALIASES.get(key, key)
    return key.replace(" ", "_")


def read_rows(raw: bytes) -> ImportReport:
    report = ImportReport()
    try:
        text = decode(raw)
    except UnicodeDecodeError:
        report.file_errors.append(_("The file is neither UTF-8 nor Windows-1252 text."))
        return report
    if not text.strip():
        report.file_errors.append(_("The file is empty."))
        return report
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    headers = [_canonical(h) for h in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        if missing:
            report.file_errors.append(_("Missing columns: %s.") % ", ".join(missing))
        if unknown:
            report.file_errors.append(_("Unknown columns: %s.") % ", ".join(unknown))
        report.file_errors.append(
            _("Expected columns: %s.") % ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        )
        return report
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(report.rows) >= MAX_ROWS:
            report.file_errors.append(_("At most %d rows can be imported at once.") % MAX_ROWS)
            break
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers)}
        row = ImportRow(line=line, values=values)
        if len(cells) > len(headers):
            row.errors.append(_("The row has more cells than the header has columns."))
        report.rows.append(row)
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file holds no rows below the header."))
    return report


def _organisations_by_key():
    by_key = {}
    for organisation in Organisation.objects.all():
        for key in (organisation.name, organisation.short_name, organisation.ags):
            if key:
                by_key.setdefault(key.strip().lower(), organisation)
    return by_key


def check_rows(report: ImportReport) -> ImportReport:
    organisations = _organisations_by_key()
    emails = [row.values["email"].lower() for row in report.rows if row.values.get("email")]
    taken = {
        p.email.lower(): p
        for p in Person.objects.filter(email__in=emails).only(
            "email", "first_name", "last_name", "title"
        )
    }
    seen = {}
    for row in report.rows:
        values = row.values
        labels = {
            "first_name": _("first name"),
            "last_name": _("last name"),
            "email": _("e-mail"),
            "organisation": _("organisation"),
        }
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                row.errors.append(_("%(field)s is missing.") % {"field": labels[column]})
        email = values.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("“%s” is not a valid e-mail address.") % values["email"])
            else:
                if email in taken:
                    row.errors.append(
                        _("The e-mail address %(email)s already belongs to %(person)s.")
                        % {"email": email, "person": taken[email]}
                    )
                elif email in seen:
                    row.errors.append(
                        _("The e-mail address %(email)s already appears in line %(line)d.")
                        % {"email": email, "line": seen[email]}
                    )
                seen.setdefault(email, row.line)
        key = values.get("organisation", "").lower()
        if key:
            row.organisation = organisations.get(key)
            if row.organisation is None:
                row.errors.append(_("Unknown organisation “%s”.") % values["organisation"])
        for column, limit in (
            ("first_name", 100),
            ("last_name", 100),
            ("function", 150),
            ("title", 40),
            ("phone", 40),
        ):
            if len(values.get(column, "")) > limit:
                row.errors.append(
                    _("%(field)s is longer than %(limit)d characters.")
                    % {"field": column, "limit": limit}
                )
    return report


def import_people(raw: bytes, *, actor, dry_run=False) -> ImportReport:
    """Check every row; import all of them (person plus membership) only if all are valid."""
    report = read_rows(raw)
    if report.file_errors:
        return report
    check_rows(report)
    if not report.is_valid or dry_run:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                _import_row(row, actor=actor)
    except ValidationError as error:
        # Someone changed the registry between the check and the import: nothing was kept.
        report.file_errors.extend(error.messages)
        report.imported = 0
        return report
    report.imported = len(report.rows)
    return report


def _import_row(row, *, actor):
    values = row.values
    person = services.save_person(
        Person(
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=values["email"].lower(),
            title=values.get("title", ""),
            phone=values.get("phone", ""),
        ),
        actor=actor,
    )
    services.save_membership(
        Membership(
            person=person, organisation=row.organisation, function=values.get("function", "")
        ),
        actor=actor,
    )
