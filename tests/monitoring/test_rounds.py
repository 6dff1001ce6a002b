"""Delivery rounds: a supplier's members fill in the grid cell by cell (the conflict rule and
the history of the base's engine), bad figures are refused with their reason and change
nothing, a submission is checked, the county approves or sends back, the window locks with
its reason named unless extended for the supplier, and no one else sees a delivery."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from monitoring import comparison, rounds, spaces
from monitoring.models import Delivery, Review, Round, Space, SpaceSuccession, Value
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def cell_url(delivery, key):
    return f"/monitoring/deliveries/{delivery.pk}/cells/{key}/"


def keys(delivery, indicator_code, space):
    indicator = delivery.round.indicator_set.indicators.get(code=indicator_code)
    return f"{indicator.pk}-s{space.pk}" if space else f"{indicator.pk}-m{delivery.organisation_id}"


def fill(client, delivery, key, number, comment=None, revision=0):
    data = {f"q-{key}-number": number, f"q-{key}-revision": str(revision)}
    if comment is not None:
        data[f"q-{key}-comment"] = comment
    return client.post(cell_url(delivery, key), data, HTTP_HX_REQUEST="true")


def test_a_member_fills_the_grid_and_submits_and_the_county_approves(
    delivery_round, member, coordinator, own_org, social_space, neighbourhood
):
    delivery = Delivery.objects.get(round=delivery_round, organisation=own_org)
    client = signed_in(member)
    page = client.get(delivery.get_absolute_url()).content.decode()
    assert "Altstadt" in page and "Innenstadt" in page
    assert "Kinder im SGB II" not in page  # the Jobcenter's figure, not the municipality's

    response = fill(client, delivery, keys(delivery, "EW", neighbourhood), "1.234")
    assert response.status_code == 200
    assert Value.objects.get(space=neighbourhood).number == 1234

    response = fill(client, delivery, keys(delivery, "U18", social_space), "120")
    assert response.status_code == 400
    assert "Ein Prozentsatz liegt zwischen 0 und 100." in response.content.decode()
    assert not Value.objects.filter(space=social_space).exists()

    refused = client.post(f"/monitoring/deliveries/{delivery.pk}/submit/")
    assert refused.status_code == 400
    assert "noch keine Zahl" in refused.content.decode()

    fill(client, delivery, keys(delivery, "U18", social_space), "17,5")
    fill(client, delivery, keys(delivery, "EW", None), "1300")
    refused = client.post(f"/monitoring/deliveries/{delivery.pk}/submit/").content.decode()
    assert "Zusammen ergeben die Räume von Stadt Siegburg 1234" in refused

    fill(client, delivery, keys(delivery, "EW", None), "1234", revision=1)
    assert client.post(f"/monitoring/deliveries/{delivery.pk}/submit/").status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUBMITTED

    locked = fill(client, delivery, keys(delivery, "EW", neighbourhood), "1", revision=1)
    assert "wartet auf die Prüfung des Kreises" in locked.content.decode()

    approve = f"/monitoring/deliveries/{delivery.pk}/approve/"
    assert signed_in(member).post(approve).status_code == 404
    signed_in(coordinator).post(approve)
    delivery.refresh_from_db()
    assert delivery.review == Review.APPROVED and delivery.reviewed_by == coordinator


def test_two_members_typing_into_one_cell_meet_the_conflict_rule(
    delivery_round, member, own_org, neighbourhood
):
    colleague = member_of(own_org)
    delivery = Delivery.objects.get(round=delivery_round)
    key = keys(delivery, "EW", neighbourhood)
    fill(signed_in(member), delivery, key, "100")
    conflict = fill(signed_in(colleague), delivery, key, "200")
    assert conflict.status_code == 409
    assert Value.objects.get(space=neighbourhood).number == 100
    history = signed_in(colleague).get(f"/monitoring/deliveries/{delivery.pk}/history/")
    assert "100" in history.content.decode()


def test_after_the_window_the_delivery_is_locked_with_its_reason_until_extended(
    delivery_round, member, coordinator, own_org, neighbourhood
):
    delivery = Delivery.objects.get(round=delivery_round)
    past = timezone.localdate() - datetime.timedelta(days=1)
    type(delivery_round).objects.filter(pk=delivery_round.pk).update(
        opens_on=past - datetime.timedelta(days=20), closes_on=past
    )
    key = keys(delivery, "EW", neighbourhood)
    refused = fill(signed_in(member), delivery, key, "100")
    assert refused.status_code == 400
    assert "Das Lieferfenster endete am" in refused.content.decode()
    assert not Value.objects.exists()

    until = timezone.localdate() + datetime.timedelta(days=3)
    signed_in(coordinator).post(
        f"/monitoring/deliveries/{delivery.pk}/extend/", {"until": until.isoformat()}
    )
    assert fill(signed_in(member), delivery, key, "100").status_code == 200


def test_another_municipality_neither_sees_nor_fills_a_delivery(
    delivery_round, outsider, own_org, neighbourhood
):
    delivery = Delivery.objects.get(round=delivery_round)
    client = signed_in(outsider)
    assert client.get(delivery.get_absolute_url()).status_code == 404
    assert fill(client, delivery, keys(delivery, "EW", neighbourhood), "5").status_code == 404
    assert client.get(f"/monitoring/rounds/{delivery_round.pk}/").status_code == 404
    assert not Value.objects.exists()


def test_a_large_change_against_the_last_round_needs_a_comment(
    delivery_round, member, coordinator, own_org, neighbourhood, social_space, indicator_set
):
    earlier = rounds.save_round(
        Round(
            name="Stichtag 2025",
            indicator_set=indicator_set,
            reference_date=datetime.date(2025, 6, 30),
            opens_on=timezone.localdate() - datetime.timedelta(days=30),
            closes_on=timezone.localdate() + datetime.timedelta(days=1),
        ),
        actor=coordinator,
        suppliers=[own_org],
    )
    old = Delivery.objects.get(round=earlier)
    client = signed_in(member)
    fill(client, old, keys(old, "EW", neighbourhood), "1000")
    fill(client, old, keys(old, "U18", social_space), "20")
    rounds.submit(old, actor=member)
    rounds.approve(old, actor=coordinator)

    delivery = Delivery.objects.get(round=delivery_round)
    key = keys(delivery, "EW", neighbourhood)
    redrawn = fill(client, delivery, key, "2000").content.decode()
    assert "Vorrunde: 1000" in redrawn and f'id="q-{key}-comment"' in redrawn
    fill(client, delivery, keys(delivery, "U18", social_space), "20")
    refused = client.post(f"/monitoring/deliveries/{delivery.pk}/submit/").content.decode()
    assert "erklären Sie die Änderung" in refused
    fill(client, delivery, key, "2000", comment="Neubaugebiet bezogen", revision=1)
    assert client.post(f"/monitoring/deliveries/{delivery.pk}/submit/").status_code == 302


def test_a_coordinator_opens_a_round_and_a_supplier_without_figures_is_refused(
    coordinator, member, indicator_set, own_org, county_office
):
    today = timezone.localdate()
    fields = {
        "name": "Stichtag 2026",
        "indicator_set": indicator_set.pk,
        "reference_date": "2026-06-30",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "change_threshold": "0.25",
        "remind_days_before": "7",
    }
    assert signed_in(member).post("/monitoring/rounds/new/", fields).status_code == 404
    refused = signed_in(coordinator).post(
        "/monitoring/rounds/new/", {**fields, "suppliers": [own_org.pk, county_office.pk]}
    )
    assert "Kreisverwaltung liefern keinen der Indikatoren des Sets." in refused.content.decode()
    assert not Round.objects.exists()

    backwards = {**fields, "closes_on": (today - datetime.timedelta(days=1)).isoformat()}
    refused = signed_in(coordinator).post("/monitoring/rounds/new/", backwards)
    assert "Das Lieferfenster kann nicht enden, bevor es beginnt." in refused.content.decode()

    opened = signed_in(coordinator).post(
        "/monitoring/rounds/new/", {**fields, "suppliers": [own_org.pk]}
    )
    round_ = Round.objects.get()
    assert opened.url == f"/monitoring/rounds/{round_.pk}/"
    assert list(round_.deliveries.values_list("organisation", flat=True)) == [own_org.pk]
    page = signed_in(member).get(opened.url).content.decode()
    assert "Stadt Siegburg" in page


def test_a_recut_space_takes_the_last_rounds_figures_through_the_mapping(
    coordinator, member, own_org, social_space, indicator_set
):
    old_round = rounds.save_round(
        Round(
            name="2025",
            indicator_set=indicator_set,
            reference_date=datetime.date(2025, 6, 30),
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        ),
        actor=coordinator,
        suppliers=[own_org],
    )
    old = Delivery.objects.get(round=old_round)
    fill(signed_in(member), old, keys(old, "U18", social_space), "20")
    rounds.submit(old, actor=member)
    rounds.approve(old, actor=coordinator)

    later = spaces.start_new_version(
        social_space, valid_from=datetime.date(2026, 1, 1), actor=coordinator
    )
    assert SpaceSuccession.objects.get(later=later).earlier == social_space
    assert Space.objects.get(pk=social_space.pk).valid_until == datetime.date(2025, 12, 31)
    indicator = indicator_set.indicators.get(code="U18")
    new_round = Round(reference_date=datetime.date(2026, 6, 30))
    carried = comparison.carried_values(
        comparison.previous_round(new_round), [indicator], [later], {own_org.pk}
    )
    assert carried[f"{indicator.pk}-s{later.pk}"] == 20
