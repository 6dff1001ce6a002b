"""A delivery as a file: the template (CSV for German Excel, XLSX) lists every asked cell with
its current figure and revision; the filled-in file comes back and is checked row by row
first: one wrong row (an unknown column or space, a figure of the wrong type or out of range,
a figure changed by someone else since) refuses the whole file, each error named by row and
column, and nothing is stored. A good file is stored in one go with the engine's history; a
locked delivery refuses it with the reason; no one else downloads or uploads it."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from monitoring import delivery_files, grid
from monitoring.models import Delivery, Value, ValueChange
from monitoring.values import Entry, save_cell
from tests.factories import member_of

pytestmark = pytest.mark.django_db

HEADER = [
    "AGS",
    "Raumschlüssel",
    "Raum",
    "Indikator",
    "Indikatorname",
    "Einheit",
    "Pflichtangabe",
    "Wert",
    "Kommentar",
    "Stand",
]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def delivery(delivery_round, own_org):
    return Delivery.objects.get(round=delivery_round, organisation=own_org)


def read_csv(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def as_csv(rows, delimiter=";") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def set_value(rows, space_key, code, value, comment=None):
    """Fill in the row of (space key, indicator code) in template rows (the header first)."""
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Raumschlüssel")] == space_key and row[3] == code:
            row[header.index("Wert")] = value
            if comment is not None:
                row[header.index("Kommentar")] = comment
            return rows
    raise AssertionError(f"no row for {space_key} {code}")


def upload(client, delivery, name, content):
    return client.post(
        f"/monitoring/deliveries/{delivery.pk}/upload/",
        {"file": SimpleUploadedFile(name, content)},
    )


def rejected(delivery, name, content, actor):
    with pytest.raises(delivery_files.FileRejected) as caught:
        delivery_files.import_file(delivery, SimpleUploadedFile(name, content), actor=actor)
    return [(error.row, error.column) for error in caught.value.errors], caught.value


def store(delivery, member, space, code, number, *, revision=0):
    the_grid = grid.build(delivery)
    cell = next(
        c for c in the_grid.cells.values() if c.row.space == space and c.indicator.code == code
    )
    return save_cell(delivery, cell, Entry(number=number), actor=member, base_revision=revision)


# --- the template -------------------------------------------------------------------------------


def test_the_template_lists_every_asked_cell_with_its_figure_and_revision(
    delivery, member, coordinator, neighbourhood, social_space
):
    store(delivery, member, neighbourhood, "EW", "1234")
    response = signed_in(member).get(f"/monitoring/deliveries/{delivery.pk}/template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response.content)
    assert rows[0] == HEADER
    by_place = {(row[1], row[3]): row for row in rows[1:]}
    # The municipality's total (optional), the social space's share, the neighbourhood's count.
    assert set(by_place) == {("", "EW"), (social_space.key, "U18"), (neighbourhood.key, "EW")}
    assert by_place[("", "EW")][0] == "05382060"
    assert by_place[("", "EW")][2] == "Stadt Siegburg (gesamt)"
    assert by_place[("", "EW")][6] == "nein"
    assert by_place[(neighbourhood.key, "EW")][2:] == [
        "Altstadt",
        "EW",
        "Einwohner",
        "Personen",
        "ja",
        "1234",
        "",
        "1",
    ]
    assert by_place[(social_space.key, "U18")][7:] == ["", "", "0"]

    xlsx = signed_in(coordinator).get(f"/monitoring/deliveries/{delivery.pk}/template.xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    assert len(values) == 4
    altstadt = next(row for row in values if row[1] == neighbourhood.key)
    assert altstadt[7] == 1234 and altstadt[9] == 1


def test_the_delivery_page_offers_the_template_and_the_upload(delivery, member, coordinator):
    page = signed_in(member).get(delivery.get_absolute_url()).content.decode()
    assert f"/monitoring/deliveries/{delivery.pk}/template.xlsx" in page
    assert f"/monitoring/deliveries/{delivery.pk}/template.csv" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'for="id_file"' in page and 'type="file"' in page
    # The county reads and downloads, but does not upload for the supplier.
    page = signed_in(coordinator).get(delivery.get_absolute_url()).content.decode()
    assert "template.xlsx" in page and "/upload/" not in page


# --- uploading ----------------------------------------------------------------------------------


def test_a_filled_in_csv_template_is_stored_with_history(
    delivery, member, neighbourhood, social_space
):
    client = signed_in(member)
    rows = read_csv(client.get(f"/monitoring/deliveries/{delivery.pk}/template.csv").content)
    set_value(rows, neighbourhood.key, "EW", "1.234")
    set_value(rows, social_space.key, "U18", "17,5", comment="=Schätzung")
    set_value(rows, "", "EW", "1234")

    response = upload(client, delivery, "lieferung.csv", as_csv(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "3 Zahlen geändert, 0 unverändert" in page

    assert Value.objects.get(space=neighbourhood).number == 1234
    share = Value.objects.get(space=social_space)
    assert share.number == 17.5 and share.comment == "=Schätzung"
    assert Value.objects.get(space=None).number == 1234
    change = ValueChange.objects.get(answer__space=neighbourhood)
    assert change.changed_by == member and change.revision == 1
    assert change.new_value == {"number": "1234", "comment": ""}

    # The template now holds the figures; the formula-like comment comes out defused, and
    # the same file uploaded again changes nothing.
    again = client.get(f"/monitoring/deliveries/{delivery.pk}/template.csv").content
    assert "'=Schätzung" in again.decode("utf-8-sig")
    result = delivery_files.import_file(
        delivery, SimpleUploadedFile("lieferung.csv", again), actor=member
    )
    assert (result.changed, result.unchanged) == (0, 3)
    assert ValueChange.objects.count() == 3


def test_a_filled_in_xlsx_template_is_stored(delivery, member, neighbourhood, social_space):
    client = signed_in(member)
    content = client.get(f"/monitoring/deliveries/{delivery.pk}/template.xlsx").content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == neighbourhood.key:
            row[7].value = 980
        elif row[1].value == social_space.key:
            row[7].value = 12.25
            row[8].value = "Schätzung"
    out = io.BytesIO()
    workbook.save(out)

    response = upload(client, delivery, "Lieferung.XLSX", out.getvalue())
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Value.objects.get(space=neighbourhood).number == 980
    share = Value.objects.get(space=social_space)
    assert share.number == 12.25 and share.comment == "Schätzung"
    assert not Value.objects.filter(space=None).exists()  # left empty


def test_a_comma_separated_file_with_machine_keys_is_read(delivery, member, neighbourhood):
    rows = [
        ["ags", "space_key", "indicator", "value"],
        ["5382060", neighbourhood.key, "ew", "17"],  # Excel dropped the AGS's leading zero
    ]
    result = delivery_files.import_file(
        delivery, SimpleUploadedFile("daten.csv", as_csv(rows, ",")), actor=member
    )
    assert (result.changed, result.unchanged) == (1, 0)
    assert Value.objects.get(space=neighbourhood).number == 17


def test_the_type_is_judged_by_content(delivery, member, neighbourhood):
    rows = [HEADER[:2] + ["Indikator", "Wert"], ["05382060", neighbourhood.key, "EW", 5]]
    workbook = as_xlsx(rows)
    errors, _ = rejected(delivery, "daten.csv", workbook, member)
    assert errors == [(None, None)]
    # Without an extension the content decides.
    result = delivery_files.import_file(
        delivery, SimpleUploadedFile("daten", workbook), actor=member
    )
    assert result.changed == 1
    errors, error = rejected(delivery, "daten.pdf", workbook, member)
    assert "CSV, XLSX" in error.messages[0]


# --- bad files: every error named, nothing stored ---------------------------------------------


def _template(delivery, member):
    return read_csv(delivery_files.template_csv(delivery))


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_each_wrong_row_is_named_by_row_and_column_and_nothing_is_stored(
    delivery, member, neighbourhood, social_space, file_type
):
    rows = _template(delivery, member)
    set_value(rows, "", "EW", "1000")  # fine on its own
    set_value(rows, neighbourhood.key, "EW", "300000")  # above the plausible maximum
    set_value(rows, social_space.key, "U18", "viele")  # not a number
    line = {(row[1], row[3]): number for number, row in enumerate(rows, start=1)}
    rows.append(["05382060", "05382060-SR99", "Nirgendwo", "EW", "", "", "", "4", "", "0"])
    rows.append(["05382060", neighbourhood.key, "", "U18", "", "", "", "4", "", "0"])
    rows.append(["05382060", neighbourhood.key, "", "XYZ", "", "", "", "4", "", "0"])
    rows.append(["05382060", neighbourhood.key, "", "EW", "", "", "", "4", "x" * 2001, "0"])
    rows.append(["05382060", social_space.key, "", "U18", "", "", "", "4", "", "eins"])
    content = as_csv(rows) if file_type == "csv" else as_xlsx(rows)

    errors, error = rejected(delivery, f"lieferung.{file_type}", content, member)
    assert (line[(neighbourhood.key, "EW")], "Wert") in errors
    assert (line[(social_space.key, "U18")], "Wert") in errors
    assert (5, "Raumschlüssel") in errors
    assert (6, "Indikator") in errors  # U18 is not asked for a neighbourhood
    assert (7, "Indikator") in errors  # no such indicator
    assert (8, "Indikator") in errors  # the neighbourhood's EW a second time
    assert (8, "Kommentar") in errors
    assert (9, "Stand") in errors
    assert (9, "Indikator") in errors
    assert not any(row == line[("", "EW")] for row, _column in errors)
    text = "\n".join(error.messages)
    assert (
        f"Zeile {line[(neighbourhood.key, 'EW')]}, Spalte „Wert“: Plausible Werte für "
        "„Einwohner“ liegen zwischen 0 und 200000." in text
    )
    assert "„viele“ ist keine Zahl." in text
    assert not Value.objects.exists() and not ValueChange.objects.exists()


def test_the_page_lists_the_errors_of_a_refused_file(delivery, member, neighbourhood):
    rows = _template(delivery, member)
    rows[0].append("Farbe")
    set_value(rows, neighbourhood.key, "EW", "viele")
    response = upload(signed_in(member), delivery, "lieferung.csv", as_csv(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Datei wurde nicht eingelesen; nichts wurde gespeichert" in page
    assert '<td class="kern-table__cell">Farbe</td>' in page
    assert "Unbekannte Spalte." in page
    assert not Value.objects.exists()

    del rows[0][-1]
    response = upload(signed_in(member), delivery, "lieferung.csv", as_csv(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "„viele“ ist keine Zahl." in page and '<td class="kern-table__cell">Wert</td>' in page


def test_a_missing_column_and_an_unknown_space_are_named(delivery, member, neighbourhood):
    rows = [["AGS", "Indikator", "Wert"], ["05382060", "EW", "1"]]
    errors, error = rejected(delivery, "a.csv", as_csv(rows), member)
    assert errors == [(1, "Raumschlüssel")]
    assert "Diese Spalte fehlt." in error.messages[0]

    rows = [["AGS", "Raumschlüssel", "Indikator", "Wert"], ["05382036", "", "EW", "1"]]
    errors, _ = rejected(delivery, "a.csv", as_csv(rows), member)
    assert errors == [(2, "AGS")]
    assert not Value.objects.exists()


# --- the conflict rule, the lock, access ---------------------------------------------------------


def test_a_figure_changed_since_the_template_was_made_is_a_conflict(
    delivery, member, own_org, neighbourhood, social_space
):
    rows = _template(delivery, member)  # everything empty, at Stand 0
    colleague = member_of(own_org)
    store(delivery, colleague, neighbourhood, "EW", "1000")

    set_value(rows, neighbourhood.key, "EW", "1200")
    set_value(rows, social_space.key, "U18", "20")
    errors, error = rejected(delivery, "lieferung.csv", as_csv(rows), member)
    line = next(n for n, row in enumerate(rows, start=1) if row[1] == neighbourhood.key)
    assert errors == [(line, "Wert")]
    assert "seit die Vorlage erstellt wurde" in error.messages[0]
    assert Value.objects.get(space=neighbourhood).number == 1000
    assert not Value.objects.filter(space=social_space).exists()

    # A row left as it was in the template keeps the colleague's newer figure.
    set_value(rows, neighbourhood.key, "EW", "")
    result = delivery_files.import_file(
        delivery, SimpleUploadedFile("lieferung.csv", as_csv(rows)), actor=member
    )
    assert (result.changed, result.unchanged) == (1, 2)
    assert Value.objects.get(space=neighbourhood).number == 1000
    assert Value.objects.get(space=social_space).number == 20

    # With the current template the figure is overwritten.
    rows = _template(delivery, member)
    set_value(rows, neighbourhood.key, "EW", "1200")
    delivery_files.import_file(
        delivery, SimpleUploadedFile("lieferung.csv", as_csv(rows)), actor=member
    )
    assert Value.objects.get(space=neighbourhood).number == 1200


def test_an_upload_after_the_window_is_refused_with_the_reason(
    delivery_round, delivery, member, neighbourhood
):
    rows = _template(delivery, member)
    set_value(rows, neighbourhood.key, "EW", "5")
    past = timezone.localdate() - datetime.timedelta(days=1)
    type(delivery_round).objects.filter(pk=delivery_round.pk).update(
        opens_on=past - datetime.timedelta(days=20), closes_on=past
    )
    delivery.refresh_from_db()
    response = upload(signed_in(member), delivery, "lieferung.csv", as_csv(rows))
    assert response.status_code == 400
    assert "Das Lieferfenster endete am" in response.content.decode()
    assert not Value.objects.exists()


def test_another_municipality_neither_downloads_nor_uploads(
    delivery, member, outsider, neighbourhood
):
    content = delivery_files.template_csv(delivery)
    client = signed_in(outsider)
    for name in ("template.csv", "template.xlsx"):
        assert client.get(f"/monitoring/deliveries/{delivery.pk}/{name}").status_code == 404
    assert upload(client, delivery, "lieferung.csv", content).status_code == 404
    assert signed_in(member).get(f"/monitoring/deliveries/{delivery.pk}/upload/").status_code == 405


def test_the_template_and_the_upload_over_the_api(delivery, member, outsider, neighbourhood):
    client = APIClient()
    client.force_authenticate(member)
    template = client.get(f"/api/v1/deliveries/{delivery.pk}/template/?file_type=csv")
    assert template.status_code == 200
    rows = read_csv(template.content)
    value = rows[0].index("Wert")
    place = next(i for i, row in enumerate(rows) if neighbourhood.key in row)

    rows[place][value] = "viele"
    upload = SimpleUploadedFile("lieferung.csv", as_csv(rows), content_type="text/csv")
    refused = client.post(f"/api/v1/deliveries/{delivery.pk}/upload/", {"file": upload})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"row": place + 1, "column": "Wert", "message": "„viele“ ist keine Zahl."}
    ]
    assert not Value.objects.exists()

    rows[place][value] = "1.234"
    upload = SimpleUploadedFile("lieferung.csv", as_csv(rows), content_type="text/csv")
    imported = client.post(f"/api/v1/deliveries/{delivery.pk}/upload/", {"file": upload})
    assert imported.json() == {"changed": 1, "unchanged": 2}
    assert Value.objects.get(space=neighbourhood).number == 1234

    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/deliveries/{delivery.pk}/template/").status_code == 404
    upload = SimpleUploadedFile("lieferung.csv", as_csv(rows), content_type="text/csv")
    assert (
        client.post(f"/api/v1/deliveries/{delivery.pk}/upload/", {"file": upload}).status_code
        == 404
    )
