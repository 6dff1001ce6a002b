"""Results and exports of the delivery rounds: the files read back hold exactly the approved
values (a suppressed one never as a number, an unapproved one not at all), a re-cut space
reaches its earlier version's figures through the succession in the results table, only
coordinators take the files, and the results page takes a fixed number of queries however
many spaces and rounds there are."""

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring import results, spaces, value_exports
from monitoring.models import (
    Delivery,
    Indicator,
    Review,
    Round,
    Space,
    SpaceLevel,
    SpaceSuccession,
    Value,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

EARLIER = datetime.date(2025, 12, 31)
LATER = datetime.date(2026, 6, 30)
FORMULA = '=HYPERLINK("http://evil.example","x")'


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def make_round(indicator_set, day, name=None):
    return Round.objects.create(
        name=name or f"Stichtag {day}",
        indicator_set=indicator_set,
        reference_date=day,
        opens_on=day,
        closes_on=day + datetime.timedelta(days=30),
    )


def deliver(round_, organisation, figures, *, approved=True):
    """A delivery of `organisation` with {(indicator, municipality, space or None): number}."""
    delivery = Delivery.objects.create(
        round=round_,
        organisation=organisation,
        review=Review.APPROVED if approved else Review.PENDING,
    )
    for (indicator, municipality, space), number in figures.items():
        Value.objects.create(
            response=delivery,
            indicator=indicator,
            municipality=municipality,
            space=space,
            value={"number": str(number), "comment": ""},
        )
    return delivery


def confirmed(coordinator, **fields):
    return spaces.confirm_space(
        spaces.save_space(Space(**fields), actor=coordinator), actor=coordinator
    )


@pytest.fixture
def scene(coordinator, own_org, indicator_set, social_space, neighbourhood):
    """Siegburg's neighbourhood Q01 and Q02, Q02 cut anew on 1 January 2026 (the old version
    carries over whole); two rounds; a suppressed count; a pending delivery of 987654."""
    residents = Indicator.objects.get(code="EW")
    children = Indicator.objects.get(code="SGB2-U15")
    old_q02 = confirmed(
        coordinator,
        municipality=own_org,
        level=SpaceLevel.NEIGHBOURHOOD,
        parent=social_space,
        key=f"{own_org.ags}-SR01-Q02",
        name=FORMULA,
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )
    new_q02 = confirmed(
        coordinator,
        municipality=own_org,
        level=SpaceLevel.NEIGHBOURHOOD,
        parent=social_space,
        key=f"{own_org.ags}-SR01-Q02",
        name="Kaldauen (neu)",
        valid_from=datetime.date(2026, 1, 1),
    )
    SpaceSuccession.objects.create(earlier=old_q02, later=new_q02, share=Decimal("1"))
    jobcenter = OrganisationFactory(name="Jobcenter", kind="jobcenter", ags=None)
    earlier = make_round(indicator_set, EARLIER)
    later = make_round(indicator_set, LATER)
    deliver(
        earlier,
        own_org,
        {
            (residents, own_org, None): 300,
            (residents, own_org, neighbourhood): 100,
            (residents, own_org, old_q02): 200,
        },
    )
    deliver(
        earlier,
        jobcenter,
        {(children, own_org, neighbourhood): 2, (children, own_org, old_q02): 7},
    )
    deliver(
        later,
        own_org,
        {(residents, own_org, neighbourhood): 110, (residents, own_org, new_q02): 215},
    )
    deliver(later, jobcenter, {(children, own_org, neighbourhood): 987654}, approved=False)
    return {
        "residents": residents,
        "children": children,
        "old_q02": old_q02,
        "new_q02": new_q02,
        "earlier": earlier,
        "later": later,
        "q01": neighbourhood,
    }


# --- the values and the files ---------------------------------------------------------------


def test_approved_values_are_those_of_approved_deliveries_only(scene):
    found = {
        (
            v.indicator_code,
            v.space_key or v.ags,
            v.valid_from,
            v.reference_date,
            v.number,
            v.suppressed,
        )
        for v in value_exports.approved_values()
    }
    q01, q02 = scene["q01"].key, scene["old_q02"].key
    assert ("SGB2-U15", q01, datetime.date(2024, 1, 1), EARLIER, Decimal(2), True) in found
    assert ("EW", q02, datetime.date(2026, 1, 1), LATER, Decimal(215), False) in found
    assert ("EW", "05382060", None, EARLIER, Decimal(300), False) in found
    assert len(found) == 7
    assert all(v.number != 987654 for v in value_exports.approved_values())
    only = list(
        value_exports.approved_values(rounds=[scene["later"]], indicators=[scene["residents"]])
    )
    assert {v.number for v in only} == {Decimal(110), Decimal(215)}


def read_csv(content):
    return list(csv.DictReader(io.StringIO(content.decode()), delimiter=";"))


def test_kommonitor_csv_read_back(scene):
    stream = io.BytesIO()
    value_exports.write_kommonitor_csv(stream, indicator=scene["residents"])
    rows = read_csv(stream.getvalue())
    assert list(rows[0])[:6] == ["ID", "NAME", "validStartDate", "validEndDate", "AGS", "LEVEL"]
    assert "DATE_2025-12-31" in rows[0] and "DATE_2026-06-30" in rows[0]
    by_unit = {(row["ID"], row["validStartDate"]): row for row in rows}
    q01 = by_unit[(scene["q01"].key, "2024-01-01")]
    assert (q01["DATE_2025-12-31"], q01["DATE_2026-06-30"]) == ("100", "110")
    old = by_unit[(scene["old_q02"].key, "2024-01-01")]
    assert old["validEndDate"] == "2025-12-31"
    assert (old["DATE_2025-12-31"], old["DATE_2026-06-30"]) == ("200", "")
    assert old["NAME"] == "'" + FORMULA  # defused
    new = by_unit[(scene["new_q02"].key, "2026-01-01")]
    assert (new["DATE_2025-12-31"], new["DATE_2026-06-30"]) == ("", "215")
    total = by_unit[("05382060", "")]
    assert total["NAME"] == "Stadt Siegburg" and total["DATE_2025-12-31"] == "300"
    assert len(rows) == 4


def test_kommonitor_csv_leaves_suppressed_and_unapproved_values_out(scene):
    stream = io.BytesIO()
    value_exports.write_kommonitor_csv(stream, indicator=scene["children"])
    content = stream.getvalue()
    rows = {row["ID"]: row for row in read_csv(content)}
    q01 = rows[scene["q01"].key]
    assert q01["DATE_2025-12-31"] == "" and q01["SUPPRESSED"] == "2025-12-31"
    assert rows[scene["old_q02"].key]["DATE_2025-12-31"] == "7"
    assert "DATE_2026-06-30" not in q01  # nothing approved on that date
    assert b"987654" not in content


def test_kommonitor_geojson_read_back(scene):
    stream = io.BytesIO()
    value_exports.write_kommonitor_geojson(stream, indicator=scene["children"])
    collection = json.loads(stream.getvalue())
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["ID"]: f for f in collection["features"]}
    q01 = features[scene["q01"].key]
    assert q01["properties"]["DATE_2025-12-31"] is None
    assert q01["properties"]["SUPPRESSED"] == ["2025-12-31"]
    assert q01["geometry"]["type"] == "Polygon"
    old = features[scene["old_q02"].key]["properties"]
    assert old["DATE_2025-12-31"] == 7 and old["validEndDate"] == "2025-12-31"
    assert b"987654" not in stream.getvalue()

    stream = io.BytesIO()
    value_exports.write_kommonitor_geojson(stream, indicator=scene["residents"])
    features = json.loads(stream.getvalue())["features"]
    assert {
        (
            f["properties"]["ID"],
            f["properties"]["DATE_2025-12-31"],
            f["properties"]["DATE_2026-06-30"],
        )
        for f in features
    } == {
        (scene["q01"].key, 100, 110),
        (scene["old_q02"].key, 200, None),
        (scene["new_q02"].key, None, 215),
        ("05382060", 300, None),
    }


