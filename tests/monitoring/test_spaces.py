"""The registry of social spaces: municipalities propose and edit their own spaces, the county
confirms; the rules (a neighbourhood inside its own municipality's social space, versions of
one key never overlapping, a valid boundary inside its social space's) hold on the page and
in the API, and a broken rule names itself and saves nothing; a re-cut keeps earlier versions
reachable through the mapping; exports read back."""

import csv
import datetime
import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from monitoring import spaces
from monitoring.models import Space, SpaceStatus, SpaceSuccession
from tests.monitoring.conftest import START, square

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def form_data(municipality, **fields):
    return {
        "municipality": municipality.pk,
        "level": "social_space",
        "key": f"{municipality.ags}-SR09",
        "name": "Kaldauen",
        "valid_from": "2024-01-01",
        **fields,
    }


def test_a_member_proposes_a_space_and_the_coordinator_confirms_it(member, own_org, coordinator):
    response = signed_in(member).post("/monitoring/spaces/new/", form_data(own_org))

    space = Space.objects.get(key=f"{own_org.ags}-SR09")
    assert response.status_code == 302 and response.url == f"/monitoring/spaces/{space.pk}/"
    assert space.status == SpaceStatus.PROPOSED and space.created_by == member
    page = signed_in(member).get(response.url).content.decode()
    assert "vom Kreis bestätigt" not in page and "von der Kommune vorgeschlagen" in page
    assert "Für den Kreis bestätigen" not in page

    coordinator_page = signed_in(coordinator).get(response.url).content.decode()
    assert "Für den Kreis bestätigen" in coordinator_page
    signed_in(coordinator).post(f"/monitoring/spaces/{space.pk}/confirm/")

    space.refresh_from_db()
    assert space.status == SpaceStatus.CONFIRMED and space.confirmed_by == coordinator
    assert LogEntry.objects.get_for_object(space).count() >= 2


def test_a_members_change_makes_a_confirmed_space_a_proposal_again(member, social_space):
    data = form_data(social_space.municipality, key=social_space.key, name="Innenstadt-West")
    signed_in(member).post(f"/monitoring/spaces/{social_space.pk}/edit/", data)

    social_space.refresh_from_db()
    assert social_space.name == "Innenstadt-West"
    assert social_space.status == SpaceStatus.PROPOSED


def test_another_municipalitys_proposal_stays_invisible_and_its_spaces_unchangeable(
    member, foreign_proposal, social_space, outsider
):
    client = signed_in(member)
    assert client.get(f"/monitoring/spaces/{foreign_proposal.pk}/").status_code == 404
    assert "Much-Ort (Entwurf)" not in client.get("/monitoring/spaces/?on=all").content.decode()
    assert api(member).get(f"/api/v1/spaces/{foreign_proposal.pk}/").status_code == 404

    # The outsider reads Siegburg's confirmed space but cannot change it.
    other = signed_in(outsider)
    assert other.get(f"/monitoring/spaces/{social_space.pk}/").status_code == 200
    assert other.get(f"/monitoring/spaces/{social_space.pk}/edit/").status_code == 404
    data = form_data(social_space.municipality, key=social_space.key, name="Gekapert")
    assert other.post(f"/monitoring/spaces/{social_space.pk}/edit/", data).status_code == 404
    refused = api(outsider).patch(
        f"/api/v1/spaces/{social_space.pk}/", {"name": "Gekapert"}, format="json"
    )
    assert refused.status_code == 404
    # Nor propose one for Siegburg through its own form or the API.
    own = form_data(social_space.municipality, key="x-1")
    assert other.post("/monitoring/spaces/new/", own).status_code == 200
    assert api(outsider).post("/api/v1/spaces/", own, format="json").status_code == 403
    social_space.refresh_from_db()
    assert social_space.name == "Innenstadt"
    assert not Space.objects.filter(key="x-1").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"level": "neighbourhood"}, "parent", "Wählen Sie den Sozialraum"),
        ({"valid_until": "2023-01-01"}, None, "„Gültig bis“ kann nicht vor „gültig ab“ liegen."),
        ({"key": "ä ö"}, "key", "Nur Buchstaben, Ziffern"),
        ({"geometry": "{kein json"}, "geometry", "Das ist kein gültiges JSON."),
        (
            {"geometry": json.dumps({"type": "Point", "coordinates": [7.2, 50.8]})},
            "geometry",
            "kein GeoJSON-Polygon",
        ),
        (
            {
                "geometry": json.dumps(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [[7.0, 50.0], [7.1, 50.1], [7.1, 50.0], [7.0, 50.1], [7.0, 50.0]]
                        ],
                    }
                )
            },
            "geometry",
            "keine gültige Fläche",
        ),
        ({"geometry": json.dumps(square(700, 50))}, "geometry", "Längen- und Breitengrade"),
    ],
)
def test_bad_input_is_named_kept_and_nothing_saved(member, own_org, change, field, message):
    response = signed_in(member).post("/monitoring/spaces/new/", form_data(own_org, **change))

    text = response.content.decode()
    assert response.status_code == 200
    assert message in text, text[text.find("kern-error") - 200 : text.find("kern-error") + 400]
    assert 'value="Kaldauen"' in text
    assert not Space.objects.filter(municipality=own_org).exists()


