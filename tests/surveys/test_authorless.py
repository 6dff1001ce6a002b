"""Answers without an author (the demo's, or those whose author's account was deleted) are
shown as such everywhere, never as a server error."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from participation.models import Person
from surveys import services
from surveys.demo import TITLE
from surveys.models import Answer, Question, Survey
from tests.factories import AnswerFactory, UserFactory, member_of
from tests.surveys.test_services import build_survey

pytestmark = pytest.mark.django_db


def survey_pages(survey, response):
    return [
        reverse("surveys:response", args=[response.pk]),
        reverse("surveys:response_print", args=[response.pk]),
        *(
            f"{reverse('surveys:response', args=[response.pk])}?section={section.pk}"
            for section in response.version.sections.all()
        ),
    ]


def compare_pages(survey):
    questions = Question.objects.filter(section__version=survey.current_version)
    return [
        f"{reverse('surveys:compare', args=[survey.pk])}?question={question.key}"
        for question in questions
    ]


def export_pages(survey):
    return [
        f"{reverse(name, args=[survey.pk])}?layout={layout}"
        for name in ("surveys:export_csv", "surveys:export_xlsx")
        for layout in ("wide", "long")
    ]


def get_all(client, urls):
    failed = {}
    for url in urls:
        result = client.get(url)
        if result.status_code != 200:
            failed[url] = result.status_code
        elif hasattr(result, "streaming_content"):
            b"".join(result.streaming_content)
    return failed


def test_every_demo_survey_page_answers_for_the_coordinator_and_a_member(client, coordinator):
    call_command("seed_demo", verbosity=0)
    survey = Survey.objects.get(title=TITLE)
    assert Answer.objects.filter(response__survey=survey, updated_by=None).exists()

    client.force_login(coordinator)
    urls = [url for response in survey.responses.all() for url in survey_pages(survey, response)]
    assert get_all(client, [*urls, *compare_pages(survey), *export_pages(survey)]) == {}
    page = client.get(reverse("surveys:response_print", args=[survey.responses.first().pk]))
    assert "unbekannt" in page.content.decode()

    # A member of a demo municipality, reading their own response, then the published results.
    siegburg = survey.responses.get(organisation__short_name="Siegburg")
    person = Person.objects.filter(memberships__organisation=siegburg.organisation).first()
    person.user = UserFactory(email=person.email)
    person.save()
    client.force_login(person.user)
    assert get_all(client, survey_pages(survey, siegburg)) == {}
    services.close_survey(survey, actor=coordinator)
    services.publish_results(survey, actor=coordinator)
    assert get_all(client, compare_pages(survey)) == {}


@pytest.fixture
def response(coordinator, own_org):
    survey = build_survey(coordinator, audience=[own_org])
    return services.response_for(survey, own_org)


def test_an_answer_whose_author_was_deleted_shows_an_unknown_author(
    client, coordinator, member, own_org, response
):
    author = member_of(own_org)
    notes = Question.objects.get(section__version=response.version, key="notes")
    services.save_answer(response, notes, "Aus der Planung", actor=author, base_revision=0)
    planner = Question.objects.get(section__version=response.version, key="planner")
    AnswerFactory(response=response, question=planner, value="no")
    author.delete()

    for user in (member, coordinator):
        client.force_login(user)
        for url in survey_pages(response.survey, response):
            page = client.get(url)
            assert page.status_code == 200
            assert page.content.decode().count("unbekannt") == 2, url
    client.force_login(coordinator)
    for url in compare_pages(response.survey)[:1]:
        page = client.get(url)
        assert page.status_code == 200 and "unbekannt" in page.content.decode()
    assert get_all(client, export_pages(response.survey)) == {}


def test_a_conflict_with_an_authorless_answer_names_no_one(client, member, response):
    notes = Question.objects.get(section__version=response.version, key="notes")
    AnswerFactory(response=response, question=notes, value="Alt")
    client.force_login(member)
    url = reverse("surveys:save_answer", args=[response.pk, "notes"])
    result = client.post(url, {"q-notes": "Neu", "q-notes-revision": 0}, HTTP_HX_REQUEST="true")
    assert result.status_code == 409
    assert "unbekannt" in result.content.decode()
