"""Delivery rounds over the REST API, with the pages' permissions: rounds and the
completeness matrix, a delivery's grid, cells saved all or nothing (a refused cell or a
conflict stores none), submission with its problems, the county's review, 404 for another
municipality's delivery, and the operations in the OpenAPI schema."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from monitoring import rounds
from monitoring.models import Delivery, Review, Round, Value
from participation.models import OrganisationKind
from tests.api_support import issue_token
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def key_of(delivery, code, space):
    indicator = delivery.round.indicator_set.indicators.get(code=code)
    return f"{indicator.pk}-s{space.pk}" if space else f"{indicator.pk}-m{delivery.organisation_id}"


def cells_url(delivery):
    return f"/api/v1/deliveries/{delivery.pk}/cells/"


@pytest.fixture
def delivery(delivery_round, own_org):
    return Delivery.objects.get(round=delivery_round, organisation=own_org)


@pytest.fixture
def foreign_delivery(delivery_round, other_org, coordinator):
    return rounds.add_supplier(delivery_round, other_org, actor=coordinator)


def round_body(indicator_set, **changes):
    today = timezone.localdate()
    return {
        "name": "Stichtag 2027",
        "indicator_set": indicator_set.pk,
        "reference_date": "2026-12-31",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        **changes,
    }


# --- rounds ------------------------------------------------------------------------------------


def test_members_see_their_rounds_with_their_own_deliveries_only(
    delivery_round, delivery, foreign_delivery, member, coordinator, participant
):
    listed = api_for(member).get("/api/v1/delivery-rounds/").json()["results"]
    assert [r["id"] for r in listed] == [delivery_round.pk]
    assert [d["id"] for d in listed[0]["deliveries"]] == [delivery.pk]
    assert "suppliers" not in listed[0]

    shown = api_for(coordinator).get(f"/api/v1/delivery-rounds/{delivery_round.pk}/").json()
    assert {d["id"] for d in shown["deliveries"]} == {delivery.pk, foreign_delivery.pk}

    stranger = api_for(participant)
    assert stranger.get("/api/v1/delivery-rounds/").json()["results"] == []
    assert stranger.get(f"/api/v1/delivery-rounds/{delivery_round.pk}/").status_code == 404


def test_a_coordinator_opens_and_changes_a_round_through_the_service(
    coordinator, indicator_set, own_org, other_org
):
    client = api_for(coordinator)
    created = client.post(
        "/api/v1/delivery-rounds/", round_body(indicator_set, suppliers=[own_org.pk]), format="json"
    )
    assert created.status_code == 201, created.json()
    round_ = Round.objects.get(pk=created.json()["id"])
    assert round_.created_by == coordinator
    assert [d["organisation"] for d in created.json()["deliveries"]] == [own_org.pk]

    changed = client.patch(
        f"/api/v1/delivery-rounds/{round_.pk}/",
        {"name": "Stichtag Ende 2026", "suppliers": [other_org.pk]},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    round_.refresh_from_db()
    assert round_.name == "Stichtag Ende 2026"
    # A supplier is added; none is removed.
    assert set(round_.deliveries.values_list("organisation", flat=True)) == {
        own_org.pk,
        other_org.pk,
    }


def test_a_round_with_bad_input_is_refused_with_field_messages(coordinator, indicator_set):
    client = api_for(coordinator)
    welfare = OrganisationFactory(
        name="AWO Rhein-Sieg", kind=OrganisationKind.WELFARE_ASSOCIATION, ags=None
    )
    unfit = client.post(
        "/api/v1/delivery-rounds/", round_body(indicator_set, suppliers=[welfare.pk]), format="json"
    )
    assert unfit.status_code == 400
    assert "AWO Rhein-Sieg" in unfit.json()["suppliers"][0]
    assert "keinen der Indikatoren" in unfit.json()["suppliers"][0]

    political = OrganisationFactory(kind=OrganisationKind.POLITICAL_GROUP, ags=None)
    not_a_supplier = client.post(
        "/api/v1/delivery-rounds/",
        round_body(indicator_set, suppliers=[political.pk]),
        format="json",
    )
    assert not_a_supplier.status_code == 400 and "suppliers" in not_a_supplier.json()

    wrong_type = client.post(
        "/api/v1/delivery-rounds/",
        round_body(indicator_set, change_threshold="viel", reference_date="gestern"),
        format="json",
    )
    assert wrong_type.status_code == 400
    assert set(wrong_type.json()) == {"change_threshold", "reference_date"}

    backwards = client.post(
        "/api/v1/delivery-rounds/",
        round_body(indicator_set, opens_on="2027-02-01", closes_on="2027-01-01"),
        format="json",
    )
    assert backwards.status_code == 400
    assert "Das Lieferfenster kann nicht enden, bevor es beginnt." in str(backwards.json())
    assert not Round.objects.exists()


def test_members_may_not_open_or_change_rounds(
    delivery_round, member, outsider, indicator_set, own_org
):
    refused = api_for(member).post(
        "/api/v1/delivery-rounds/", round_body(indicator_set, suppliers=[own_org.pk]), format="json"
    )
    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "Nur die Koordination des Kreises eröffnet Datenlieferrunden."
    )
    url = f"/api/v1/delivery-rounds/{delivery_round.pk}/"
    assert api_for(member).patch(url, {"name": "x"}, format="json").status_code == 403
    assert api_for(outsider).patch(url, {"name": "x"}, format="json").status_code == 404
    delivery_round.refresh_from_db()
    assert delivery_round.name == "Stichtag 2026"
    assert Round.objects.count() == 1


def test_the_completeness_matrix_counts_entered_of_asked(
    delivery_round, delivery, member, coordinator, neighbourhood, social_space
):
    rounds_api = api_for(coordinator)
    member_client = api_for(member)
    member_client.post(
        cells_url(delivery),
        [{"key": key_of(delivery, "EW", neighbourhood), "number": "12"}],
        format="json",
    )
    matrix = rounds_api.get(f"/api/v1/delivery-rounds/{delivery_round.pk}/completeness/").json()
    assert [i["code"] for i in matrix["indicators"]] == ["EW", "SGB2-U15", "U18"]
    (supplier,) = matrix["suppliers"]
    assert supplier["delivery"] == delivery.pk and supplier["name"] == "Stadt Siegburg"
    assert (supplier["entered"], supplier["asked"], supplier["complete"]) == (1, 2, False)
    by_code = {i["id"]: i["code"] for i in matrix["indicators"]}
    assert {
        by_code[p["indicator"]]: (p["entered"], p["asked"]) for p in supplier["indicators"]
    } == {
        "EW": (1, 1),
        "U18": (0, 1),
    }


def _suppliers(delivery_round, coordinator, count, *, first=0):
    for number in range(first, first + count):
        organisation = OrganisationFactory(name=f"Gemeinde {number:02}", ags=f"0538{number:04}")
        rounds.add_supplier(delivery_round, organisation, actor=coordinator)


def _completeness_queries(client, delivery_round):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/delivery-rounds/{delivery_round.pk}/completeness/")
    assert response.status_code == 200
    return len(queries), len(response.json()["suppliers"])


def test_the_completeness_matrix_takes_the_same_queries_for_2_and_20_suppliers(
    delivery_round, coordinator, delivery
):
    client = api_for(coordinator)
    _suppliers(delivery_round, coordinator, 1)
    few, shown = _completeness_queries(client, delivery_round)
    assert shown == 2
    _suppliers(delivery_round, coordinator, 18, first=1)
    many, shown = _completeness_queries(client, delivery_round)
    assert shown == 20
    assert many == few


def test_completeness_of_a_round_not_the_callers_is_404(delivery_round, participant):
    url = f"/api/v1/delivery-rounds/{delivery_round.pk}/completeness/"
    assert api_for(participant).get(url).status_code == 404


# --- deliveries and their grid -------------------------------------------------------------------


def test_deliveries_are_listed_per_round_and_another_municipalitys_is_404(
    delivery_round, delivery, foreign_delivery, member, coordinator, indicator_set, own_org
):
    other_round = rounds.save_round(
        Round(
            name="Stichtag 2027",
            indicator_set=indicator_set,
            reference_date=datetime.date(2027, 6, 30),
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + datetime.timedelta(days=5),
        ),
        actor=coordinator,
        suppliers=[own_org],
    )
    client = api_for(member)
    mine = client.get("/api/v1/deliveries/").json()["results"]
    assert {d["round"] for d in mine} == {delivery_round.pk, other_round.pk}
    assert {d["organisation"] for d in mine} == {own_org.pk}
    filtered = client.get("/api/v1/deliveries/", {"round": delivery_round.pk}).json()["results"]
    assert [d["id"] for d in filtered] == [delivery.pk]
    assert filtered[0]["locked_reason"] == "" and filtered[0]["status"] == "in_progress"

    for path in ("", "grid/"):
        assert client.get(f"/api/v1/deliveries/{foreign_delivery.pk}/{path}").status_code == 404
    every = api_for(coordinator).get("/api/v1/deliveries/", {"round": delivery_round.pk})
    assert {d["id"] for d in every.json()["results"]} == {delivery.pk, foreign_delivery.pk}


def test_the_grid_shows_rows_cells_and_the_last_rounds_figure(
    delivery_round,
    delivery,
    member,
    coordinator,
    own_org,
    social_space,
    neighbourhood,
    indicator_set,
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
    client = api_for(member)
    saved = client.post(
        cells_url(old),
        [
            {"key": key_of(old, "EW", neighbourhood), "number": 1000},
            {"key": key_of(old, "U18", social_space), "number": "20,5"},
        ],
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    rounds.submit(old, actor=member)
    rounds.approve(old, actor=coordinator)
    ew = key_of(delivery, "EW", neighbourhood)
    client.post(cells_url(delivery), [{"key": ew, "number": "2.000", "comment": ""}], format="json")

    shown = client.get(f"/api/v1/deliveries/{delivery.pk}/grid/").json()
    assert [row["key"] for row in shown["rows"]] == [
        f"m{own_org.pk}",
        f"s{social_space.pk}",
        f"s{neighbourhood.pk}",
    ]
    assert [row["label"] for row in shown["rows"]] == ["Stadt Siegburg", "Innenstadt", "Altstadt"]
    assert [i["code"] for i in shown["indicators"]] == ["EW", "U18"]
    assert shown["editable"] is True and (shown["entered"], shown["asked"]) == (1, 2)
    cells = {cell["key"]: cell for cell in shown["cells"]}
    assert cells[ew] == {
        "key": ew,
        "row": f"s{neighbourhood.pk}",
        "indicator": delivery_round.indicator_set.indicators.get(code="EW").pk,
        "required": True,
        "number": "2000",
        "comment": "",
        "revision": 1,
        "suppressed": False,
        "previous": "1000",
        "needs_comment": True,
    }
    total = cells[key_of(delivery, "EW", None)]
    assert total["required"] is False and total["number"] is None and total["revision"] == 0
    assert cells[key_of(delivery, "U18", social_space)]["previous"] == "20.5"

    # The county reads the grid but does not fill it in.
    read = api_for(coordinator).get(f"/api/v1/deliveries/{delivery.pk}/grid/").json()
    assert read["editable"] is False
    assert (
        read["read_only_reason"] == "Nur Mitglieder von Stadt Siegburg füllen diese Lieferung aus."
    )


def test_a_suppressed_count_is_marked_in_the_grid(delivery_round, coordinator, neighbourhood):
    jobcenter = OrganisationFactory(name="Jobcenter", kind=OrganisationKind.JOBCENTER, ags=None)
    delivery = rounds.add_supplier(delivery_round, jobcenter, actor=coordinator)
    staff = member_of(jobcenter)
    key = key_of(delivery, "SGB2-U15", neighbourhood)
    saved = api_for(staff).patch(cells_url(delivery), [{"key": key, "number": "2"}], format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()[0]["suppressed"] is True
    grid = api_for(staff).get(f"/api/v1/deliveries/{delivery.pk}/grid/").json()
    assert {c["key"]: c["suppressed"] for c in grid["cells"]}[key] is True


# --- cells: all or nothing ---------------------------------------------------------------------


def test_cells_are_saved_together_with_a_token(delivery, member, social_space, neighbourhood):
    token = issue_token(member.email).split()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    ew, u18 = key_of(delivery, "EW", neighbourhood), key_of(delivery, "U18", social_space)
    saved = client.patch(
        cells_url(delivery),
        [
            {"key": ew, "number": "1.234", "revision": 0},
            {"key": u18, "number": 17.5, "comment": "Schätzung", "revision": 0},
        ],
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert [(c["key"], c["number"], c["revision"]) for c in saved.json()] == [
        (ew, "1234", 1),
        (u18, "17.5", 1),
    ]
    stored = {v.space_id: v for v in Value.objects.all()}
    assert stored[neighbourhood.pk].number == 1234 and stored[neighbourhood.pk].updated_by == member
    assert stored[social_space.pk].comment == "Schätzung"

    cleared = client.post(
        cells_url(delivery), [{"key": ew, "number": "", "revision": 1}], format="json"
    )
    assert cleared.status_code == 200 and cleared.json()[0]["number"] is None


def test_one_bad_cell_refuses_the_whole_batch_naming_each(
    delivery, member, social_space, neighbourhood
):
    ew, u18 = key_of(delivery, "EW", neighbourhood), key_of(delivery, "U18", social_space)
    total = key_of(delivery, "EW", None)
    refused = api_for(member).post(
        cells_url(delivery),
        [
            {"key": total, "number": "5000"},  # fine on its own
            {"key": ew, "number": "viele"},  # not a number
            {"key": u18, "number": "120"},  # out of range
            {"key": "999-s1", "number": "1"},  # no such cell
            {"key": ew, "number": True},  # the wrong JSON type
            {"key": total, "number": "1", "revision": -1},  # the wrong revision
            "EW=5",  # not a cell at all
        ],
        format="json",
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["detail"] == "Nichts wurde gespeichert: Bitte korrigieren Sie die genannten Zellen."
    errors = [(e["index"], e["key"], e["message"]) for e in body["errors"]]
    assert errors[0] == (1, ew, "„viele“ ist keine Zahl.")
    assert errors[1] == (2, u18, "Ein Prozentsatz liegt zwischen 0 und 100.")
    assert errors[2] == (3, "999-s1", "Diese Lieferung hat keine Zelle „999-s1“.")
    assert errors[3][:2] == (4, ew) and errors[3][2].startswith("number: ")
    assert errors[4][:2] == (5, total) and errors[4][2].startswith("revision: ")
    assert errors[5][:2] == (6, "")
    assert len(errors) == 6
    assert not Value.objects.exists()


def test_a_cell_given_twice_is_refused(delivery, member, neighbourhood):
    ew = key_of(delivery, "EW", neighbourhood)
    refused = api_for(member).post(
        cells_url(delivery), [{"key": ew, "number": "1"}, {"key": ew, "number": "2"}], format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"index": 1, "key": ew, "message": f"Die Zelle „{ew}“ ist doppelt angegeben."}
    ]
    assert not Value.objects.exists()


def test_a_conflict_answers_409_with_the_current_values_and_stores_nothing(
    delivery, member, own_org, social_space, neighbourhood
):
    colleague = member_of(own_org)
    ew, u18 = key_of(delivery, "EW", neighbourhood), key_of(delivery, "U18", social_space)
    api_for(colleague).post(
        cells_url(delivery),
        [{"key": ew, "number": "100", "comment": "Melderegister"}],
        format="json",
    )
    conflict = api_for(member).post(
        cells_url(delivery),
        [{"key": u18, "number": "18"}, {"key": ew, "number": "200", "revision": 0}],
        format="json",
    )
    assert conflict.status_code == 409
    assert conflict.json()["conflicts"] == [
        {"key": ew, "number": "100", "comment": "Melderegister", "revision": 1}
    ]
    assert "nichts wurde gespeichert" in conflict.json()["detail"]
    assert list(Value.objects.values_list("space", "number")) == [(neighbourhood.pk, 100)]

    # Sent again from the current revision, both are stored.
    again = api_for(member).post(
        cells_url(delivery),
        [{"key": u18, "number": "18"}, {"key": ew, "number": "200", "revision": 1}],
        format="json",
    )
    assert again.status_code == 200
    assert Value.objects.get(space=neighbourhood).number == 200


def test_after_the_window_cells_are_refused_with_the_lock_reason(
    delivery_round, delivery, member, coordinator, neighbourhood
):
    past = timezone.localdate() - datetime.timedelta(days=1)
    Round.objects.filter(pk=delivery_round.pk).update(
        opens_on=past - datetime.timedelta(days=20), closes_on=past
    )
    body = [{"key": key_of(delivery, "EW", neighbourhood), "number": "5"}]
    refused = api_for(member).post(cells_url(delivery), body, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Das Lieferfenster endete am")
    assert not Value.objects.exists()
    listed = api_for(member).get(f"/api/v1/deliveries/{delivery.pk}/").json()
    assert listed["locked_reason"].startswith("Das Lieferfenster endete am")

    until = timezone.localdate() + datetime.timedelta(days=3)
    extended = api_for(coordinator).post(
        f"/api/v1/deliveries/{delivery.pk}/extend/", {"until": until.isoformat()}, format="json"
    )
    assert extended.status_code == 200 and extended.json()["deadline"] == until.isoformat()
    assert api_for(member).post(cells_url(delivery), body, format="json").status_code == 200


def test_cells_of_another_municipality_or_by_the_county_are_404(
    delivery, foreign_delivery, member, coordinator, neighbourhood
):
    body = [{"key": key_of(delivery, "EW", neighbourhood), "number": "5"}]
    assert api_for(member).post(cells_url(foreign_delivery), body, format="json").status_code == 404
    # The county reviews; only the supplier's members fill in.
    assert api_for(coordinator).post(cells_url(delivery), body, format="json").status_code == 404
    assert not Value.objects.exists()


def test_a_body_that_is_not_a_list_is_refused(delivery, member):
    refused = api_for(member).post(cells_url(delivery), {"key": "1"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Senden Sie eine Liste von Zellen")


# --- submission and review -----------------------------------------------------------------------


def _fill_all(delivery, member, social_space, neighbourhood):
    saved = api_for(member).post(
        cells_url(delivery),
        [
            {"key": key_of(delivery, "EW", neighbourhood), "number": "1234"},
            {"key": key_of(delivery, "U18", social_space), "number": "17,5"},
        ],
        format="json",
    )
    assert saved.status_code == 200, saved.json()


def test_a_submission_is_refused_naming_each_problem_then_accepted(
    delivery, member, social_space, neighbourhood
):
    client = api_for(member)
    refused = client.post(f"/api/v1/deliveries/{delivery.pk}/submit/")
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    assert {p["key"] for p in problems} == {
        key_of(delivery, "EW", neighbourhood),
        key_of(delivery, "U18", social_space),
    }
    assert all(p["kind"] == "missing" and "noch keine Zahl" in p["message"] for p in problems)

    _fill_all(delivery, member, social_space, neighbourhood)
    total = key_of(delivery, "EW", None)
    client.post(cells_url(delivery), [{"key": total, "number": "1300"}], format="json")
    refused = client.post(f"/api/v1/deliveries/{delivery.pk}/submit/").json()
    assert [(p["key"], p["kind"]) for p in refused["problems"]] == [(total, "sum")]

    client.post(
        cells_url(delivery), [{"key": total, "number": "1234", "revision": 1}], format="json"
    )
    submitted = client.post(f"/api/v1/deliveries/{delivery.pk}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"

    again = client.post(f"/api/v1/deliveries/{delivery.pk}/submit/")
    assert again.status_code == 400 and again.json()["problems"] == []
    assert "wartet auf die Prüfung des Kreises" in again.json()["detail"]
    locked = client.post(cells_url(delivery), [{"key": total, "number": "1"}], format="json")
    assert locked.status_code == 400 and "wartet auf die Prüfung" in locked.json()["detail"]


def test_only_coordinators_review_and_a_member_is_told_why(
    delivery, foreign_delivery, member, outsider, coordinator, social_space, neighbourhood
):
    _fill_all(delivery, member, social_space, neighbourhood)
    rounds.submit(delivery, actor=member)
    url = f"/api/v1/deliveries/{delivery.pk}/"
    until = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    for action, body, message in (
        ("approve", {}, "Nur die Koordination des Kreises gibt Lieferungen frei."),
        (
            "send-back",
            {"comment": "x"},
            "Nur die Koordination des Kreises gibt Lieferungen zurück.",
        ),
        (
            "extend",
            {"until": until},
            "Nur die Koordination des Kreises verlängert das Lieferfenster.",
        ),
    ):
        refused = api_for(member).post(f"{url}{action}/", body, format="json")
        assert refused.status_code == 403, action
        assert refused.json()["detail"] == message
        assert api_for(outsider).post(f"{url}{action}/", body, format="json").status_code == 404
    delivery.refresh_from_db()
    assert delivery.review == Review.PENDING and delivery.deadline_extended_to is None
    assert delivery.status == Delivery.Status.SUBMITTED

    client = api_for(coordinator)
    empty = client.post(f"{url}send-back/", {}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()
    returned = client.post(f"{url}send-back/", {"comment": "Bitte Altstadt prüfen."}, format="json")
    assert returned.status_code == 200
    assert (returned.json()["review"], returned.json()["status"]) == ("returned", "in_progress")
    early = client.post(f"{url}approve/")
    assert early.status_code == 400
    assert early.json()["detail"] == (
        "Nur eine abgegebene, noch nicht freigegebene Lieferung kann freigegeben werden."
    )

    rounds.submit(delivery, actor=member)
    approved = client.post(f"{url}approve/")
    assert approved.status_code == 200 and approved.json()["review"] == "approved"
    assert approved.json()["locked_reason"].startswith("Der Kreis hat diese Lieferung am")
    too_early = client.post(
        f"{url}extend/", {"until": delivery.round.closes_on.isoformat()}, format="json"
    )
    assert too_early.status_code == 400 and "until" in too_early.json()


# --- the schema ----------------------------------------------------------------------------------


def test_the_schema_lists_the_rounds_operations(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path, methods in {
        "/api/v1/delivery-rounds/": {"get", "post"},
        "/api/v1/delivery-rounds/{id}/": {"get", "put", "patch"},
        "/api/v1/delivery-rounds/{id}/completeness/": {"get"},
        "/api/v1/deliveries/": {"get"},
        "/api/v1/deliveries/{id}/": {"get"},
        "/api/v1/deliveries/{id}/grid/": {"get"},
        "/api/v1/deliveries/{id}/cells/": {"post", "patch"},
        "/api/v1/deliveries/{id}/submit/": {"post"},
        "/api/v1/deliveries/{id}/approve/": {"post"},
        "/api/v1/deliveries/{id}/send-back/": {"post"},
        "/api/v1/deliveries/{id}/extend/": {"post"},
    }.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
    assert "delete" not in paths["/api/v1/delivery-rounds/{id}/"]
    assert "409" in paths["/api/v1/deliveries/{id}/cells/"]["post"]["responses"]