def test_a_neighbourhood_outside_its_municipality_or_social_space_is_refused(
    member, own_org, social_space, foreign_proposal, other_org, outsider
):
    foreign_parent = spaces.save_space(
        Space(
            municipality=other_org, level="social_space", key="much-2", name="Au", valid_from=START
        ),
        actor=outsider,
    )
    with pytest.raises(Exception) as error:
        spaces.save_space(
            Space(
                municipality=own_org,
                level="neighbourhood",
                parent=foreign_parent,
                key="q-x",
                name="Falsch",
                valid_from=START,
            ),
            actor=member,
        )
    assert "in einer anderen Kommune" in str(error.value.messages)

    outside = form_data(
        own_org,
        level="neighbourhood",
        parent=social_space.pk,
        key="q-y",
        geometry=json.dumps(square(7.5, 50.5)),
    )
    response = signed_in(member).post("/monitoring/spaces/new/", outside)
    assert "ragt über seinen Sozialraum hinaus" in response.content.decode()
    assert not Space.objects.filter(key__in=["q-x", "q-y"]).exists()


def test_two_versions_of_one_key_may_not_overlap(member, social_space):
    data = form_data(social_space.municipality, key=social_space.key, valid_from="2025-06-01")
    response = signed_in(member).post("/monitoring/spaces/new/", data)

    assert "überschneidet sich mit dieser" in response.content.decode()
    assert Space.objects.filter(key=social_space.key).count() == 1


def test_a_recut_keeps_the_earlier_version_reachable_through_the_mapping(
    member, social_space, neighbourhood
):
    response = signed_in(member).post(
        f"/monitoring/spaces/{social_space.pk}/new-version/",
        {"valid_from": "2026-01-01", "name": "Innenstadt (neu)"},
    )

    successor = Space.objects.get(key=social_space.key, valid_from=datetime.date(2026, 1, 1))
    assert response.url == f"/monitoring/spaces/{successor.pk}/"
    social_space.refresh_from_db()
    assert social_space.valid_until == datetime.date(2025, 12, 31)
    assert successor.name == "Innenstadt (neu)" and successor.status == SpaceStatus.PROPOSED
    link = SpaceSuccession.objects.get(later=successor)
    assert link.earlier == social_space and link.share == 1
    page = signed_in(member).get(response.url).content.decode()
    assert "Von Innenstadt" in page and "Anteil 1" in page
    assert f'href="/monitoring/spaces/{social_space.pk}/"' in page

    on_2025 = signed_in(member).get("/monitoring/spaces/?on=2025-06-01").content.decode()
    on_2026 = signed_in(member).get("/monitoring/spaces/?on=2026-06-01").content.decode()
    assert ">Innenstadt</a>" in on_2025 and "Innenstadt (neu)" not in on_2025
    assert "Innenstadt (neu)" in on_2026


