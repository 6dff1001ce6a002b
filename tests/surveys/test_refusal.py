"""Without JavaScript a section is saved as one form: refused entries come back in the whole
page, each in place with its error and what was typed, the focus on the first of them."""

import re

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Question
from tests.factories import AnswerFactory, QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    {"key": "name", "label": "Einrichtung", "kind": "short_text", "required": True},
    {"key": "seats", "label": "Plätze", "kind": "integer"},
]
QUESTIONS = [
    ("staff", "decimal", {}, {"q-staff": "viele"}, "viele"),
    ("count", "integer", {"min": 0, "max": 50}, {"q-count": "999"}, "999"),
    ("since", "date", {}, {"q-since": "gestern"}, "gestern"),
    (
        "offers",
        "table",
        {"columns": COLUMNS},
        {"q-offers-rows": "1", "q-offers-0-seats": "12"},
        'value="12"',
    ),
]


@pytest.fixture
def response(coordinator, own_org):
    survey = SurveyFactory(title="Angebote vor Ort", actor=coordinator)
    survey.audience.add(own_org)
    section = SectionFactory(version=survey.draft_version, position=1, title="Angebote")
    for position, (key, kind, config, _post, _shown) in enumerate(QUESTIONS, start=1):
        QuestionFactory(
            section=section, position=position, key=key, kind=kind, text=key, config=config
        )
    QuestionFactory(section=section, position=9, key="notes", kind="long_text", text="n")
    services.publish(survey, actor=coordinator)
    response = services.response_for(survey, own_org)
    notes = Question.objects.get(section__version=response.version, key="notes")
    AnswerFactory(response=response, question=notes, value="Ohne Verfasser")
    return response


def test_refused_entries_show_in_the_whole_page_without_javascript(client, member, response):
    section = response.version.sections.get()
    data = {"q-notes": "Ohne Verfasser", "q-notes-revision": "1"}
    for _key, _kind, _config, posted, _shown in QUESTIONS:
        data |= posted
    client.force_login(member)
    result = client.post(reverse("surveys:save_section", args=[response.pk, section.pk]), data)

    page = result.content.decode()
    assert result.status_code == 400
    assert 'class="site-header"' in page and 'class="section-nav' in page
    assert "Antwortbogen abschicken" in page
    for key, _kind, _config, _posted, shown in QUESTIONS:
        question = page.split(f'id="question-{key}"')[1].split('<div class="question')[0]
        error = re.search(rf'<p class="kern-error[^"]*" id="q-{key}-error" role="alert">', question)
        assert error, key
        assert shown in question, key
    # The focus goes to the first refused entry, and only there.
    assert page.count(" autofocus") == 1
    assert re.search(r'<input[^>]*id="id_q-staff"[^>]*autofocus', page)
    assert not response.answers.filter(question__key__in=["staff", "count", "since", "offers"])
