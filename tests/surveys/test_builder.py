"""The coordinator builds, previews, publishes and re-versions a survey in the web UI."""

import pytest
from django.urls import reverse

from surveys.models import Question, Survey
from tests.factories import OrganisationFactory, QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities():
    return OrganisationFactory.create_batch(3)


def create_survey(client):
    response = client.post(
        reverse("surveys:survey_create"),
        {
            "title": "Ausgangssituation",
            "deadline": "2030-01-31",
            "audience_kinds": ["municipality"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Survey.objects.get(title="Ausgangssituation")


def add_question(client, survey, **data):
    section = survey.draft_version.sections.first()
    payload = {"section": section.pk, "position": 1, "kind": "short_text", "text": "Frage", **data}
    return client.post(reverse("surveys:question_create", args=[survey.pk]), payload)


def test_coordinator_builds_previews_and_publishes(client, coordinator, municipalities):
    client.force_login(coordinator)
    survey = create_survey(client)
    assert set(survey.audience.all()) == set(municipalities)
    client.post(
        reverse("surveys:section_create", args=[survey.pk]),
        {"title": "Sozialplanung", "position": 1},
    )
    assert (
        add_question(
            client,
            survey,
            key="stelle",
            kind="single_choice",
            text="Gibt es eine Stelle?",
            choices="ja = Ja\nnein = Nein",
            required="on",
        ).status_code
        == 302
    )
    assert (
        add_question(
            client,
            survey,
            key="vzae",
            kind="decimal",
            text="Wie viele VZÄ?",
            min_value="0",
            max_value="20",
            unit="VZÄ",
            condition_question="stelle",
            condition_equals="ja",
        ).status_code
        == 302
    )
    assert (
        add_question(
            client,
            survey,
            key="plaene",
            kind="table",
            text="Fachplanungen",
            table_columns="name | Fachplanung | short_text | required\njahr | Jahr | integer",
        ).status_code
        == 302
    )
    stelle = Question.objects.get(key="stelle")
    assert stelle.config == {
        "choices": [{"value": "ja", "label": "Ja"}, {"value": "nein", "label": "Nein"}]
    }
    assert Question.objects.get(key="vzae").condition == {"question": "stelle", "equals": "ja"}
    assert Question.objects.get(key="plaene").config["columns"][0] == {
        "key": "name",
        "label": "Fachplanung",
        "kind": "short_text",
        "required": True,
    }
    preview = client.get(reverse("surveys:preview", args=[survey.pk])).content.decode()
    assert (
        "Gibt es eine Stelle?" in preview
        and "Fachplanungen" in preview
        and "hx-post" not in preview
    )
    client.post(reverse("surveys:publish", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "published" and survey.current_version.number == 1


def test_published_version_is_frozen_until_a_new_version_starts(
    client, coordinator, municipalities
):
    client.force_login(coordinator)
    survey = create_survey(client)
    client.post(reverse("surveys:section_create", args=[survey.pk]), {"title": "A", "position": 1})
    add_question(client, survey, key="frage")
    client.post(reverse("surveys:publish", args=[survey.pk]))
    question = Question.objects.get(key="frage")
    url = reverse("surveys:question_edit", args=[survey.pk, question.pk])
    client.post(
        url,
        {
            "section": question.section_id,
            "position": 1,
            "key": "frage",
            "kind": "short_text",
            "text": "Neu",
        },
    )
    question.refresh_from_db()
    assert question.text == "Frage"
    client.post(reverse("surveys:start_new_version", args=[survey.pk]))
    draft = survey.draft_version
    copy = Question.objects.get(section__version=draft, key="frage")
    edit = reverse("surveys:question_edit", args=[survey.pk, copy.pk])
    client.post(
        edit,
        {
            "section": copy.section_id,
            "position": 1,
            "key": "frage",
            "kind": "short_text",
            "text": "Neu",
        },
    )
    copy.refresh_from_db()
    question.refresh_from_db()
    assert (copy.text, question.text) == ("Neu", "Frage")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": "wahl", "kind": "single_choice"}, "mindestens eine Option"),
        (
            {"key": "zahl", "kind": "integer", "min_value": "5", "max_value": "1"},
            "unter dem Minimum",
        ),
        ({"key": "Gross"}, "Kleinbuchstaben"),
        ({"key": "tab", "kind": "table", "table_columns": "a | A | farbe"}, "Zeile 1"),
        ({"key": "mat", "kind": "matrix", "rows": "A"}, "Spalten"),
    ],
)
def test_bad_question_settings_are_named_and_nothing_saved(
    client, coordinator, municipalities, data, message
):
    client.force_login(coordinator)
    survey = create_survey(client)
    client.post(reverse("surveys:section_create", args=[survey.pk]), {"title": "A", "position": 1})
    response = add_question(client, survey, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_duplicate_key_is_refused(client, coordinator, municipalities):
    client.force_login(coordinator)
    survey = create_survey(client)
    client.post(reverse("surveys:section_create", args=[survey.pk]), {"title": "A", "position": 1})
    add_question(client, survey, key="frage")
    response = add_question(client, survey, key="frage")
    assert "doppelt" in response.content.decode()
    assert Question.objects.count() == 1


def test_builder_is_for_coordinators_only(client, member, coordinator, municipalities):
    client.force_login(coordinator)
    survey = create_survey(client)
    client.force_login(member)
    for name in ("builder", "preview", "survey_edit"):
        assert client.get(reverse(f"surveys:{name}", args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys:survey_create")).status_code == 404
    assert client.post(reverse("surveys:publish", args=[survey.pk])).status_code == 404


def test_the_builder_shows_a_condition_as_the_respondent_reads_it(client, coordinator):
    survey = SurveyFactory(title="Bedingungen", actor=coordinator)
    section = SectionFactory(version=survey.draft_version, position=1, title="Eins")
    QuestionFactory(
        section=section, position=1, key="stelle", kind="yes_no", text="Gibt es eine Stelle?"
    )
    QuestionFactory(
        section=section,
        position=2,
        key="vzae",
        kind="decimal",
        text="Wie viele VZÄ?",
        condition={"question": "stelle", "equals": True},
    )
    client.force_login(coordinator)
    page = client.get(reverse("surveys:builder", args=[survey.pk])).content.decode()
    assert "stelle = True" not in page
    assert "wenn „Gibt es eine Stelle?“ mit „Ja“ beantwortet ist" in page