def test_a_new_version_must_begin_after_the_current_one(member, social_space):
    response = signed_in(member).post(
        f"/monitoring/spaces/{social_space.pk}/new-version/", {"valid_from": "2023-01-01"}
    )
    assert "muss nach Beginn der aktuellen beginnen" in response.content.decode()
    assert Space.objects.filter(key=social_space.key).count() == 1


def test_exports_read_back_with_keys_validity_and_neutralised_formulas(
    member, own_org, neighbourhood
):
    spaces.save_space(
        Space(municipality=own_org, level="social_space", key="f-1", name="=HYPERLINK(1)"),
        actor=member,
    )
    client = signed_in(member)
    geojson = client.get("/monitoring/spaces/export/geojson/?on=all")
    assert geojson["Content-Type"] == "application/geo+json"
    assert "attachment" in geojson["Content-Disposition"]
    features = {f["properties"]["key"]: f for f in json.loads(geojson.content)["features"]}
    quarter = features[neighbourhood.key]
    assert quarter["properties"]["valid_from"] == "2024-01-01"
    assert quarter["properties"]["municipality_ags"] == own_org.ags
    assert quarter["properties"]["parent_key"] == neighbourhood.parent.key
    assert quarter["geometry"]["type"] == "Polygon"

    text = client.get("/monitoring/spaces/export/csv/?on=all").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Schlüssel", "Name", "Ebene"]
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "Altstadt" in names


def test_the_api_proposes_confirms_and_recuts_under_the_same_rules(member, own_org, coordinator):
    created = api(member).post("/api/v1/spaces/", form_data(own_org), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "proposed"
    pk = created.json()["id"]
    assert api(member).post(f"/api/v1/spaces/{pk}/confirm/").status_code == 403
    confirmed = api(coordinator).post(f"/api/v1/spaces/{pk}/confirm/")
    assert confirmed.json()["status"] == "confirmed"

    overlapping = api(member).post(
        "/api/v1/spaces/", form_data(own_org, valid_from="2025-01-01"), format="json"
    )
    assert overlapping.status_code == 400 and "valid_from" in overlapping.json()

    recut = api(member).post(
        f"/api/v1/spaces/{pk}/new-version/", {"valid_from": "2026-01-01"}, format="json"
    )
    assert recut.status_code == 201
    split = (
        api(member)
        .post(
            "/api/v1/spaces/",
            form_data(own_org, key="sr-10", valid_from="2026-01-01"),
            format="json",
        )
        .json()
    )
    share = api(member).post(
        "/api/v1/spaces/successions/",
        {"earlier": pk, "later": split["id"], "share": "0.3"},
        format="json",
    )
    assert share.status_code == 201, share.content
    listed = api(member).get("/api/v1/spaces/?on=2026-02-01").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["key"] for row in rows} == {f"{own_org.ags}-SR09", "sr-10"}
    geojson = api(member).get("/api/v1/spaces/geojson/?on=2024-02-01")
    assert geojson.status_code == 200
    assert [f["properties"]["valid_until"] for f in json.loads(geojson.content)["features"]] == [
        "2025-12-31"
    ]


def test_the_coordinators_home_counts_the_proposals_and_links_to_exactly_those(
    coordinator, foreign_proposal, social_space
):
    home = signed_in(coordinator).get("/").content.decode()
    assert "Sozialräume" in home
    link = "/monitoring/spaces/?status=proposed&amp;on=all"
    assert link in home
    listing = signed_in(coordinator).get(link.replace("&amp;", "&")).content.decode()
    assert "Much-Ort (Entwurf)" in listing and ">Innenstadt</a>" not in listing
    assert "1 Fassung" in listing


def test_the_demo_spaces_keep_every_rule(coordinator):
    call_command("seed_demo", stdout=io.StringIO())
    assert Space.objects.count() >= 20
    for space in Space.objects.all():
        spaces.check_space(space)
    assert Space.objects.filter(status=SpaceStatus.PROPOSED).exists()
    assert SpaceSuccession.objects.count() == 2