def test_xlsx_read_back(scene):
    stream = io.BytesIO()
    value_exports.write_xlsx(stream, rounds=[scene["earlier"]])
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 5
    by = {(row[1], row[4], row[7].date() if row[7] else None): row for row in rows}
    suppressed = by[("SGB2-U15", scene["q01"].key, datetime.date(2024, 1, 1))]
    assert suppressed[9] is None and suppressed[10]
    assert by[("EW", scene["q01"].key, datetime.date(2024, 1, 1))][9] == 100
    named = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert named and all(cell.data_type == "s" for cell in named)

    stream = io.BytesIO()
    value_exports.write_xlsx(stream, rounds=[scene["later"]])
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).active
    numbers = {row[9].value for row in sheet.iter_rows(min_row=2)}
    assert numbers == {110, 215}  # not the pending 987654


def test_files_merge_two_suppliers_figures_as_merge_does(
    coordinator, own_org, indicator_set, social_space, neighbourhood
):
    """Two approved deliveries for the same space and date: a count is their sum, a
    percentage their mean (rounded half to even, as `merge` rounds), suppressed if either
    part is; a boundary with a number below 1e-4 is written as json.dumps writes it."""
    residents = Indicator.objects.get(code="EW")
    share = Indicator.objects.get(code="U18")
    children = Indicator.objects.get(code="SGB2-U15")
    neighbourhood.geometry = {
        "type": "Polygon",
        "coordinates": [[[0.00001, 50.0], [0.5, 50.0], [0.5, 50.5], [0.00001, 50.0]]],
    }
    neighbourhood.save(update_fields=["geometry"])
    day = make_round(indicator_set, EARLIER)
    other = OrganisationFactory(name="Jobcenter", kind="jobcenter", ags=None)
    deliver(
        day,
        own_org,
        {
            (residents, own_org, neighbourhood): 100,
            (share, own_org, social_space): Decimal("12.0001"),
            (children, own_org, neighbourhood): 5,
        },
    )
    deliver(
        day,
        other,
        {
            (residents, own_org, neighbourhood): 23,
            (share, own_org, social_space): Decimal("12.0000"),
            (children, own_org, neighbourhood): 2,  # suppressed below 3
        },
    )
    expected_share = value_exports.merge(
        [value_exports._Part(Decimal("12.0001"), False), value_exports._Part(Decimal(12), False)],
        "percentage",
    )[0]
    assert expected_share == Decimal("12.0000")  # 12.00005, half to even

    def csv_of(indicator):
        stream = io.BytesIO()
        value_exports.write_kommonitor_csv(stream, indicator=indicator)
        return {row["ID"]: row for row in read_csv(stream.getvalue())}

    assert csv_of(residents)[neighbourhood.key]["DATE_2025-12-31"] == "123"
    assert csv_of(share)[social_space.key]["DATE_2025-12-31"] == "12"
    hidden = csv_of(children)[neighbourhood.key]
    assert (hidden["DATE_2025-12-31"], hidden["SUPPRESSED"]) == ("", "2025-12-31")

    stream = io.BytesIO()
    value_exports.write_kommonitor_geojson(stream, indicator=residents)
    text = stream.getvalue().decode()
    assert json.dumps(neighbourhood.geometry) in text  # "1e-05", not PostgreSQL's "0.00001"
    (feature,) = json.loads(text)["features"]
    assert feature["properties"]["DATE_2025-12-31"] == 123


