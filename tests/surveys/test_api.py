"""Surveys over the REST API, with the web UI's permissions and conflict rule."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from surveys import services
from tests.surveys.test_services import build_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org):
    return services.response_for(survey, own_org)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def answer_url(response, key):
    return f"/api/v1/survey-responses/{response.pk}/answers/{key}/"


def test_member_sees_the_survey_and_only_their_organisations_response(
    member, survey, response, other_org
):
    other = services.response_for(survey, other_org)
    client = api_for(member)
    surveys = client.get("/api/v1/surveys/").json()["results"]
    assert [s["title"] for s in surveys] == [survey.title]
    assert [q["key"] for q in surveys[0]["sections"][0]["questions"]] == [
        "planner",
        "planner_count",
        "notes",
    ]
    ids = [r["id"] for r in client.get("/api/v1/survey-responses/").json()["results"]]
    assert ids == [response.pk]
    assert client.get(f"/api/v1/survey-responses/{other.pk}/").status_code == 404
    assert (
        client.put(
            answer_url(other, "notes"), {"value": "x", "base_revision": 0}, format="json"
        ).status_code
        == 404
    )


def test_answer_with_a_token_then_a_stale_revision_conflicts(member, response):
    out = StringIO()
    call_command("create_api_token", member.email, stdout=out)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip().split()[-1]}")
    first = client.put(
        answer_url(response, "notes"), {"value": "A", "base_revision": 0}, format="json"
    )
    assert first.status_code == 200 and first.json()["revision"] == 1
    assert first.json()["updated_by"] == member.email
    stale = client.put(
        answer_url(response, "notes"), {"value": "B", "base_revision": 0}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["value"] == "A"
    assert services.answers_by_key(response)["notes"] == "A"


def test_answer_saved_without_an_account_has_no_author_as_the_schema_allows(member, response):
    question = response.version.sections.get().questions.get(key="notes")
    services.save_answer(response, question, "importiert", actor=None, base_revision=0)
    client = api_for(member)

    answers = client.get(f"/api/v1/survey-responses/{response.pk}/").json()["answers"]

    assert [(a["key"], a["updated_by"]) for a in answers] == [("notes", None)]
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert schema["Answer"]["properties"]["updated_by"]["nullable"] is True


def test_invalid_value_and_unknown_question(member, response):
    client = api_for(member)
    bad = client.put(
        answer_url(response, "planner"), {"value": "vielleicht", "base_revision": 0}, format="json"
    )
    assert bad.status_code == 400 and "vielleicht" in str(bad.json()["value"])
    assert (
        client.put(
            answer_url(response, "nope"), {"value": "x", "base_revision": 0}, format="json"
        ).status_code
        == 404
    )
    missing_revision = client.put(answer_url(response, "notes"), {"value": "x"}, format="json")
    assert missing_revision.status_code == 400
    assert not response.answers.exists()


def test_submit_names_missing_keys_then_submits(member, response):
    client = api_for(member)
    incomplete = client.post(f"/api/v1/survey-responses/{response.pk}/submit/")
    assert incomplete.status_code == 400 and incomplete.json()["missing"] == ["planner"]
    client.put(answer_url(response, "planner"), {"value": "no", "base_revision": 0}, format="json")
    done = client.post(f"/api/v1/survey-responses/{response.pk}/submit/")
    assert done.status_code == 200 and done.json()["status"] == "submitted"


def test_coordinator_reads_all_but_answers_for_nobody(coordinator, survey, response, other_org):
    services.response_for(survey, other_org)
    client = api_for(coordinator)
    assert len(client.get("/api/v1/survey-responses/").json()["results"]) == 2
    put = client.put(
        answer_url(response, "notes"), {"value": "x", "base_revision": 0}, format="json"
    )
    assert put.status_code == 404


def test_anonymous_gets_401(response):
    assert APIClient().get("/api/v1/survey-responses/").status_code == 401


def test_schema_describes_closing_results_and_export_without_warnings(tmp_path):
    path = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", path
    )
    paths = json.loads(path.read_text())["paths"]
    for name in ("close", "reopen", "publish-results", "withdraw-results"):
        assert "post" in paths[f"/api/v1/surveys/{{id}}/{name}/"]
    comparison = paths["/api/v1/surveys/{id}/comparison/"]["get"]
    assert [p["name"] for p in comparison["parameters"] if p["in"] == "query"] == [
        "limit",
        "offset",
        "question",
    ]
    schema = comparison["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/Comparison")
    export = paths["/api/v1/surveys/{id}/export/"]["get"]
    assert {p["name"] for p in export["parameters"] if p["in"] == "query"} == {"format", "layout"}
    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
