"""The API fuzzed against its own OpenAPI schema: every operation, called with a coordinator's
and with a member's token on the demo data, never answers 5xx and always answers as the
schema says. Bounded and derandomised, so a run takes the same path every time."""

from io import StringIO

import pytest
import schemathesis
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from meetings.models import Decision, Meeting, MeetingSeries, Task
from monitoring.models import Delivery
from participation import api_tokens
from participation.models import (
    AudienceEntry,
    BodyMembership,
    Invitation,
    Organisation,
    OrganisationKind,
)
from surveys.models import Survey
from tests.factories import give_totp, member_of
from workshops import demo as workshops_demo
from workshops.models import Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.services, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    # Generating, not shrinking: a failure is reported with the case that found it.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """Django's own WSGI handler, without the end-of-request connection check that would
    close the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)


@pytest.fixture
def demo(db):
    """The demo (registry, survey, workshop) plus a coordinator and a member of Troisdorf,
    which has a survey response in progress, invited to the demo workshop."""
    call_command("seed_demo", stdout=StringIO())
    cache.clear()  # throttle counts of earlier tests
    offices = Organisation.objects.filter(kind=OrganisationKind.COUNTY_OFFICE)
    coordinator = member_of(offices.order_by("pk").first(), is_coordinator=True)
    give_totp(coordinator)
    member = member_of(Organisation.objects.get(short_name="Troisdorf"))
    workshop = Workshop.objects.get(title=workshops_demo.TITLE)
    survey = Survey.objects.get()
    response = survey.responses.get(organisation__short_name="Troisdorf")
    troisdorf_delivery = (
        Delivery.objects.filter(organisation__short_name="Troisdorf")
        .order_by("-round__reference_date")
        .first()
    )
    Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        email=member.email,
        person=member.person,
        organisation=member.person.memberships.get().organisation,
    )
    return {
        "coordinator": coordinator,
        "member": member,
        "ids": {
            "workshops": {
                "id": workshop.pk,
                "item_id": workshop.agenda.order_by("pk").first().pk,
                "entry_id": AudienceEntry.objects.filter(event_id=workshop.pk)
                .order_by("pk")
                .first()
                .pk,
            },
            "surveys": {"id": survey.pk},
            "survey-responses": {
                "id": response.pk,
                "key": response.answers.order_by("pk").first().question.key,
            },
            "organisations": {"id": member.person.memberships.get().organisation_id},
            "people": {"id": member.person.pk},
            "memberships": {"id": member.person.memberships.get().pk},
            "bodies": {"id": BodyMembership.objects.order_by("pk").first().body_id},
            "body-memberships": {"id": BodyMembership.objects.order_by("pk").first().pk},
            "meeting-series": {"id": MeetingSeries.objects.order_by("pk").first().pk},
            "meetings": {"id": Meeting.objects.order_by("start").last().pk},
            "decisions": {"id": Decision.objects.order_by("pk").first().pk},
            "meeting-tasks": {"id": Task.objects.order_by("pk").first().pk},
            # Troisdorf's delivery of the open round: half filled in.
            "delivery-rounds": {"id": troisdorf_delivery.round_id},
            "deliveries": {"id": troisdorf_delivery.pk},
        },
    }


@pytest.fixture
def api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


def _known_ids(operation, ids):
    """Path parameters naming records that exist, for the operation's resource."""
    resource = operation.path.split("/")[3]
    names = {parameter.name for parameter in operation.path_parameters}
    known = ids.get(resource, {})
    return {name: known[name] for name in names if name in known} if names else None


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_api_answers_every_operation_as_its_schema_says(role, demo, api_schema):
    _token, token = api_tokens.issue(demo[role], name="fuzz")
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "DELETE" and "/api-tokens/" in operation.path:
            continue  # revoking the very token this run calls with would end the run
        strategy = operation.as_strategy()
        known = _known_ids(operation, demo["ids"])
        if known:
            strategy = st.one_of(operation.as_strategy(path_parameters=known), strategy)

        @FUZZ
        @given(case=strategy)
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every failure is reported at the end
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
