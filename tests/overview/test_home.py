"""The home page at "/" and `/api/v1/home/`: the sections of every app, per role; a member
sees only their own organisations' items, in German or English, and is told when nothing is
waiting."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from overview import sections
from participation.models import Invitation, OutboundMail, Person
from surveys import services as survey_services
from tests.api_support import client_for
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    WorkshopFactory,
    member_of,
)
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def open_survey(coordinator, *, audience, title="Ausgangssituation der Kommunen"):
    survey = SurveyFactory(
        title=title,
        deadline=timezone.localdate() + datetime.timedelta(weeks=4),
        actor=coordinator,
        audience=audience,
    )
    section = SectionFactory(version=survey.draft_version)
    QuestionFactory(section=section, key="planner", required=True)
    survey_services.publish(survey, actor=coordinator)
    return survey


def invite(workshop, user):
    person = Person.objects.get(user=user)
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=person.email,
    )


def test_every_installed_apps_home_module_is_found():
    names = [module.__name__ for module in sections.home_modules()]
    assert names == [
        "participation.home",
        "surveys.home",
        "workshops.home",
        "meetings.home",
        "consultations.home",
        "monitoring.home",
    ]


def test_member_home_shows_their_survey_and_invitation_not_another_municipalitys(
    client, coordinator, member, own_org, other_org, outsider
):
    mine = open_survey(coordinator, audience=[own_org])
    response = survey_services.response_for(mine, own_org)
    theirs = open_survey(coordinator, audience=[other_org], title="Nur für Much")
    their_response = survey_services.response_for(theirs, other_org)
    invite(WorkshopFactory(title="Fachworkshop Teilhabe"), member)
    OutboundMail.objects.create(to="x@example.org", subject="s", status="failed")

    client.force_login(member)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ausgangssituation der Kommunen" in page
    assert f'href="/surveys/responses/{response.pk}/"' in page
    assert "Frist" in page and mine.deadline.strftime("%d.%m.%Y") in page
    assert "Fachworkshop Teilhabe" in page
    assert "Nur für Much" not in page
    assert f"/surveys/responses/{their_response.pk}/" not in page
    assert "fehlgeschlagen" not in page.lower()  # no failed mail for members


def test_member_with_nothing_to_do_is_told_so_in_german_and_english(client, member):
    client.force_login(member)
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Für Ihre Organisation steht derzeit nichts an." in german
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing is waiting for your organisation at the moment." in english


def test_coordinator_home_shows_surveys_workshops_failed_mail_and_registry(
    client, coordinator, own_org
):
    survey = open_survey(coordinator, audience=[own_org])
    workshop = WorkshopFactory(
        title="Fachworkshop Teilhabe", start=timezone.now() + datetime.timedelta(days=9)
    )
    OutboundMail.objects.create(to="x@example.org", subject="s", status="failed")
    client.force_login(coordinator)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "Open surveys",
        survey.title,
        f'href="/surveys/{survey.pk}/progress/?state=open"',
        "Workshops in the coming weeks",
        workshop.title,
        f'href="/workshops/{workshop.pk}/invitations/?reply=none"',
        'href="/mail/?state=failed"',
        "Registry",
    ):
        assert text in page, text


def test_the_api_answers_the_same_sections_per_user(coordinator, member, own_org, other_org):
    open_survey(coordinator, audience=[own_org])
    open_survey(coordinator, audience=[other_org], title="Nur für Much")

    mine = client_for(member).get(reverse("overview-api:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert mine.status_code == 200
    assert mine.data["role"] == "member"
    by_key = {section["key"]: section for section in mine.data["sections"]}
    assert [item["title"] for item in by_key["surveys"]["items"]] == [
        "Ausgangssituation der Kommunen"
    ]
    assert "mail" not in by_key

    theirs = client_for(coordinator).get(reverse("overview-api:home")).data
    assert theirs["role"] == "coordinator"
    keys = [section["key"] for section in theirs["sections"]]
    assert keys == [
        "surveys",
        "consultations",
        "workshops",
        "meetings",
        "mail",
        "registry",
        "privacy",
    ]
    surveys = theirs["sections"][0]["items"]
    assert {item["title"] for item in surveys} == {"Ausgangssituation der Kommunen", "Nur für Much"}
    assert surveys[0]["counts"][1]["url"].endswith("?state=open")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/").status_code == 302
    assert client.get(reverse("overview-api:home")).status_code in (401, 403)


def test_the_endpoint_is_in_the_openapi_schema(client, coordinator):
    client.force_login(coordinator)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/home/" in schema and "/api/v1/outbound-mails/" in schema


def test_a_later_app_adds_its_lines_by_having_a_home_module(client, member, monkeypatch):
    """Nothing in the overview names an app: a new installed app with a `home` module shows
    up on the page and in the API, in its `order`."""
    real = django_apps.get_app_configs()

    class LaterApp:
        name = "tests.overview.later_app"

    monkeypatch.setattr(django_apps, "get_app_configs", lambda: [*real, LaterApp()])
    sections.home_modules.cache_clear()
    try:
        client.force_login(member)
        page = client.get("/").content.decode()
        assert "Protokoll prüfen" in page and 'href="/tasks/1/"' in page
        keys = [s["key"] for s in client_for(member).get("/api/v1/home/").data["sections"]]
        assert keys == [
            "surveys",
            "consultations",
            "meeting_tasks",
            "tasks",
            "invitations",
            "meetings",
        ]
    finally:
        monkeypatch.undo()
        sections.home_modules.cache_clear()


def test_kinds_with_brackets_are_not_put_in_brackets_again(client, county_office):
    """ "Kreisverwaltung (Amt)" is shown after a dash, never as "(Kreisverwaltung (Amt))"."""
    official = member_of(county_office)
    body = BodyFactory(name="Lenkungsgruppe Sozialplanung")
    BodyMembershipFactory(body=body, person=official.person)
    client.force_login(official)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "– Kreisverwaltung (Amt)" in page
    assert "– Lenkungsgruppe" in page
    assert "((" not in page and "))" not in page
