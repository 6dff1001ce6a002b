"""Participants and replies as CSV and XLSX, read back cell by cell."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from participation.models import Invitation
from tests.factories import OrganisationFactory, WorkshopFactory
from workshops.models import Workshop

pytestmark = pytest.mark.django_db
CHECKED_IN = datetime.datetime(2030, 11, 20, 8, 47, tzinfo=datetime.UTC)  # 09:47 in Berlin
HEADER = [
    "Name",
    "Organisation",
    "E-Mail",
    "Antwort",
    "Auf der Warteliste",
    "Vertretung für",
    "Barrierefreiheit",
    "Verpflegungswünsche",
    "Eingecheckt",
]


def invite(workshop, email, name, **fields):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email=email,
        name=name,
        **fields,
    )


@pytest.fixture
def workshop():
    workshop = WorkshopFactory(title="Fachworkshop Kinderarmut und Teilhabe")
    awo = OrganisationFactory(name="AWO Kreisverband", kind="welfare_association")
    boss = invite(
        workshop, "chefin@awo.example", "Petra Chefin", organisation=awo, reply="declined"
    )
    invite(
        workshop,
        "vertretung@awo.example",
        "Vera Vertretung",
        organisation=awo,
        reply="accepted",
        deputy_for=boss,
        accessibility_needs="Induktionsschleife",
        dietary_wishes="vegan",
        checked_in_at=CHECKED_IN,
    )
    invite(
        workshop,
        "warte@example.org",
        "=HYPERLINK(1)",
        reply="accepted",
        waitlisted_at=CHECKED_IN,
    )
    return workshop


def url(workshop, file_format):
    return reverse("workshops:export_participants", args=[workshop.pk, file_format])


def test_csv_export_for_german_excel(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.get(url(workshop, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "fachworkshop-kinderarmut-und-teilhabe-teilnehmende-" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        HEADER,
        ["'=HYPERLINK(1)", "", "warte@example.org", "Zugesagt", "ja", "", "", "", ""],
        [
            "Petra Chefin",
            "AWO Kreisverband",
            "chefin@awo.example",
            "Abgesagt",
            "nein",
            "",
            "",
            "",
            "",
        ],
        [
            "Vera Vertretung",
            "AWO Kreisverband",
            "vertretung@awo.example",
            "Zugesagt",
            "nein",
            "Petra Chefin",
            "Induktionsschleife",
            "vegan",
            "20.11.2030 09:47",
        ],
    ]


def test_xlsx_export_cell_by_cell(client, coordinator, workshop):
    client.force_login(coordinator)
    response = client.get(url(workshop, "xlsx"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Teilnehmende"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert sheet["A1"].font.bold
    # Exactly what was typed, in a text cell: shown, never run as a formula.
    assert rows[1][:5] == ["=HYPERLINK(1)", None, "warte@example.org", "Zugesagt", "ja"]
    assert sheet["A2"].data_type == "s"
    assert rows[3] == [
        "Vera Vertretung",
        "AWO Kreisverband",
        "vertretung@awo.example",
        "Zugesagt",
        "nein",
        "Petra Chefin",
        "Induktionsschleife",
        "vegan",
        datetime.datetime(2030, 11, 20, 9, 47),
    ]
    assert len(rows) == 4


@pytest.mark.parametrize("user_fixture", ["member", "outsider", "participant"])
def test_exports_are_for_coordinators_only(request, client, workshop, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for file_format in ("csv", "xlsx"):
        assert client.get(url(workshop, file_format)).status_code == 404


def test_an_unknown_format_is_404(client, coordinator, workshop):
    client.force_login(coordinator)
    assert client.get(url(workshop, "pdf")).status_code == 404
