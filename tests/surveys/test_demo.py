"""The surveys demo seeded by `seed_demo` through the app hook: the municipalities' survey on
their starting conditions, published, with responses in several states; idempotent."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from participation import hooks
from participation.models import Organisation, OrganisationKind, Person
from surveys import services
from surveys.demo import TITLE
from surveys.models import (
    Answer,
    AnswerChange,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyVersion,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def survey_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Survey,
            SurveyVersion,
            Section,
            Question,
            Response,
            Answer,
            AnswerChange,
            LogEntry,
        )
    }


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def response_of(survey, short_name):
    return survey.responses.get(organisation__short_name=short_name)


def test_seed_demo_twice_creates_one_published_survey():
    first_output = seed()
    first = survey_counts()
    second_output = seed()

    assert survey_counts() == first
    assert "surveys demo:" in first_output
    assert "already exists" in second_output
    survey = Survey.objects.get(title=TITLE)
    assert survey.status == Survey.Status.PUBLISHED
    assert survey.deadline is not None
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    assert municipalities.count() == 19
    assert set(survey.audience.all()) == set(municipalities)
    # One answer per question and response, even after the second run.
    assert Answer.objects.count() == len(set(Answer.objects.values_list("response", "question")))


def test_demo_survey_uses_every_kind_and_valid_conditions():
    seed()
    survey = Survey.objects.get(title=TITLE)
    version = survey.current_version
    questions = list(Question.objects.filter(section__version=version))

    assert survey.versions.count() == 1 and version.is_frozen
    assert {q.kind for q in questions} == set(QuestionKind.values)
    services.check_version(version)  # unique keys, conditions point to earlier questions
    conditional = {q.key: q.condition["question"] for q in questions if q.condition}
    assert conditional == {
        "sozialplanung_vzae": "sozialplanung_stelle",
        "sozialplanung_amt": "sozialplanung_stelle",
        "sozialraeume_anzahl": "sozialraeume_gliederung",
        "sozialraeume_abgrenzung": "sozialraeume_gliederung",
    }
    assert {q.key for q in questions if q.required} == {"sozialplanung_stelle", "erwartungen"}


def test_demo_responses_are_in_several_states():
    seed()
    survey = Survey.objects.get(title=TITLE)

    siegburg = response_of(survey, "Siegburg")
    assert siegburg.status == Response.Status.SUBMITTED
    assert siegburg.submitted_at is not None
    assert services.missing_required(siegburg) == []
    troisdorf = response_of(survey, "Troisdorf")
    assert troisdorf.status == Response.Status.IN_PROGRESS
    assert troisdorf.answers.count() > 1
    assert services.missing_required(troisdorf)  # the expectations are still open
    changed = troisdorf.answers.get(question__key="sozialplanung_vzae")
    assert changed.revision == 2
    assert list(changed.changes.values_list("new_value", flat=True)) == ["1.00", "0.50"]
    hennef = response_of(survey, "Hennef (Sieg)")
    assert hennef.status == Response.Status.IN_PROGRESS
    assert hennef.answers.count() == 1
    assert survey.responses.count() == 3  # the other 16 municipalities have not started


def test_demo_answers_name_the_members_with_accounts():
    seed()
    # Give Troisdorf's two demo members accounts, then seed the survey afresh.
    people = Person.objects.filter(memberships__organisation__short_name="Troisdorf")
    users = []
    for person in people:
        person.user = UserFactory(email=person.email)
        person.save()
        users.append(person.user)
    Response.objects.all().delete()
    Survey.objects.all().delete()
    seed()

    troisdorf = response_of(Survey.objects.get(title=TITLE), "Troisdorf")
    authors = set(
        AnswerChange.objects.filter(answer__response=troisdorf).values_list("changed_by", flat=True)
    )
    assert len(users) == 2
    assert authors == {user.pk for user in users}


def test_the_hook_only_skips_a_missing_demo_module(monkeypatch):
    real_import = hooks.importlib.import_module

    def import_module(name):
        if name == "surveys.demo":
            error = ModuleNotFoundError("No module named 'openpyxl'")
            error.name = "openpyxl"
            raise error
        return real_import(name)

    monkeypatch.setattr(hooks.importlib, "import_module", import_module)
    with pytest.raises(ModuleNotFoundError):
        seed()