def test_files_read_as_many_queries_for_many_spaces_as_for_few(
    coordinator, own_org, indicator_set, social_space
):
    residents = Indicator.objects.get(code="EW")
    day = make_round(indicator_set, EARLIER)
    delivery = deliver(day, own_org, {(residents, own_org, None): 1})

    def queries():
        counts = []
        for write in (value_exports.write_kommonitor_csv, value_exports.write_kommonitor_geojson):
            with CaptureQueriesContext(connection) as captured:
                write(io.BytesIO(), indicator=residents)
            counts.append(len(captured.captured_queries))
        with CaptureQueriesContext(connection) as captured:
            value_exports.write_xlsx(io.BytesIO(), rounds=[day])
        return [*counts, len(captured.captured_queries)]

    few = queries()
    for n in range(30):
        space = confirmed(
            coordinator,
            municipality=own_org,
            level=SpaceLevel.NEIGHBOURHOOD,
            parent=social_space,
            key=f"{own_org.ags}-SR01-Q{n + 10}",
            name=f"Quartier {n}",
            valid_from=datetime.date(2024, 1, 1),
        )
        Value.objects.create(
            response=delivery,
            indicator=residents,
            municipality=own_org,
            space=space,
            value={"number": str(n + 1), "comment": ""},
        )
    assert queries() == few


# --- the results table --------------------------------------------------------------------------


def test_results_reach_a_recut_space_through_its_succession(scene):
    shown = results.indicator_results(scene["residents"])
    assert [r.reference_date for r in shown.rounds] == [EARLIER, LATER]
    (group,) = shown.groups
    rows = {(row.key, row.space.valid_from if row.space else None): row for row in group.rows}
    new = rows[(scene["new_q02"].key, datetime.date(2026, 1, 1))]
    carried, own = new.cells
    assert carried.carried and carried.number == 200
    assert own.number == 215 and not own.carried
    assert group.rows[0].is_total and group.rows[0].cells[0].number == 300


