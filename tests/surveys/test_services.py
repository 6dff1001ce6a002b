"""Survey rules: one response per organisation, autosave without lost updates, history,
submit rules, deadlines, versions carrying answers over, and who reaches which response."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.http import Http404

from surveys import selectors, services
from surveys.models import AnswerChange, Question, Response
from tests.factories import (
    OrganisationFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

CHOICES = {"choices": [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]}


def build_survey(coordinator, *, deadline=None, audience=()):
    survey = SurveyFactory(
        title="Ausgangssituation der Kommunen",
        deadline=deadline,
        actor=coordinator,
        audience=audience,
    )
    version = survey.draft_version
    section = SectionFactory(version=version, position=1, title="Sozialplanung")
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
        key="planner_count",
        kind="integer",
        text="Wie viele Stellen?",
        required=True,
        config={"min": 0, "max": 50},
        condition={"question": "planner", "equals": "yes"},
    )
    QuestionFactory(section=section, position=3, key="notes", kind="long_text", text="Anmerkungen")
    services.publish(survey, actor=coordinator)
    return survey


def question(response, key):
    return Question.objects.get(section__version=response.version, key=key)


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org):
    return services.response_for(survey, own_org)


def test_one_response_per_organisation(survey, own_org):
    assert services.response_for(survey, own_org) == services.response_for(survey, own_org)
    assert Response.objects.filter(survey=survey, organisation=own_org).count() == 1


def test_second_save_from_an_old_revision_is_a_conflict_not_a_lost_update(
    response, member, own_org
):
    colleague = member_of(own_org)
    notes = question(response, "notes")
    services.save_answer(response, notes, "Erste Fassung", actor=member, base_revision=0)
    with pytest.raises(services.AnswerConflict) as conflict:
        services.save_answer(response, notes, "Zweite Fassung", actor=colleague, base_revision=0)
    assert conflict.value.answer.value == "Erste Fassung"
    assert conflict.value.answer.updated_by == member
    # The colleague saw both values and chooses theirs, based on the current revision.
    answer = services.save_answer(
        response, notes, "Zweite Fassung", actor=colleague, base_revision=1
    )
    assert (answer.value, answer.revision, answer.updated_by) == ("Zweite Fassung", 2, colleague)
    history = list(AnswerChange.objects.filter(answer=answer).order_by("revision"))
    assert [(c.old_value, c.new_value, c.changed_by) for c in history] == [
        (None, "Erste Fassung", member),
        ("Erste Fassung", "Zweite Fassung", colleague),
    ]


def test_saving_the_value_already_there_is_not_a_conflict(response, member):
    notes = question(response, "notes")
    services.save_answer(response, notes, "Gleich", actor=member, base_revision=0)
    answer = services.save_answer(response, notes, "Gleich", actor=member, base_revision=0)
    assert answer.revision == 1


@pytest.mark.row_locks
@pytest.mark.django_db(transaction=True)
def test_two_staff_saving_at_the_same_moment_never_lose_an_update(coordinator, own_org):
    survey = build_survey(coordinator, audience=[own_org])
    response = services.response_for(survey, own_org)
    notes = question(response, "notes")
    staff = [member_of(own_org), member_of(own_org)]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, text):
        try:
            barrier.wait()
            services.save_answer(response, notes, text, actor=user, base_revision=0)
            outcomes.append("saved")
        except services.AnswerConflict:
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=save, args=(user, f"Text {i}")) for i, user in enumerate(staff)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert AnswerChange.objects.filter(answer__question=notes).count() == 1


def test_invalid_answer_is_refused_and_nothing_stored(response, member):
    with pytest.raises(ValidationError):
        services.save_answer(
            response, question(response, "planner"), "vielleicht", actor=member, base_revision=0
        )
    assert not response.answers.exists()


def test_question_of_another_survey_is_refused(response, member, coordinator, own_org):
    other = build_survey(coordinator, audience=[own_org])
    foreign = Question.objects.get(section__version=other.current_version, key="notes")
    with pytest.raises(ValidationError):
        services.save_answer(response, foreign, "x", actor=member, base_revision=0)


def test_submit_checks_required_and_conditional_questions(response, member):
    with pytest.raises(services.IncompleteResponse) as incomplete:
        services.submit_response(response, actor=member)
    assert [q.key for q in incomplete.value.questions] == ["planner"]
    # "No" hides the follow-up, so it is not required.
    services.save_answer(
        response, question(response, "planner"), "no", actor=member, base_revision=0
    )
    assert services.missing_required(response) == []
    # "Yes" shows it, and then it is required.
    services.save_answer(
        response, question(response, "planner"), "yes", actor=member, base_revision=1
    )
    with pytest.raises(services.IncompleteResponse) as incomplete:
        services.submit_response(response, actor=member)
    assert [q.key for q in incomplete.value.questions] == ["planner_count"]
    services.save_answer(
        response, question(response, "planner_count"), "2", actor=member, base_revision=0
    )
    submitted = services.submit_response(response, actor=member)
    assert submitted.status == Response.Status.SUBMITTED and submitted.submitted_by == member


def test_submitted_response_is_read_only_until_reopened(response, member, coordinator):
    services.save_answer(
        response, question(response, "planner"), "no", actor=member, base_revision=0
    )
    services.submit_response(response, actor=member)
    response.refresh_from_db()
    with pytest.raises(ValidationError, match="abgeschickt"):
        services.save_answer(
            response, question(response, "notes"), "spät", actor=member, base_revision=0
        )
    services.reopen_response(response, actor=coordinator)
    services.save_answer(
        response, question(response, "notes"), "spät", actor=member, base_revision=0
    )


def test_past_the_deadline_only_an_extension_allows_changes(coordinator, own_org, member):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    survey = build_survey(coordinator, deadline=yesterday, audience=[own_org])
    response = services.response_for(survey, own_org)
    with pytest.raises(ValidationError, match="Frist"):
        services.save_answer(
            response, question(response, "notes"), "x", actor=member, base_revision=0
        )
    with pytest.raises(ValidationError):
        services.extend_deadline(response, actor=coordinator, until=yesterday)
    services.extend_deadline(
        response, actor=coordinator, until=datetime.date.today() + datetime.timedelta(days=7)
    )
    services.save_answer(response, question(response, "notes"), "x", actor=member, base_revision=0)


def test_new_version_carries_over_answers_whose_key_and_validity_remain(
    survey, response, member, coordinator
):
    services.save_answer(
        response, question(response, "planner"), "yes", actor=member, base_revision=0
    )
    services.save_answer(
        response, question(response, "planner_count"), "3", actor=member, base_revision=0
    )
    services.save_answer(
        response, question(response, "notes"), "bleibt", actor=member, base_revision=0
    )
    draft = services.editable_version(survey, actor=coordinator)
    assert draft.number == 2
    # The coordinator lowers the maximum below the given answer and rewords a question.
    Question.objects.filter(section__version=draft, key="planner_count").update(
        config={"min": 0, "max": 2}
    )
    Question.objects.filter(section__version=draft, key="notes").update(text="Weitere Anmerkungen")
    services.publish(survey, actor=coordinator)
    response.refresh_from_db()
    assert response.version == draft
    carried = services.answers_by_key(response)
    assert carried == {"planner": "yes", "notes": "bleibt"}
    # The answer that no longer fits stays as history on the old version.
    assert response.answers.get(question__key="planner_count").question.section.version.number == 1
    assert AnswerChange.objects.filter(answer__response=response, new_value="bleibt").exists()


def test_publishing_checks_the_version(coordinator):
    survey = SurveyFactory(title="Leer", actor=coordinator)
    with pytest.raises(ValidationError, match="keine Fragen"):
        services.publish(survey, actor=coordinator)


def test_published_version_is_frozen_and_editing_makes_a_new_one(survey, coordinator):
    first = survey.current_version
    assert first.is_frozen
    draft = services.editable_version(survey, actor=coordinator)
    assert draft != first and not draft.is_frozen
    assert services.editable_version(survey, actor=coordinator) == draft
    assert list(Question.objects.filter(section__version=draft).values_list("key", flat=True)) == [
        "planner",
        "planner_count",
        "notes",
    ]


def test_audience_of_a_kind(coordinator):
    OrganisationFactory.create_batch(3)
    OrganisationFactory(kind="welfare_association", ags=None)
    survey = SurveyFactory(title="Alle Kommunen", actor=coordinator)
    assert services.add_audience_kind(survey, "municipality", actor=coordinator) == 3
    assert survey.audience.count() == 3


def test_member_reaches_only_their_own_organisations_response(
    survey, response, member, outsider, coordinator, other_org
):
    other_response = services.response_for(survey, other_org)
    assert selectors.get_response_for_user(member, response.pk, write=True) == response
    for pk in (other_response.pk, 999999, "x"):
        with pytest.raises(Http404):
            selectors.get_response_for_user(member, pk)
    with pytest.raises(Http404):
        selectors.get_response_for_user(outsider, response.pk)
    assert selectors.get_response_for_user(coordinator, response.pk) == response
    with pytest.raises(Http404):
        selectors.get_response_for_user(coordinator, response.pk, write=True)
    assert list(selectors.visible_responses(member)) == [response]


def test_members_see_published_surveys_addressed_to_them(survey, member, coordinator, other_org):
    draft = SurveyFactory(title="Entwurf", actor=coordinator)
    draft.audience.add(*survey.audience.all())
    not_for_them = build_survey(coordinator, audience=[other_org])
    visible = list(selectors.visible_surveys(member))
    assert survey in visible and draft not in visible and not_for_them not in visible


@pytest.mark.parametrize("keys", [["a-b"], ["Gross"], ["planner", "planner_1"]])
def test_keys_that_could_clash_in_the_form_are_refused(coordinator, keys):
    survey = SurveyFactory(title="Schlüssel", actor=coordinator)
    section = SectionFactory(version=survey.draft_version, title="S")
    for key in keys:
        QuestionFactory(section=section, key=key, kind="short_text", text=key)
    with pytest.raises(ValidationError):
        services.publish(survey, actor=coordinator)
