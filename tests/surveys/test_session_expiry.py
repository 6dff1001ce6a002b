"""Answers typed after the session expired are not lost: the save is kept in the anonymous
session, the user is told to sign in again, and after the sign-in the response page saves
what was kept through the normal save (permissions, revisions, history)."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from surveys import kept_input, services
from surveys.models import Answer, AnswerChange, Question
from tests.factories import member_of
from tests.surveys.test_services import build_survey

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org):
    return services.response_for(survey, own_org)


def page_url(response):
    section = response.version.sections.get()
    return f"{reverse('surveys:response', args=[response.pk])}?section={section.pk}"


def expired_autosave(client, response, key, value, revision=0):
    """An htmx autosave from the response page, sent without a valid session."""
    url = reverse("surveys:save_answer", args=[response.pk, key])
    return client.post(
        url,
        {f"q-{key}": value, f"q-{key}-revision": revision},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"question-{key}-status",
        HTTP_HX_CURRENT_URL=f"http://testserver{page_url(response)}",
    )


def sign_in(client, user):
    """Through the real sign-in form, as the user would after the message."""
    result = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert result.status_code == 302, result.content.decode()[:2000]


def test_expired_autosave_answers_401_into_the_status_part_with_a_sign_in_link(client, response):
    result = expired_autosave(client, response, "notes", "Getippt nach Ablauf", revision=3)
    page = result.content.decode()
    assert result.status_code == 401
    assert "Ihre Sitzung ist abgelaufen" in page and "Ihre Eingabe bleibt erhalten" in page
    assert result["HX-Retarget"] == "#question-notes-status"
    assert result["HX-Reswap"] == "innerHTML"
    assert 'name="q-notes-revision" value="3"' in page  # the revision the user had seen stays
    link = urlsplit(page.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert link.path == reverse("account_login")
    assert parse_qs(link.query)["next"] == [page_url(response)]
    assert not Answer.objects.filter(response=response).exists()


def test_kept_entry_is_saved_after_signing_in_again_with_a_notice(client, member, response):
    expired_autosave(client, response, "notes", "Getippt nach Ablauf")
    sign_in(client, member)
    page = client.get(page_url(response)).content.decode()
    answer = Answer.objects.get(response=response, question__key="notes")
    assert (answer.value, answer.revision, answer.updated_by) == ("Getippt nach Ablauf", 1, member)
    assert AnswerChange.objects.filter(answer=answer, changed_by=member).count() == 1
    assert "Ihre Eingaben wurden wiederhergestellt" in page and "Anmerkungen" in page
    assert "Getippt nach Ablauf" in page
    # Applied once: the kept entry is gone.
    assert kept_input.SESSION_KEY not in client.session
    assert (
        "Ihre Eingaben wurden wiederhergestellt"
        not in client.get(page_url(response)).content.decode()
    )


def test_kept_entry_meets_a_colleagues_change_as_a_conflict(client, member, response, own_org):
    expired_autosave(client, response, "notes", "Meine Fassung")
    colleague = member_of(own_org)
    notes = Question.objects.get(section__version=response.version, key="notes")
    services.save_answer(response, notes, "Fassung der Kollegin", actor=colleague, base_revision=0)
    sign_in(client, member)
    page = client.get(page_url(response)).content.decode()
    assert "Jemand anderes hat diese Antwort inzwischen geändert." in page
    assert "Fassung der Kollegin" in page and "Meine Fassung" in page
    answer = Answer.objects.get(response=response, question__key="notes")
    assert answer.value == "Fassung der Kollegin"  # nothing overwritten: the user chooses


def test_kept_entry_is_dropped_for_someone_who_may_not_answer_the_response(
    client, coordinator, response
):
    expired_autosave(client, response, "notes", "Fremde Eingabe")
    client.force_login(coordinator)  # a coordinator reads every response, answers none
    page = client.get(page_url(response)).content.decode()
    assert "Ihre Eingaben wurden wiederhergestellt" not in page
    assert not Answer.objects.filter(response=response).exists()
    assert kept_input.SESSION_KEY not in client.session


def test_expired_section_form_goes_to_sign_in_and_saves_only_what_was_changed(
    client, member, response, own_org
):
    section = response.version.sections.get()
    colleague = member_of(own_org)
    notes = Question.objects.get(section__version=response.version, key="notes")
    services.save_answer(response, notes, "Alte Notiz", actor=colleague, base_revision=0)
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    result = client.post(
        url,
        {
            "q-planner": "no",
            "q-planner-revision": 0,
            "q-notes": "Alte Notiz",  # shown unchanged on the page ...
            "q-notes-revision": 1,
        },
    )
    assert result.status_code == 302
    login = urlsplit(result["Location"])
    assert login.path == reverse("account_login")
    assert parse_qs(login.query)["next"] == [page_url(response)]
    # ... while a colleague changes it: that is not the user's entry, so no conflict.
    services.save_answer(response, notes, "Neue Notiz", actor=colleague, base_revision=1)
    sign_in(client, member)
    page = client.get(parse_qs(login.query)["next"][0]).content.decode()
    assert services.answers_by_key(response) == {"planner": "no", "notes": "Neue Notiz"}
    assert "Jemand anderes hat diese Antwort inzwischen geändert." not in page
    assert "Ihre Eingaben wurden wiederhergestellt" in page


def test_expired_section_form_tells_on_the_sign_in_page(client, response):
    section = response.version.sections.get()
    url = reverse("surveys:save_section", args=[response.pk, section.pk])
    page = client.post(url, {"q-notes": "ohne JS"}, follow=True).content.decode()
    assert "Ihre Sitzung ist abgelaufen" in page


def test_kept_input_is_bounded(client, response):
    too_long = "x" * (kept_input.MAX_BYTES + 1)
    result = expired_autosave(client, response, "notes", too_long)
    assert result.status_code == 401
    assert "zu umfangreich" in result.content.decode()
    assert kept_input.SESSION_KEY not in client.session
    # Many posts of the same question replace each other instead of piling up.
    for number in range(50):
        expired_autosave(client, response, "notes", f"Fassung {number} " * 100)
    kept = client.session[kept_input.SESSION_KEY]
    assert list(kept[str(response.pk)]) == ["notes"]
    assert len(json.dumps(kept)) < kept_input.MAX_BYTES


def test_kept_input_refuses_too_many_fields(response):
    session = {}
    data = QueryDict(mutable=True)
    data.setlist("q-places-rows", ["1"])
    assert kept_input.keep(session, response.pk, data)
    for number in range(kept_input.MAX_FIELDS):
        data.setlist(f"q-places-{number}-name", ["x"])
    assert not kept_input.keep(session, response.pk, data)
    assert session[kept_input.SESSION_KEY] == {
        str(response.pk): {"places": {"q-places-rows": ["1"]}}
    }


def test_kept_input_holds_only_the_saved_questions_inputs(response):
    session = {}
    data = QueryDict(mutable=True)
    data.update({"q-notes": "a", "q-notes-revision": "2", "q-planner": "yes"})
    data.update({"csrfmiddlewaretoken": "t", "other": "y", "q-Bad-Key": "z"})
    assert kept_input.keep(session, response.pk, data, key="notes")
    assert session[kept_input.SESSION_KEY] == {
        str(response.pk): {"notes": {"q-notes": ["a"], "q-notes-revision": ["2"]}}
    }


def test_get_of_a_save_url_without_session_goes_to_sign_in(client, response):
    result = client.get(reverse("surveys:save_answer", args=[response.pk, "notes"]))
    assert result.status_code == 302 and reverse("account_login") in result["Location"]
