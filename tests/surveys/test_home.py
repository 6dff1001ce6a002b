"""The surveys' lines on the home page (`surveys/home.py`): for coordinators each open survey
with the organisations submitted, open and overdue, each number the count of the progress page
filtered to it; for members what their organisation still has to answer."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from surveys import home, progress, services
from surveys.models import Question, Survey
from tests.factories import OrganisationFactory, QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

CHOICES = {"choices": [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nein"}]}


def build(coordinator, *, audience, deadline, title="Ausgangssituation der Kommunen"):
    """One required choice, a required follow-up shown for "yes", one optional question."""
    survey = SurveyFactory(title=title, deadline=deadline, actor=coordinator, audience=audience)
    section = SectionFactory(version=survey.draft_version, position=1)
    QuestionFactory(
        section=section, key="planner", kind="single_choice", required=True, config=CHOICES
    )
    QuestionFactory(
        section=section,
        key="planner_count",
        kind="integer",
        required=True,
        condition={"question": "planner", "equals": "yes"},
    )
    QuestionFactory(section=section, key="notes", kind="long_text")
    services.publish(survey, actor=coordinator)
    return survey


def answer(response, user, **values):
    for key, value in values.items():
        question = Question.objects.get(section__version=response.version, key=key)
        services.save_answer(response, question, value, actor=user, base_revision=0)


def coordinator_items(coordinator, today=None):
    with translation.override("en"):
        (section,) = home.for_coordinator(coordinator, today=today or timezone.localdate())
    return section.items


def member_items(user, today=None):
    with translation.override("en"):
        (section,) = home.for_member(user, today=today or timezone.localdate())
    return section.items


def numbers(item):
    return {count.label: count.number for count in item.counts}


def test_coordinator_sees_each_open_survey_with_submitted_open_and_overdue(
    coordinator, member, own_org, other_org
):
    today = timezone.localdate()
    late = OrganisationFactory(name="Gemeinde Ruppichteroth", ags="05382048")
    survey = build(coordinator, audience=[own_org, other_org, late], deadline=today)
    submitted = services.response_for(survey, own_org)
    answer(submitted, member, planner="no")
    services.submit_response(submitted, actor=member)
    extended = services.response_for(survey, other_org)
    services.extend_deadline(extended, actor=coordinator, until=today + datetime.timedelta(days=10))
    SurveyFactory(title="Entwurf", actor=coordinator, audience=[late])  # a draft: not shown

    tomorrow = today + datetime.timedelta(days=1)
    (item,) = coordinator_items(coordinator, today=tomorrow)
    assert item.title == survey.title and item.deadline == today
    assert numbers(item) == {"submitted": 1, "not submitted": 2, "overdue": 1}
    assert item.detail == "1 of 3 organisations have submitted."
    assert item.severity == "danger"
    assert [count.url.rsplit("?", 1)[1] for count in item.counts] == [
        "state=submitted",
        "state=open",
        "state=overdue",
    ]


def test_each_number_is_the_count_of_the_progress_page_filtered_to_it(
    client, coordinator, member, own_org, other_org
):
    today = timezone.localdate()
    survey = build(coordinator, audience=[own_org, other_org], deadline=today)
    response = services.response_for(survey, own_org)
    answer(response, member, planner="no")
    services.submit_response(response, actor=member)
    Survey.objects.filter(pk=survey.pk).update(deadline=today - datetime.timedelta(days=1))
    client.force_login(coordinator)
    (item,) = coordinator_items(coordinator)
    assert numbers(item) == {"submitted": 1, "not submitted": 1, "overdue": 1}
    for count in item.counts:
        page = client.get(count.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        rows = re.findall(r'<tr[^>]* id="organisation-(\d+)"', page)
        assert len(rows) == count.number, count
        assert f"{count.number} organisation" in page
    overdue = client.get(item.counts[2].url).content.decode()
    assert f'id="organisation-{other_org.pk}"' in overdue
    assert f'id="organisation-{own_org.pk}"' not in overdue


def test_progress_page_filter_keeps_the_totals_and_ignores_an_unknown_state(
    client, coordinator, own_org, other_org
):
    survey = build(coordinator, audience=[own_org, other_org], deadline=timezone.localdate())
    client.force_login(coordinator)
    url = f"/surveys/{survey.pk}/progress/"
    page = client.get(url + "?state=submitted", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 organisations submitted" in page
    assert "0 submitted, 0 in progress, 2 not started, of 2 asked" in page
    assert not re.findall(r'<tr[^>]* id="organisation-(\d+)"', page)
    everything = client.get(url + "?state=nonsense", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(re.findall(r'<tr[^>]* id="organisation-(\d+)"', everything)) == 2
    assert "2 organisations asked" in everything


def test_member_sees_their_organisations_open_survey_with_progress_and_deadline(
    coordinator, member, own_org, other_org, outsider
):
    deadline = timezone.localdate() + datetime.timedelta(weeks=4)
    survey = build(coordinator, audience=[own_org, other_org], deadline=deadline)
    response = services.response_for(survey, own_org)
    answer(response, member, planner="yes")
    theirs = services.response_for(survey, other_org)
    answer(theirs, outsider, planner="no")

    (item,) = member_items(member)
    assert item.title == survey.title
    assert item.deadline == deadline
    assert item.url == f"/surveys/responses/{response.pk}/"
    # "yes" shows the follow-up: one of two required questions is answered.
    assert item.detail == f"{own_org.name}: 1 of 2 required questions answered."
    assert item.severity == "info"

    (other,) = member_items(outsider)
    assert other.url == f"/surveys/responses/{theirs.pk}/"
    assert own_org.name not in other.detail


def test_member_without_a_response_yet_is_led_to_the_survey(coordinator, member, own_org):
    survey = build(coordinator, audience=[own_org], deadline=None)
    (item,) = member_items(member)
    assert item.url == f"/surveys/{survey.pk}/"
    assert item.detail.endswith("0 of 1 required questions answered.")
    assert item.deadline is None


def test_member_no_longer_sees_a_submitted_closed_or_unopened_survey(coordinator, member, own_org):
    submitted = build(coordinator, audience=[own_org], deadline=None, title="Abgegeben")
    response = services.response_for(submitted, own_org)
    answer(response, member, planner="no")
    services.submit_response(response, actor=member)
    closed = build(coordinator, audience=[own_org], deadline=None, title="Geschlossen")
    Survey.objects.filter(pk=closed.pk).update(status=Survey.Status.CLOSED)
    later = build(coordinator, audience=[own_org], deadline=None, title="Später")
    Survey.objects.filter(pk=later.pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert member_items(member) == []


def test_member_past_the_deadline_sees_it_overdue(coordinator, member, own_org):
    today = timezone.localdate()
    build(coordinator, audience=[own_org], deadline=today)
    (item,) = member_items(member, today=today + datetime.timedelta(days=1))
    assert item.severity == "danger" and item.state == "overdue"


def _count_queries(provider, user):
    with CaptureQueriesContext(connection) as queries:
        provider(user, today=timezone.localdate())
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_queries_do_not_grow_with_surveys_or_organisations(coordinator, member, own_org, role):
    user = coordinator if role == "coordinator" else member
    provider = home.for_coordinator if role == "coordinator" else home.for_member

    def add(count):
        for _ in range(count):
            others = [OrganisationFactory() for _ in range(3)]
            survey = build(coordinator, audience=[own_org, *others], deadline=None)
            answer(services.response_for(survey, own_org), member, planner="yes")
            services.response_for(survey, others[0])

    add(2)
    few = _count_queries(provider, user)
    add(18)
    assert _count_queries(provider, user) == few
    assert len(provider(user, today=timezone.localdate())[0].items) == 20


def test_the_audience_rule_is_the_progress_pages_rule(coordinator, member, own_org, other_org):
    """`audience_counts` (one query) and the rows of the progress page agree."""
    today = timezone.localdate()
    survey = build(coordinator, audience=[own_org, other_org], deadline=today)
    response = services.response_for(survey, own_org)
    answer(response, member, planner="no")
    services.submit_response(response, actor=member)
    Survey.objects.filter(pk=survey.pk).update(deadline=today - datetime.timedelta(days=1))
    survey.refresh_from_db()
    counts = progress.audience_counts([survey], today=today)[survey.pk]
    assert counts == {"asked": 2, "submitted": 1, "open": 1, "overdue": 1}
    matrix = progress.survey_progress(survey)
    for state in progress.STATES:
        assert counts[state] == len(progress.only_state(matrix, state).rows), state


def test_the_progress_pages_database_filter_follows_its_rule(coordinator, member, monkeypatch):
    """`survey_progress(state=…, page=…)` filters and counts in the database; its rows,
    page by page, are the unpaged matrix's rows in that state by `row_in_state`."""
    monkeypatch.setattr(progress, "PAGE_SIZE", 2)
    today = timezone.localdate()
    audience = [OrganisationFactory(name=f"Gemeinde {n}") for n in range(5)]
    survey = build(coordinator, audience=audience, deadline=today)
    submitted = services.response_for(survey, audience[0])
    answer(submitted, member, planner="no")
    services.submit_response(submitted, actor=member)
    answer(services.response_for(survey, audience[1]), member, planner="yes")
    services.response_for(survey, audience[2])  # opened, nothing saved: not started
    extended = services.response_for(survey, audience[3])
    services.extend_deadline(extended, actor=coordinator, until=today + datetime.timedelta(days=9))
    Survey.objects.filter(pk=survey.pk).update(deadline=today - datetime.timedelta(days=1))
    survey.refresh_from_db()
    matrix = progress.survey_progress(survey)
    assert matrix.counts == {
        "asked": 5,
        "submitted": 1,
        "in_progress": 1,
        "not_started": 3,
        "open": 4,
        "overdue": 3,
    }
    for state in ("", *progress.STATES):
        expected = [row.organisation for row in progress.only_state(matrix, state).rows]
        first = progress.survey_progress(survey, state=state, page=1)
        assert first.counts == matrix.counts and first.shown == len(expected), state
        pages = range(1, first.page.paginator.num_pages + 1)
        shown = [
            row.organisation
            for number in pages
            for row in progress.survey_progress(survey, state=state, page=number).rows
        ]
        assert shown == expected, state
