"""The respondent side over HTTP, as the browser (with htmx) and programs send it."""

import re

import pytest
from django.urls import reverse

from surveys import services
from surveys.models import Answer, Response
from tests.factories import QuestionFactory, SectionFactory, member_of
from tests.surveys.test_services import build_survey

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org):
    return services.response_for(survey, own_org)


def autosave(client, response, key, value, revision=0):
    url = reverse("surveys:save_answer", args=[response.pk, key])
    return client.post(url, {f"q-{key}": value, f"q-{key}-revision": revision}, **HTMX)


def test_member_starts_their_organisations_response_from_the_survey(
    client, member, survey, own_org
):
    client.force_login(member)
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "Stadt Siegburg" in page and "Gemeinde Much" not in page
    response = client.post(
        reverse("surveys:open_response", args=[survey.pk, own_org.pk]), follow=True
    )
    assert response.status_code == 200
    assert "Gibt es eine Sozialplanung?" in response.content.decode()
    assert Response.objects.filter(survey=survey, organisation=own_org).count() == 1


def test_autosave_answers_with_who_changed_it(client, member, response):
    client.force_login(member)
    result = autosave(client, response, "notes", "Wir planen eine Stelle.")
    page = result.content.decode()
    assert result.status_code == 200
    assert "Gespeichert" in page and member.person.full_name in page
    assert (
        Answer.objects.get(response=response, question__key="notes").value
        == "Wir planen eine Stelle."
    )


def test_a_second_editor_from_an_old_revision_sees_both_values(client, member, response, own_org):
    colleague = member_of(own_org)
    client.force_login(member)
    autosave(client, response, "notes", "Fassung A")
    client.force_login(colleague)
    result = autosave(client, response, "notes", "Fassung B", revision=0)
    page = result.content.decode()
    assert result.status_code == 409
    assert "Fassung A" in page and "Fassung B" in page
    assert Answer.objects.get(response=response, question__key="notes").value == "Fassung A"
    # Choosing their own entry saves it on top of the current revision.
    result = autosave(client, response, "notes", "Fassung B", revision=1)
    assert result.status_code == 200
    assert Answer.objects.get(response=response, question__key="notes").value == "Fassung B"


def test_answer_reveals_its_dependent_question_out_of_band(client, member, response):
    client.force_login(member)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert (
        'id="question-planner_count"\n     hidden' in page
        or 'id="question-planner_count" hidden' in page.replace("\n     ", " ")
    )
    fragment = autosave(client, response, "planner", "yes").content.decode()
    assert 'id="question-planner_count"' in fragment and 'hx-swap-oob="true"' in fragment
    dependent = fragment[fragment.index('id="question-planner_count"') :][:200]
    assert "hidden" not in dependent


def test_forged_choice_is_refused_and_nothing_stored(client, member, response):
    client.force_login(member)
    result = autosave(client, response, "planner", "vielleicht")
    assert result.status_code == 400
    assert "vielleicht" in result.content.decode()
    assert not Answer.objects.filter(response=response).exists()


def test_text_is_shown_escaped(client, member, response):
    client.force_login(member)
    autosave(client, response, "notes", "<script>alert(1)</script>")
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_other_municipality_gets_404_for_page_answers_and_submit(client, outsider, response):
    client.force_login(outsider)
    assert client.get(reverse("surveys:response", args=[response.pk])).status_code == 404
    assert autosave(client, response, "notes", "fremd").status_code == 404
    assert client.post(reverse("surveys:submit", args=[response.pk])).status_code == 404
    assert not Answer.objects.filter(response=response).exists()


def test_unknown_question_key_answers_404(client, member, response):
    client.force_login(member)
    assert autosave(client, response, "gibt-es-nicht", "x").status_code == 404


def test_coordinator_reads_but_does_not_answer_for_a_municipality(client, coordinator, response):
    client.force_login(coordinator)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    assert "Gibt es eine Sozialplanung?" in page and "hx-post" not in page
    assert autosave(client, response, "notes", "x").status_code == 404


def test_submit_lists_missing_questions_then_locks_the_response(client, member, response):
    client.force_login(member)
    result = client.post(reverse("surveys:submit", args=[response.pk]))
    assert result.status_code == 400
    assert "Gibt es eine Sozialplanung?" in result.content.decode()
    autosave(client, response, "planner", "no")
    result = client.post(reverse("surveys:submit", args=[response.pk]), follow=True)
    assert "abgeschickt" in result.content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert autosave(client, response, "notes", "zu spät").status_code == 400


def test_section_form_saves_everything_without_javascript(client, member, response):
    client.force_login(member)
    section = response.version.sections.get()
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    result = client.post(url, {"q-planner": "yes", "q-planner_count": "2", "q-notes": "ohne JS"})
    assert result.status_code == 302
    assert services.answers_by_key(response) == {
        "planner": "yes",
        "planner_count": 2,
        "notes": "ohne JS",
    }


def test_section_form_leaves_an_untouched_question_changed_since_by_a_colleague(
    client, member, response, own_org
):
    """Without JavaScript the whole section is posted: a question the member did not touch
    is no conflict when a colleague changed it meanwhile, and keeps the colleague's value."""
    client.force_login(member)
    autosave(client, response, "notes", "Fassung A")
    client.force_login(member_of(own_org))
    autosave(client, response, "notes", "Fassung B", revision=1)
    client.force_login(member)
    section = response.version.sections.get()
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    result = client.post(
        url,
        {
            "q-planner": "yes",
            "q-planner-revision": "0",
            "q-planner_count": "2",
            "q-planner_count-revision": "0",
            "q-notes": "Fassung A",
            "q-notes-revision": "1",
        },
    )
    assert result.status_code == 302
    assert services.answers_by_key(response) == {
        "planner": "yes",
        "planner_count": 2,
        "notes": "Fassung B",
    }


def test_the_sections_show_their_state_and_the_way_on(client, member, response, coordinator):
    # A second section, added to the published version for this page only.
    later = SectionFactory(version=response.version, position=2, title="Ausblick")
    QuestionFactory(section=later, position=1, key="outlook", kind="short_text", text="?")
    client.force_login(member)
    page = client.get(reverse("surveys:response", args=[response.pk])).content.decode()
    nav = page[page.index('class="section-nav') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.count("<li") == 2
    assert "offen (1 Pflichtfrage fehlt)" in nav and "vollständig" in nav
    assert "Abschnitt 1 von 2: Sozialplanung" in page
    assert re.search(
        rf'href="\?section={later.pk}" class="[^"]*autosave-only"><span class="kern-label">'
        "Weiter: Ausblick",
        page,
    )
    # One saving model a page: with JavaScript autosave, without it the section's buttons.
    assert "Jede Antwort wird gespeichert, sobald Sie ihr Feld verlassen." in page
    assert re.search(
        r'class="[^"]*no-autosave"><span class="kern-label">Speichern und weiter',
        page,
    )

    saved = client.post(
        reverse("surveys:save_section", args=[response.pk, later.pk - 1]),
        {"q-notes": "Gut", "q-notes-revision": "0", "continue": later.pk},
    )
    assert saved.status_code == 302 and saved["Location"].endswith(f"?section={later.pk}")
    assert "Zurück: Sozialplanung" in client.get(saved["Location"]).content.decode()
