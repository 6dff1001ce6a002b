"""A limit of 0 is a limit: the builder keeps a minimum or maximum of 0 (and checks it against
the other limit), and answers beyond it are refused, on the page and over the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from surveys import services
from surveys.models import Answer, Question
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory
from tests.surveys.test_builder import add_question, create_survey

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
AT_MOST_0 = "Der Wert darf höchstens 0 betragen."
AT_LEAST_0 = "Der Wert muss mindestens 0 betragen."


@pytest.mark.parametrize(
    ("kind", "limits", "config"),
    [
        ("integer", {"min_value": "-10", "max_value": "0"}, {"min": -10, "max": 0}),
        ("integer", {"min_value": "0"}, {"min": 0}),
        ("decimal", {"max_value": "0"}, {"max": "0"}),
    ],
    ids=["integer-max-0", "integer-min-0", "decimal-max-0"],
)
def test_the_builder_keeps_a_limit_of_0(client, coordinator, kind, limits, config):
    """Catches: a minimum or maximum of 0 dropped as if none were set."""
    client.force_login(coordinator)
    survey = create_survey(client)
    client.post(reverse("surveys:section_create", args=[survey.pk]), {"title": "A", "position": 1})
    assert add_question(client, survey, key="zahl", kind=kind, **limits).status_code == 302
    assert Question.objects.get(key="zahl").config == config


def test_the_builder_refuses_a_maximum_of_0_below_the_minimum(client, coordinator):
    """Catches: a maximum of 0 ignored when compared with the minimum."""
    client.force_login(coordinator)
    survey = create_survey(client)
    client.post(reverse("surveys:section_create", args=[survey.pk]), {"title": "A", "position": 1})
    page = add_question(client, survey, key="zahl", kind="integer", min_value="5", max_value="0")
    assert "Das Maximum liegt unter dem Minimum." in page.content.decode()
    assert not Question.objects.exists()


@pytest.fixture
def response(coordinator, own_org):
    survey = SurveyFactory(title="Haushalt", actor=coordinator, audience=[own_org])
    section = SectionFactory(version=survey.draft_version, position=1, title="Zahlen")
    QuestionFactory(
        section=section,
        position=1,
        key="deficit",
        kind="integer",
        text="Defizit",
        config={"max": 0},
    )
    QuestionFactory(
        section=section,
        position=2,
        key="places",
        kind="decimal",
        text="Plätze",
        config={"min": 0},
    )
    services.publish(survey, actor=coordinator)
    return services.response_for(survey, own_org)


def test_answers_beyond_a_limit_of_0_are_refused_on_the_page(client, member, response):
    """Catches: a minimum or maximum of 0 ignored when an answer is checked."""
    client.force_login(member)

    def autosave(key, value):
        url = reverse("surveys:save_answer", args=[response.pk, key])
        return client.post(url, {f"q-{key}": value, f"q-{key}-revision": 0}, **HTMX)

    assert AT_MOST_0 in autosave("deficit", "1").content.decode()
    assert AT_LEAST_0 in autosave("places", "-0,5").content.decode()
    section = response.version.sections.get()
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    page = client.post(url, {"q-deficit": "3", "q-places": "-1"}).content.decode()
    assert AT_MOST_0 in page and AT_LEAST_0 in page
    assert not Answer.objects.exists()
    # The limit itself is allowed.
    assert client.post(url, {"q-deficit": "0", "q-places": "0"}).status_code == 302
    assert services.answers_by_key(response) == {"deficit": 0, "places": "0.00"}


def test_answers_beyond_a_limit_of_0_are_refused_over_the_api(member, response):
    """Catches: a minimum or maximum of 0 ignored when an answer is checked."""
    client = APIClient()
    client.force_authenticate(member)
    url = f"/api/v1/survey-responses/{response.pk}/answers/"
    deficit = client.put(f"{url}deficit/", {"value": 1, "base_revision": 0}, format="json")
    assert deficit.status_code == 400 and deficit.json() == {"value": [AT_MOST_0]}
    places = client.put(f"{url}places/", {"value": "-0.5", "base_revision": 0}, format="json")
    assert places.status_code == 400 and places.json() == {"value": [AT_LEAST_0]}
    assert not Answer.objects.exists()
    zero = client.put(f"{url}deficit/", {"value": 0, "base_revision": 0}, format="json")
    assert zero.status_code == 200 and zero.json()["value"] == 0
