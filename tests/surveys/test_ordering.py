"""The coordinator moves sections and questions of the draft up and down; positions stay
dense and unique; a question moves across into the neighbouring section at the edges;
published versions refuse."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys import ordering, services
from surveys.models import Question, Section
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(coordinator):
    survey = SurveyFactory(title="Reihenfolge", actor=coordinator)
    version = survey.draft_version
    # Positions typed by hand: gaps and a tie, as the forms allow.
    for position, title in ((1, "Eins"), (5, "Zwei"), (5, "Drei")):
        SectionFactory(version=version, position=position, title=title)
    first, second, _third = version.sections.order_by("position", "pk")
    for position, key in ((2, "a"), (2, "b"), (7, "c")):
        QuestionFactory(
            section=first, position=position, key=key, kind="short_text", text=f"Frage {key}"
        )
    QuestionFactory(section=second, position=1, key="d", kind="short_text", text="Frage d")
    return survey


def sections(survey):
    return [(s.title, s.position) for s in survey.draft_version.sections.order_by("position")]


def layout(survey):
    """Each section's question keys in order, with positions checked to be 1, 2, 3, …"""
    result = {}
    for section in survey.draft_version.sections.order_by("position"):
        questions = list(section.questions.order_by("position"))
        assert [q.position for q in questions] == list(range(1, len(questions) + 1))
        result[section.title] = [q.key for q in questions]
    return result


def section(survey, title):
    return Section.objects.get(version=survey.draft_version, title=title)


def question(survey, key):
    return Question.objects.get(section__version=survey.draft_version, key=key)


def test_moving_a_section_makes_positions_dense_and_unique(survey, coordinator):
    ordering.move_section(section(survey, "Drei"), direction="up", actor=coordinator)
    assert sections(survey) == [("Eins", 1), ("Drei", 2), ("Zwei", 3)]
    ordering.move_section(section(survey, "Eins"), direction="down", actor=coordinator)
    assert sections(survey) == [("Drei", 1), ("Eins", 2), ("Zwei", 3)]


def test_first_and_last_section_stay_at_the_edges(survey, coordinator):
    ordering.move_section(section(survey, "Eins"), direction="up", actor=coordinator)
    ordering.move_section(section(survey, "Drei"), direction="down", actor=coordinator)
    assert sections(survey) == [("Eins", 1), ("Zwei", 2), ("Drei", 3)]


def test_question_moves_within_its_section(survey, coordinator):
    ordering.move_question(question(survey, "b"), direction="up", actor=coordinator)
    assert layout(survey)["Eins"] == ["b", "a", "c"]
    ordering.move_question(question(survey, "b"), direction="down", actor=coordinator)
    assert layout(survey)["Eins"] == ["a", "b", "c"]


def test_question_moves_across_into_the_neighbouring_section(survey, coordinator):
    ordering.move_question(question(survey, "c"), direction="down", actor=coordinator)
    assert layout(survey) == {"Eins": ["a", "b"], "Zwei": ["c", "d"], "Drei": []}
    ordering.move_question(question(survey, "c"), direction="up", actor=coordinator)
    assert layout(survey) == {"Eins": ["a", "b", "c"], "Zwei": ["d"], "Drei": []}
    ordering.move_question(question(survey, "d"), direction="down", actor=coordinator)
    assert layout(survey) == {"Eins": ["a", "b", "c"], "Zwei": [], "Drei": ["d"]}
    # The very first and the very last question stay where they are.
    ordering.move_question(question(survey, "a"), direction="up", actor=coordinator)
    ordering.move_question(question(survey, "d"), direction="down", actor=coordinator)
    assert layout(survey) == {"Eins": ["a", "b", "c"], "Zwei": [], "Drei": ["d"]}


def test_published_version_refuses_to_be_reordered(survey, coordinator):
    services.publish(survey, actor=coordinator)
    with pytest.raises(ValidationError, match="veröffentlichte Version"):
        ordering.move_section(section_of_current(survey, "Zwei"), direction="up", actor=coordinator)
    with pytest.raises(ValidationError, match="veröffentlichte Version"):
        ordering.move_question(
            Question.objects.get(section__version=survey.current_version, key="b"),
            direction="up",
            actor=coordinator,
        )


def section_of_current(survey, title):
    return Section.objects.get(version=survey.current_version, title=title)


def test_unknown_direction_is_refused(survey, coordinator):
    with pytest.raises(ValueError):
        ordering.move_section(section(survey, "Eins"), direction="sideways", actor=coordinator)


# --- in the builder ----------------------------------------------------------------------------


def move_url(survey, item):
    name = "surveys:section_move" if isinstance(item, Section) else "surveys:question_move"
    return reverse(name, args=[survey.pk, item.pk])


def test_coordinator_moves_with_buttons_and_is_told_where_it_went(client, coordinator, survey):
    client.force_login(coordinator)
    result = client.post(move_url(survey, question(survey, "c")), {"direction": "down"})
    assert result.status_code == 302
    assert result["Location"].endswith("#question-c")
    page = client.get(result["Location"]).content.decode()
    assert "Die Frage „Frage c“ steht jetzt an Position 1 in „Zwei“." in page
    result = client.post(
        move_url(survey, section(survey, "Zwei")), {"direction": "up"}, follow=True
    )
    assert "Der Abschnitt „Zwei“ steht jetzt an Position 1." in result.content.decode()
    assert sections(survey) == [("Zwei", 1), ("Eins", 2), ("Drei", 3)]


def test_builder_offers_labelled_move_buttons_only_where_a_move_is_possible(
    client, coordinator, survey
):
    client.force_login(coordinator)
    page = client.get(reverse("surveys:builder", args=[survey.pk])).content.decode()
    assert 'Nach unten verschieben<span class="visually-hidden"> – Abschnitt „Eins“' in page
    assert 'Nach oben verschieben<span class="visually-hidden"> – Abschnitt „Eins“' not in page
    assert 'Nach oben verschieben<span class="visually-hidden"> – Frage b</span>' in page
    assert "In den nächsten Abschnitt verschieben" in page  # the last of "Eins"
    assert "In den vorigen Abschnitt verschieben" in page  # the only one of "Zwei"


def test_moving_in_a_published_version_is_refused_with_a_message(client, coordinator, survey):
    services.publish(survey, actor=coordinator)
    client.force_login(coordinator)
    services.editable_version(survey, actor=coordinator)  # a newer draft exists, too
    frozen = section_of_current(survey, "Zwei")
    result = client.post(move_url(survey, frozen), {"direction": "up"}, follow=True)
    assert "Eine veröffentlichte Version kann nicht geändert werden" in result.content.decode()
    assert section_of_current(survey, "Zwei").position == 5


def test_moves_are_for_coordinators_and_need_a_direction(client, coordinator, member, survey):
    client.force_login(member)
    assert (
        client.post(move_url(survey, section(survey, "Zwei")), {"direction": "up"}).status_code
        == 404
    )
    client.force_login(coordinator)
    assert client.post(move_url(survey, section(survey, "Zwei")), {}).status_code == 400
    assert client.get(move_url(survey, section(survey, "Zwei"))).status_code == 405
