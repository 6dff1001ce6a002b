"""Chained conditions A → B → C: visibility follows what is shown, not what is stored. When A
is set back, B hides, and B's old answer (still stored) no longer shows or requires C; on
the page, over the API and in submit's completeness check."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from surveys import services
from surveys.models import Response
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory
from tests.surveys.test_services import CHOICES

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
CONCEPT_YEAR = "Seit wann gibt es das Konzept?"


@pytest.fixture
def response(coordinator, own_org):
    survey = SurveyFactory(title="Sozialplanung", actor=coordinator, audience=[own_org])
    section = SectionFactory(version=survey.draft_version, position=1, title="Planung")
    QuestionFactory(
        section=section,
        position=1,
        key="planner",
        kind="single_choice",
        text="Gibt es eine Sozialplanung?",
        required=True,
        config=CHOICES,
    )
    QuestionFactory(
        section=section,
        position=2,
        key="concept",
        kind="single_choice",
        text="Gibt es ein Konzept?",
        config=CHOICES,
        condition={"question": "planner", "equals": "yes"},
    )
    QuestionFactory(
        section=section,
        position=3,
        key="concept_year",
        kind="integer",
        text=CONCEPT_YEAR,
        required=True,
        config={"min": 1990, "max": 2030},
        condition={"question": "concept", "equals": "yes"},
    )
    services.publish(survey, actor=coordinator)
    return services.response_for(survey, own_org)


def autosave(client, response, key, value, revision):
    url = reverse("surveys:save_answer", args=[response.pk, key])
    return client.post(url, {f"q-{key}": value, f"q-{key}-revision": revision}, **HTMX)


def hidden(page, key):
    return re.search(rf'id="question-{key}"\s+hidden', page) is not None


def test_setting_the_first_question_back_hides_the_third_on_the_page_and_submits(
    client, member, response
):
    """Catches: visibility computed from the stored answers instead of the shown ones."""
    client.force_login(member)
    autosave(client, response, "planner", "yes", 0)
    autosave(client, response, "concept", "yes", 0)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert not hidden(page, "concept") and not hidden(page, "concept_year")

    fragment = autosave(client, response, "planner", "no", 1).content.decode()
    assert hidden(fragment, "concept") and hidden(fragment, "concept_year")
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert hidden(page, "concept") and hidden(page, "concept_year")
    assert services.answers_by_key(response)["concept"] == "yes"  # the old answer remains
    assert [q.key for q in services.missing_required(response)] == []

    result = client.post(reverse("surveys:submit", args=[response.pk]))
    assert result.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


def test_setting_the_first_question_back_over_the_api_needs_no_third_answer(member, response):
    """Catches: visibility computed from the stored answers instead of the shown ones."""
    client = APIClient()
    client.force_authenticate(member)
    url = f"/api/v1/survey-responses/{response.pk}/"
    client.put(f"{url}answers/planner/", {"value": "yes", "base_revision": 0}, format="json")
    client.put(f"{url}answers/concept/", {"value": "yes", "base_revision": 0}, format="json")
    incomplete = client.post(f"{url}submit/")
    assert incomplete.status_code == 400 and incomplete.json()["missing"] == ["concept_year"]

    client.put(f"{url}answers/planner/", {"value": "no", "base_revision": 1}, format="json")
    done = client.post(f"{url}submit/")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
