"""Someone whose membership has ended loses their former organisation's survey responses on
every page and API route; a membership ending today still counts (its end is inclusive)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from surveys import services
from surveys.models import Answer
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.surveys.test_services import build_survey

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def member_until(organisation, last_day):
    user = UserFactory()
    person = PersonFactory(user=user, email=user.email)
    MembershipFactory(person=person, organisation=organisation, valid_until=last_day)
    return user


@pytest.fixture
def survey(coordinator, own_org, other_org):
    return build_survey(coordinator, audience=[own_org, other_org])


@pytest.fixture
def response(survey, own_org, member):
    response = services.response_for(survey, own_org)
    notes = response.version.sections.get().questions.get(key="notes")
    services.save_answer(
        response, notes, "Noch nicht veröffentlicht", actor=member, base_revision=0
    )
    return response


@pytest.fixture
def former_member(own_org):
    return member_until(own_org, timezone.localdate() - datetime.timedelta(days=1))


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_former_member_gets_404_on_every_response_page(client, former_member, survey, response):
    """Catches: own_organisation_ids counting ended memberships (the `.current()` dropped)."""
    client.force_login(former_member)
    section = response.version.sections.get()
    answer_url = reverse("surveys:save_answer", args=[response.pk, "notes"])
    refused = {
        "survey": client.get(reverse("surveys:survey_detail", args=[survey.pk])),
        "open": client.post(
            reverse("surveys:open_response", args=[survey.pk, response.organisation_id])
        ),
        "page": client.get(reverse("surveys:response", args=[response.pk])),
        "print": client.get(reverse("surveys:response_print", args=[response.pk])),
        "autosave": client.post(answer_url, {"q-notes": "x", "q-notes-revision": 1}, **HTMX),
        "section": client.post(
            reverse("surveys:save_section", args=[response.pk, section.pk]), {"q-notes": "x"}
        ),
        "submit": client.post(reverse("surveys:submit", args=[response.pk])),
    }
    assert {name: page.status_code for name, page in refused.items()} == dict.fromkeys(refused, 404)
    listing = client.get(reverse("surveys:survey_list")).content.decode()
    assert survey.title not in listing
    assert Answer.objects.get(response=response).value == "Noch nicht veröffentlicht"


def test_former_member_gets_404_on_every_response_api_route(former_member, survey, response):
    """Catches: own_organisation_ids counting ended memberships (the `.current()` dropped)."""
    client = api_for(former_member)
    assert client.get("/api/v1/surveys/").json()["results"] == []
    assert client.get(f"/api/v1/surveys/{survey.pk}/").status_code == 404
    assert client.get("/api/v1/survey-responses/").json()["results"] == []
    detail = f"/api/v1/survey-responses/{response.pk}/"
    assert client.get(detail).status_code == 404
    put = client.put(f"{detail}answers/notes/", {"value": "x", "base_revision": 1}, format="json")
    assert put.status_code == 404
    assert client.post(f"{detail}submit/").status_code == 404
    assert Answer.objects.get(response=response).value == "Noch nicht veröffentlicht"


def test_membership_ending_today_still_reads_the_response(client, own_org, survey, response):
    """Catches: the last day of a membership treated as already ended (`valid_until__gt`)."""
    leaving_today = member_until(own_org, timezone.localdate())
    client.force_login(leaving_today)
    page = client.get(reverse("surveys:response", args=[response.pk]))
    assert page.status_code == 200 and "Noch nicht veröffentlicht" in page.content.decode()
    ids = [
        r["id"] for r in api_for(leaving_today).get("/api/v1/survey-responses/").json()["results"]
    ]
    assert ids == [response.pk]
