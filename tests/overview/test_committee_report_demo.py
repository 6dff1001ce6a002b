"""The committee report on the demo data: for the page's suggested period (the year so far)
it shows the demo's real figures: the steering group's meetings with their attendance, its
decisions with their numbers, the overdue task, the workshop held with its live session, and
the survey with its response rate."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from overview import committee
from overview.report_views import default_period

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def test_committee_report_for_the_demo_period_shows_real_figures():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        start, end = default_period(timezone.localdate())
        content = committee.report_content(start, end)
        data = committee.build_pdf(content)
        call_command("seed_demo", stdout=io.StringIO())  # idempotent: the same report again
        assert committee.build_pdf(committee.report_content(start, end)) == data
    parts = {part.key: part for part in content.parts}
    meetings = {table.sheet: table for table in parts["meetings"].tables}
    assert len(meetings["Sitzungen"].rows) >= 4  # January to October
    assert sum(row[3] for row in meetings["Sitzungen"].rows) > 0  # someone was present
    assert [row[0] for row in meetings["Beschlüsse"].rows] == ["LG-2026-01", "LG-2026-02"]
    assert any(row[-1] == "ja" for row in meetings["Aufgaben"].rows)  # an overdue task
    workshops = {table.sheet: table for table in parts["workshops"].tables}
    (held,) = workshops["Workshops"].rows
    assert held[1] == "Auftaktwerkstatt Sozialbericht 2027"
    assert held[-1] == 5  # five people took part in the live session
    assert [row[1:] for row in workshops["Live-Sitzungen"].rows] == [
        ["Was brauchen Familien vor Ort?", "Kartenabfrage", 5],
        ["Fragen an die Sozialplanung", "Fragen", 2],
    ]
    surveys = {table.sheet: table for table in parts["surveys"].tables}
    assert surveys["Abfragen"].rows
    assert surveys["Kommunen"].rows
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "LG-2026-01" in text
    assert f"Im Zeitraum laufende Abfragen: {len(surveys['Abfragen'].rows)}." in text
