"""Autosave over HTTP as htmx sends it: a save that went through answers into the question's
status part only (the inputs, and what is typed into them meanwhile, stay); conflicts and
refused entries redraw the whole question; radio answers can be cleared."""

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import AnswerChange, Question
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory, member_of

pytestmark = pytest.mark.django_db

CHOICES = [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]
COLUMNS = [
    {"key": "name", "label": "Einrichtung", "kind": "short_text"},
    {"key": "seats", "label": "Plätze", "kind": "integer"},
]


@pytest.fixture
def response(coordinator, own_org):
    survey = SurveyFactory(title="Angebote", actor=coordinator)
    survey.audience.add(own_org)
    section = SectionFactory(version=survey.draft_version, position=1, title="Angebote")
    kinds = [
        ("offers", "table", {"columns": COLUMNS}, None),
        ("partners", "multiple_choice", {"choices": CHOICES, "allow_other": True}, None),
        ("planner", "yes_no", {}, None),
        ("planner_count", "integer", {}, {"question": "planner", "equals": True}),
        ("rating", "scale", {}, None),
        ("notes", "long_text", {}, None),
    ]
    for position, (key, kind, config, condition) in enumerate(kinds, start=1):
        QuestionFactory(
            section=section,
            position=position,
            key=key,
            kind=kind,
            text=f"Frage {key}",
            config=config,
            condition=condition,
        )
    services.publish(survey, actor=coordinator)
    return services.response_for(survey, own_org)


def save(client, response, key, data, *, target="status"):
    """Post as htmx does: `target` "status" for a question's change, "question" for its
    buttons (and after a refused entry)."""
    headers = {"HTTP_HX_REQUEST": "true"}
    headers["HTTP_HX_TARGET"] = (
        f"question-{key}-status" if target == "status" else f"question-{key}"
    )
    url = reverse("surveys:save_answer", args=[response.pk, key])
    return client.post(url, data, **headers)


def test_saved_change_answers_only_the_status_part(client, member, response):
    client.force_login(member)
    result = save(client, response, "notes", {"q-notes": "Text", "q-notes-revision": 0})
    page = result.content.decode()
    assert result.status_code == 200
    assert "Gespeichert" in page and member.person.full_name in page
    assert 'name="q-notes-revision" value="1"' in page
    assert "<textarea" not in page and 'id="question-notes"' not in page
    assert "HX-Retarget" not in result


def test_refused_entry_redraws_the_whole_question(client, member, response):
    client.force_login(member)
    data = {"q-planner_count": "viele", "q-planner_count-revision": 0}
    result = save(client, response, "planner_count", data)
    page = result.content.decode()
    assert result.status_code == 400
    assert (result["HX-Retarget"], result["HX-Reswap"]) == ("#question-planner_count", "outerHTML")
    assert 'id="question-planner_count"' in page and 'value="viele"' in page
    assert 'aria-invalid="true"' in page
    # Redrawn with the error, the question asks for whole redraws until it is fine again.
    assert 'hx-target="this"' in page


def test_saved_table_row_adds_empty_rows_out_of_band(client, member, response):
    client.force_login(member)
    data = {
        "q-offers-rows": "2",
        "q-offers-0-name": "Kita Sonnenschein",
        "q-offers-0-seats": "",
        "q-offers-1-name": "",
        "q-offers-1-seats": "",
        "q-offers-revision": "0",
    }
    page = save(client, response, "offers", data).content.decode()
    assert 'hx-swap-oob="beforeend:#id_q-offers_body"' in page
    assert 'name="q-offers-2-name"' in page and 'name="q-offers-0-name"' not in page
    assert 'id="id_q-offers_rows" value="3" hx-swap-oob="true"' in page
    # The rows typed so far stay as they are: nothing of them comes back.
    assert "Kita Sonnenschein" not in page
    data |= {"q-offers-rows": "3", "q-offers-2-name": "", "q-offers-2-seats": ""}
    data |= {"q-offers-0-seats": "40", "q-offers-revision": "1"}
    page = save(client, response, "offers", data).content.decode()
    assert "hx-swap-oob" not in page  # three rows posted, three rows shown: nothing to add
    assert services.answers_by_key(response)["offers"] == [
        {"name": "Kita Sonnenschein", "seats": 40}
    ]


