"""The workshops' lines on the home page (`workshops/home.py`): the published workshops of the
coming weeks with their replies and the organisations still missing, each number the count of
the invitations list filtered the same way; members get their invitations from the base."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from participation.models import Invitation, Reply
from tests.factories import OrganisationFactory, PersonFactory, WorkshopFactory
from workshops import home
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def invite(workshop, *, organisation=None, reply=Reply.NONE, person=None):
    person = person or PersonFactory()
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(Workshop),
        event_id=workshop.pk,
        person=person,
        email=person.email,
        name=person.full_name,
        organisation=organisation,
        reply=reply,
    )


def items(coordinator):
    with translation.override("en"):
        (section,) = home.for_coordinator(coordinator, today=timezone.localdate())
    return section.items


def numbers(item):
    return {count.label: count.number for count in item.counts}


def in_days(days):
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


def test_coordinator_sees_the_coming_workshops_with_replies_and_missing_organisations(
    coordinator, own_org, other_org
):
    soon = WorkshopFactory(title="Bald", start=in_days(14))
    invite(soon, organisation=own_org, reply=Reply.ACCEPTED)
    invite(soon, organisation=own_org, reply=Reply.NONE)
    invite(soon, organisation=other_org, reply=Reply.NONE)
    invite(soon, organisation=other_org, reply=Reply.DECLINED)
    invite(soon, reply=Reply.TENTATIVE)
    later = WorkshopFactory(title="Später", start=in_days(30))
    WorkshopFactory(title="Zu weit", start=in_days(7 * home.COMING_WEEKS + 2))
    WorkshopFactory(title="Entwurf", start=in_days(10), status="draft")
    WorkshopFactory(title="Vorbei", start=in_days(-3))

    first, second = items(coordinator)
    assert (first.title, second.title) == ("Bald", "Später")
    assert numbers(first) == {"accepted": 1, "tentative": 1, "declined": 1, "no reply yet": 2}
    assert first.names == sorted([own_org.name, other_org.name])
    assert first.severity == "warning"
    assert first.detail.endswith("5 invited.")
    assert second.url == later.get_absolute_url()
    assert numbers(second) == {"accepted": 0, "tentative": 0, "declined": 0, "no reply yet": 0}


def test_each_number_is_the_count_of_the_invitations_list_it_links_to(client, coordinator, own_org):
    workshop = WorkshopFactory(start=in_days(10))
    for reply in (Reply.ACCEPTED, Reply.ACCEPTED, Reply.DECLINED, Reply.NONE, Reply.NONE):
        invite(workshop, organisation=own_org, reply=reply)
    client.force_login(coordinator)
    (item,) = items(coordinator)
    for count in item.counts:
        page = client.get(count.url).content.decode()
        assert len(re.findall(r'<tr[^>]* id="invitation-\d+"', page)) == count.number, count


def test_queries_do_not_grow_with_workshops_or_invitations(coordinator):
    def add(count):
        for _ in range(count):
            workshop = WorkshopFactory(start=in_days(12))
            for reply in (Reply.ACCEPTED, Reply.NONE):
                invite(workshop, organisation=OrganisationFactory(), reply=reply)

    add(2)
    with CaptureQueriesContext(connection) as few:
        home.for_coordinator(coordinator, today=timezone.localdate())
    add(18)
    with CaptureQueriesContext(connection) as many:
        assert len(items(coordinator)) == 20
    assert len(many) == len(few)


def test_members_get_nothing_from_the_workshops_themselves(member):
    assert not hasattr(home, "for_member")