def test_results_show_suppressed_as_threshold_and_never_the_unapproved(scene, outsider):
    client = signed_in(outsider)
    indicator = scene["children"]
    response = client.get(f"/monitoring/indicators/{indicator.pk}/results/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt; 3" in page and "987654" not in page
    data = client.get(f"/api/v1/indicators/{indicator.pk}/results/").json()
    cells = [
        cell
        for municipality in data["municipalities"]
        for row in municipality["rows"]
        for cell in row["cells"]
    ]
    assert {
        "round": scene["earlier"].pk,
        "number": None,
        "suppressed": True,
        "carried": False,
    } in cells
    assert all(cell["number"] != "987654.0000" for cell in cells)
    numbers = {cell["number"] for cell in cells if cell["number"]}
    assert numbers == {"7"}


def test_results_page_has_a_chart_with_its_data_table(scene, member):
    page = signed_in(member).get(f"/monitoring/indicators/{scene['residents'].pk}/results/")
    html = page.content.decode()
    assert f'id="chart-{scene["residents"].pk}-data"' in html
    assert "<svg" in html and 'role="img"' in html
    assert "übertragen" in html or "carried" in html


# --- who takes the files ------------------------------------------------------------------------


def urls(scene):
    indicator, round_ = scene["children"].pk, scene["earlier"].pk
    return [
        f"/monitoring/indicators/{indicator}/export/kommonitor.csv",
        f"/monitoring/indicators/{indicator}/export/kommonitor.geojson",
        f"/monitoring/rounds/{round_}/export.xlsx",
        f"/api/v1/indicators/{indicator}/kommonitor/?format=csv",
        f"/api/v1/indicators/{indicator}/kommonitor/?format=geojson",
        f"/api/v1/delivery-rounds/{round_}/export/",
    ]


def test_only_coordinators_take_the_files(scene, coordinator, member, outsider):
    for user in (member, outsider):
        client = signed_in(user)
        for url in urls(scene):
            assert client.get(url).status_code == 404, (user, url)
    client = signed_in(coordinator)
    for url in urls(scene):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        content = b"".join(response.streaming_content)
        assert b"987654" not in content


def test_api_files_have_their_formats(scene, coordinator):
    client = signed_in(coordinator)
    indicator = scene["children"].pk
    csv_response = client.get(f"/api/v1/indicators/{indicator}/kommonitor/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    geo = client.get(f"/api/v1/indicators/{indicator}/kommonitor/?format=geojson")
    assert geo["Content-Type"] == "application/geo+json"
    assert json.loads(b"".join(geo.streaming_content))["type"] == "FeatureCollection"


# --- a fixed number of queries ----------------------------------------------------------------


def _grow(coordinator, own_org, social_space, indicator_set, *, spaces_count, rounds_count):
    residents = Indicator.objects.get(code="EW")
    made = [
        confirmed(
            coordinator,
            municipality=own_org,
            level=SpaceLevel.NEIGHBOURHOOD,
            parent=social_space,
            key=f"{own_org.ags}-N{spaces_count}-{number:02}",
            name=f"Quartier {number}",
            valid_from=datetime.date(2024, 1, 1),
        )
        for number in range(spaces_count)
    ]
    for number in range(rounds_count):
        round_ = make_round(
            indicator_set, datetime.date(2020 + number, 12, 31), name=f"R{spaces_count}-{number}"
        )
        deliver(
            round_, own_org, {(residents, own_org, space): 10 + i for i, space in enumerate(made)}
        )
    return residents


def _queries(client, indicator):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/monitoring/indicators/{indicator.pk}/results/")
        assert response.status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_spaces_and_rounds(
    coordinator, own_org, social_space, indicator_set, member
):
    client = signed_in(member)
    residents = _grow(
        coordinator, own_org, social_space, indicator_set, spaces_count=2, rounds_count=1
    )
    few = _queries(client, residents)
    _grow(coordinator, own_org, social_space, indicator_set, spaces_count=20, rounds_count=3)
    many = _queries(client, residents)
    assert many == few
    api = signed_in(member)
    with CaptureQueriesContext(connection) as queries:
        api.get(f"/api/v1/indicators/{residents.pk}/results/")
    assert len(queries) <= few + 2


def test_round_and_indicator_pages_link_to_the_results(scene, coordinator, member):
    residents = scene["residents"]
    results_url = f"/monitoring/indicators/{residents.pk}/results/"
    xlsx_url = f"/monitoring/rounds/{scene['earlier'].pk}/export.xlsx"
    page = signed_in(coordinator).get(f"/monitoring/rounds/{scene['earlier'].pk}/")
    assert results_url in page.content.decode() and xlsx_url in page.content.decode()
    page = signed_in(member).get(f"/monitoring/rounds/{scene['earlier'].pk}/")
    assert results_url in page.content.decode() and xlsx_url not in page.content.decode()
    page = signed_in(member).get(f"/monitoring/indicators/{residents.pk}/")
    assert results_url in page.content.decode()
    assert "/export/kommonitor" not in page.content.decode()
