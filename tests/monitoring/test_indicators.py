"""The indicator catalogue and its sets: everyone signed in reads them, only coordinators
change them (pages and API), bad input is named and saves nothing."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from monitoring.models import Indicator, IndicatorSet

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


FIELDS = {
    "code": "SGB2-U15",
    "name": "Leistungsberechtigte unter 15 Jahren",
    "definition": "Kinderarmut",
    "unit": "Personen",
    "value_type": "count",
    "source": "Jobcenter",
    "spatial_level": "neighbourhood",
    "supplier_kind": "jobcenter",
    "minimum": "0",
    "maximum": "20000",
    "suppress_below": "3",
    "is_active": "on",
}


def test_a_coordinator_defines_an_indicator_and_a_member_reads_it(coordinator, member):
    response = signed_in(coordinator).post("/monitoring/indicators/new/", FIELDS)

    indicator = Indicator.objects.get(code="SGB2-U15")
    assert response.url == f"/monitoring/indicators/{indicator.pk}/"
    assert indicator.suppress_below == 3 and indicator.created_by == coordinator
    listing = signed_in(member).get("/monitoring/indicators/").content.decode()
    assert "Leistungsberechtigte unter 15 Jahren" in listing
    assert "unterdrückt unter 3" in listing
    page = signed_in(member).get(response.url).content.decode()
    assert "Kinderarmut" in page and "Bearbeiten" not in page


def test_members_change_nothing(member, coordinator):
    assert signed_in(member).get("/monitoring/indicators/new/").status_code == 404
    assert signed_in(member).post("/monitoring/indicators/new/", FIELDS).status_code == 404
    assert api(member).post("/api/v1/indicators/", FIELDS, format="json").status_code == 403
    assert not Indicator.objects.exists()
    assert Client().get("/monitoring/indicators/").status_code == 302


def test_a_range_upside_down_is_named_and_nothing_is_saved(coordinator):
    response = signed_in(coordinator).post(
        "/monitoring/indicators/new/", {**FIELDS, "minimum": "10", "maximum": "5"}
    )
    text = response.content.decode()
    assert "„Plausibel bis“ kann nicht unter „plausibel ab“ liegen." in text
    assert 'value="Leistungsberechtigte unter 15 Jahren"' in text
    assert not Indicator.objects.exists()


def test_sets_gather_indicators_on_the_page_and_over_the_api(coordinator, member):
    created = api(coordinator).post("/api/v1/indicators/", FIELDS, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    made = api(coordinator).post(
        "/api/v1/indicator-sets/", {"name": "Quartiersprofil", "indicators": [pk]}, format="json"
    )
    assert made.status_code == 201, made.content
    indicator_set = IndicatorSet.objects.get()
    assert list(indicator_set.indicators.values_list("code", flat=True)) == ["SGB2-U15"]
    page = signed_in(member).get(f"/monitoring/indicator-sets/{indicator_set.pk}/")
    assert "SGB2-U15 Leistungsberechtigte unter 15 Jahren" in page.content.decode()
    assert api(member).get("/api/v1/indicator-sets/").json()
    renamed = signed_in(coordinator).post(
        f"/monitoring/indicator-sets/{indicator_set.pk}/edit/",
        {"name": "Quartiersprofil 2026", "indicators": [pk]},
    )
    assert renamed.status_code == 302
    indicator_set.refresh_from_db()
    assert indicator_set.name == "Quartiersprofil 2026"
