"""The REST API /api/v1/: list queries do not grow with the number of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_support import client_for, list_url, listed_ids
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _add_people(organisation, count):
    for _ in range(count):
        MembershipFactory(organisation=organisation)


def _add_organisations(member, count):
    for _ in range(count):
        MembershipFactory(person=member.person, organisation=OrganisationFactory())


def _assert_list_queries_constant(client, url, add_two, django_assert_num_queries):
    client.get(url)  # warm up caches that are filled once per process
    with CaptureQueriesContext(connection) as baseline:
        before = listed_ids(client.get(url))
    add_two()
    with django_assert_num_queries(len(baseline.captured_queries)):
        after = listed_ids(client.get(url))
    assert len(after) == len(before) + 2


def test_organisations_list_queries_do_not_grow(coordinator, django_assert_num_queries):
    OrganisationFactory()
    _assert_list_queries_constant(
        client_for(coordinator),
        list_url("organisations"),
        lambda: OrganisationFactory.create_batch(2),
        django_assert_num_queries,
    )


def test_organisations_list_queries_do_not_grow_for_member(member, django_assert_num_queries):
    _assert_list_queries_constant(
        client_for(member),
        list_url("organisations"),
        lambda: _add_organisations(member, 2),
        django_assert_num_queries,
    )


def test_people_list_queries_do_not_grow(coordinator, own_org, django_assert_num_queries):
    _add_people(own_org, 1)
    _assert_list_queries_constant(
        client_for(coordinator),
        list_url("people"),
        lambda: _add_people(own_org, 2),
        django_assert_num_queries,
    )


def test_people_list_queries_do_not_grow_for_member(member, own_org, django_assert_num_queries):
    _assert_list_queries_constant(
        client_for(member),
        list_url("people"),
        lambda: _add_people(own_org, 2),
        django_assert_num_queries,
    )