def test_other_marker_follows_the_saved_answer(client, member, response):
    client.force_login(member)
    data = {"q-partners": ["yes", "__other__"], "q-partners-other": "Kirche"}
    page = save(client, response, "partners", data | {"q-partners-revision": 0}).content.decode()
    assert 'id="id_q-partners_other_shown" value="1" hx-swap-oob="true"' in page
    # Unchecking "Other" now drops it, though its text is still there.
    data = {"q-partners": ["yes"], "q-partners-other": "Kirche", "q-partners-other-shown": "1"}
    page = save(client, response, "partners", data | {"q-partners-revision": 1}).content.decode()
    assert 'id="id_q-partners_other_shown" value="" hx-swap-oob="true"' in page
    assert services.answers_by_key(response)["partners"] == ["yes"]


def test_dependent_question_comes_along_only_when_its_visibility_changes(client, member, response):
    client.force_login(member)
    page = save(client, response, "planner", {"q-planner": "yes"}).content.decode()
    assert 'id="question-planner_count"' in page and 'hx-swap-oob="true"' in page
    # Saving the same question again leaves the follow-up (maybe being typed into) alone.
    data = {"q-planner": "yes", "q-planner-revision": 1}
    assert (
        'id="question-planner_count"'
        not in save(client, response, "planner", data).content.decode()
    )
    page = save(client, response, "planner", {"q-planner": "no", "q-planner-revision": 1})
    fragment = page.content.decode()
    dependent = fragment[fragment.index('id="question-planner_count"') :][:120]
    assert "hidden" in dependent


def test_radio_answer_is_cleared_through_the_normal_save_keeping_history(client, member, response):
    client.force_login(member)
    save(client, response, "rating", {"q-rating": "4", "q-rating-revision": 0})
    data = {"q-rating": "4", "q-rating-revision": 1, "q-rating-clear": "1"}
    result = save(client, response, "rating", data, target="question")
    page = result.content.decode()
    assert result.status_code == 200
    assert "Antwort gelöscht von" in page and member.person.full_name in page
    assert 'id="q-rating-clear"' in page  # the button stays, and keeps the focus
    assert "checked" not in page[page.index('id="question-rating"') : page.index("q-rating-clear")]
    assert services.answers_by_key(response)["rating"] is None
    changes = AnswerChange.objects.filter(answer__question__key="rating").order_by("revision")
    assert [(c.old_value, c.new_value) for c in changes] == [(None, 4), (4, None)]


def test_clearing_an_answer_someone_else_changed_is_a_conflict(client, member, response, own_org):
    client.force_login(member)
    save(client, response, "planner", {"q-planner": "yes", "q-planner-revision": 0})
    client.force_login(member_of(own_org))
    save(client, response, "planner", {"q-planner": "no", "q-planner-revision": 1})
    client.force_login(member)
    data = {"q-planner": "yes", "q-planner-revision": 1, "q-planner-clear": "1"}
    result = save(client, response, "planner", data, target="question")
    assert result.status_code == 409
    assert services.answers_by_key(response)["planner"] is False


def test_clear_button_clears_without_javascript_as_part_of_the_section(client, member, response):
    client.force_login(member)
    section = response.version.sections.get()
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    client.post(url, {"q-planner": "yes", "q-notes": "bleibt"})
    data = {"q-planner": "yes", "q-planner-revision": 1, "q-notes": "bleibt"}
    client.post(url, data | {"q-notes-revision": 1, "q-planner-clear": "1"})
    assert services.answers_by_key(response) == {"planner": None, "notes": "bleibt"}


def test_clear_button_is_offered_for_radio_answers_only(client, member, response):
    client.force_login(member)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    for key in ("planner", "rating"):
        assert f'name="q-{key}-clear"' in page
    for key in ("offers", "partners", "notes", "planner_count"):
        assert f'name="q-{key}-clear"' not in page
    assert "Antwort löschen" in page
    # Enter in a text field presses the form's first submit button: saving, not clearing.
    form = page[
        page.index('action="' + reverse("surveys:save_section", args=[response.pk, 1])[:-2]) :
    ]
    first_button = form[form.index("<button") :][:200]
    assert 'name="q-' not in first_button and "Diesen Abschnitt speichern" in first_button


def test_clear_answer_of_a_required_question_is_caught_by_submit(client, member, response):
    client.force_login(member)
    Question.objects.filter(key="planner").update(required=True)
    save(client, response, "planner", {"q-planner": "no", "q-planner-revision": 0})
    data = {"q-planner-revision": 1, "q-planner-clear": "1"}
    save(client, response, "planner", data, target="question")
    result = client.post(reverse("surveys:submit", args=[response.pk]))
    assert result.status_code == 400 and "Frage planner" in result.content.decode()
