"""The decision register across bodies: body filter and text search, downloads as CSV and
XLSX (a formula in a decision's text stays text), on the page and over the API, with the
pages' visibility: members see their bodies' decisions only, a body they do not sit in is
404."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from meetings import services
from meetings.models import Decision

from .conftest import make_series
from .test_api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(series, other_body, coordinator):
    meeting = series.meetings.order_by("start").first()
    ours = [
        services.record_decision(
            Decision(
                body=series.body,
                meeting=meeting,
                title=title,
                text=text,
                decided_on=meeting.start.date(),
            ),
            actor=coordinator,
        )
        for title, text in [
            ("Sozialbericht 2027", "Der Bericht wird beauftragt."),
            ("Kita-Bedarfsplanung", '=HYPERLINK("http://evil")'),
        ]
    ]
    other_meeting = make_series(other_body, actor=coordinator, code="ARGE").meetings.first()
    theirs = services.record_decision(
        Decision(
            body=other_body,
            meeting=other_meeting,
            title="Sozialbericht der ARGE",
            text="Geheim für Außenstehende.",
            decided_on=other_meeting.start.date(),
        ),
        actor=coordinator,
    )
    return ours, theirs


def test_coordinator_searches_across_bodies(decisions, client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("meetings:decision_search"), {"q": "sozialbericht"}).content
    page = page.decode()
    assert "LG-2027-01" in page and "ARGE-2027-01" in page
    assert "Kita-Bedarfsplanung" not in page
    ours, theirs = decisions
    page = client.get(
        reverse("meetings:decision_search"), {"body": theirs.body_id}
    ).content.decode()
    assert "ARGE-2027-01" in page and "LG-2027-01" not in page


def test_member_sees_only_their_bodies(decisions, client, member):
    ours, theirs = decisions
    client.force_login(member)
    page = client.get(reverse("meetings:decision_search")).content.decode()
    assert "LG-2027-02" in page and "Sozialbericht der ARGE" not in page
    response = client.get(reverse("meetings:decision_search"), {"body": theirs.body_id})
    assert response.status_code == 404
    assert client.get(reverse("meetings:decision_search"), {"body": "x"}).status_code == 404
    page = client.get(reverse("meetings:decision_search"), {"q": "nichts dergleichen"})
    assert "LG-2027" not in page.content.decode()


def test_csv_download_defuses_formulas_and_is_private(decisions, client, member):
    client.force_login(member)
    response = client.get(reverse("meetings:decision_search"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Beschlussnummer;Gremium")
    assert "LG-2027-01;Lenkungsgruppe Sozialplanung" in text
    assert "'=HYPERLINK" in text
    assert "ARGE" not in text


def test_xlsx_download_keeps_text_as_text(decisions, client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("meetings:decision_search"), {"format": "xlsx", "q": "kita"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Beschlussnummer"
    assert rows[1][0] == "LG-2027-02"
    assert rows[1][4] == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=5).data_type == "s"
    assert len(rows) == 2


def test_api_export_follows_the_same_visibility(decisions, member, outsider):
    ours, theirs = decisions
    url = "/api/v1/decisions/export/"
    response = api(member).get(url, {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "LG-2027-01" in text and "ARGE" not in text
    response = api(member).get(url, {"format": "xlsx", "q": "Sozialbericht"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["LG-2027-01"]
    assert api(member).get(url, {"format": "csv", "body": theirs.body_id}).status_code == 404
    assert api(outsider).get(url, {"format": "csv", "body": ours[0].body_id}).status_code == 404
    assert APIClient().get(url, {"format": "csv"}).status_code in (401, 403)
