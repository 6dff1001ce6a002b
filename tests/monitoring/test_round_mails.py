"""Mails of delivery rounds and the home page's lines: the contact people of each supplier
hear once that a round is open and once per send-back, with the county's comment; suppliers
that have not submitted are reminded once on the round's day (caught up after a day the
task did not run, naming their own deadline) or when a coordinator asks, each contact person
once a day; members see their deliveries due, coordinators the rounds closing with
deliveries missing and the deliveries waiting for approval, each number leading to a page
that shows the same deliveries."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring import home, notices, rounds, tasks
from monitoring.models import Delivery, DeliveryNotice, DeliveryReminder, Round
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def contact(organisation, email):
    return MembershipFactory(organisation=organisation, is_contact=True, person__email=email)


def new_round(coordinator, indicator_set, suppliers, *, name="Stichtag 2026", **dates):
    today = timezone.localdate()
    return rounds.save_round(
        Round(
            name=name,
            indicator_set=indicator_set,
            reference_date=datetime.date(2026, 6, 30),
            opens_on=dates.get("opens_on", today - datetime.timedelta(days=7)),
            closes_on=dates.get("closes_on", today + datetime.timedelta(days=14)),
        ),
        actor=coordinator,
        suppliers=suppliers,
    )


def submitted(delivery):
    """A delivery handed in (the grid and its checks are tested in test_rounds.py)."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SUBMITTED, submitted_at=timezone.now()
    )
    delivery.refresh_from_db()
    return delivery


def delivery_of(round_, organisation):
    return Delivery.objects.select_related("round").get(round=round_, organisation=organisation)


@pytest.fixture
def contacts(own_org):
    return [contact(own_org, "statistik@siegburg.example")]


# --- the round is open ----------------------------------------------------------------------


def test_opening_a_round_tells_each_contact_of_each_new_supplier_once(
    coordinator,
    indicator_set,
    neighbourhood,
    own_org,
    other_org,
    contacts,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    contact(other_org, "daten@much.example")
    with django_capture_on_commit_callbacks(execute=True):
        round_ = new_round(coordinator, indicator_set, [own_org])
    [mail] = mailoutbox
    delivery = delivery_of(round_, own_org)
    assert mail.to == ["statistik@siegburg.example"]
    assert mail.subject == "Datenlieferrunde geöffnet: „Stichtag 2026“"
    assert "Stadt Siegburg" in mail.body and "30.06.2026" in mail.body
    assert round_.opens_on.strftime("%d.%m.%Y") in mail.body
    assert round_.closes_on.strftime("%d.%m.%Y") in mail.body
    assert f"{settings.SITE_URL}/monitoring/deliveries/{delivery.pk}/" in mail.body

    # Saving the round again, with one more supplier: only the new one hears of it.
    with django_capture_on_commit_callbacks(execute=True):
        rounds.save_round(round_, actor=coordinator, suppliers=[own_org, other_org])
        rounds.save_round(round_, actor=coordinator, suppliers=[own_org, other_org])
        notices.send_open_notices([delivery])
    assert [m.to[0] for m in mailoutbox] == ["statistik@siegburg.example", "daten@much.example"]
    assert DeliveryNotice.objects.filter(kind=DeliveryNotice.Kind.OPENED).count() == 2


def test_a_supplier_added_later_is_told_once(
    coordinator, delivery_round, other_org, mailoutbox, django_capture_on_commit_callbacks
):
    contact(other_org, "daten@much.example")
    with django_capture_on_commit_callbacks(execute=True):
        rounds.add_supplier(delivery_round, other_org, actor=coordinator)
        rounds.add_supplier(delivery_round, other_org, actor=coordinator)
    assert [m.to[0] for m in mailoutbox] == ["daten@much.example"]


# --- sent back ---------------------------------------------------------------------------------


def test_a_delivery_sent_back_tells_its_contacts_the_comment_once_per_send_back(
    coordinator, delivery_round, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    delivery = submitted(delivery_of(delivery_round, own_org))
    with django_capture_on_commit_callbacks(execute=True):
        rounds.send_back(delivery, actor=coordinator, comment="Bitte Altstadt prüfen.")
        notices.send_return_notice(Delivery.objects.get(pk=delivery.pk))
    [mail] = mailoutbox
    assert mail.to == ["statistik@siegburg.example"]
    assert mail.subject == "Lieferung zur Korrektur zurückgegeben: „Stichtag 2026“"
    assert "Bitte Altstadt prüfen." in mail.body
    assert f"{settings.SITE_URL}/monitoring/deliveries/{delivery.pk}/" in mail.body

    # Submitted again and sent back again: a new comment, a new mail.
    delivery = submitted(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        rounds.send_back(delivery, actor=coordinator, comment="Noch einmal: die Summe.")
    assert len(mailoutbox) == 2 and "Noch einmal: die Summe." in mailoutbox[1].body
    assert DeliveryNotice.objects.filter(kind=DeliveryNotice.Kind.RETURNED).count() == 2


# --- reminders ---------------------------------------------------------------------------------


def test_the_daily_task_reminds_on_the_rounds_day_once(
    delivery_round, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    day = delivery_round.closes_on - datetime.timedelta(days=delivery_round.remind_days_before)
    with time_machine.travel(day - datetime.timedelta(days=1)):
        assert tasks.send_due_reminders.apply().get() == 0
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.apply().get() == 1
        assert tasks.send_due_reminders.apply().get() == 0
    with time_machine.travel(day + datetime.timedelta(days=1)):
        assert tasks.send_due_reminders.apply().get() == 0
    [mail] = mailoutbox
    assert mail.to == ["statistik@siegburg.example"]
    assert mail.subject == "Erinnerung: Lieferung für „Stichtag 2026“"
    assert delivery_round.closes_on.strftime("%d.%m.%Y") in mail.body
    delivery = delivery_of(delivery_round, delivery_round.deliveries.get().organisation)
    assert f"{settings.SITE_URL}/monitoring/deliveries/{delivery.pk}/" in mail.body
    assert DeliveryReminder.objects.get().kind == DeliveryReminder.Kind.AUTO


def test_beat_down_on_the_day_reminds_once_on_the_next_run(
    delivery_round, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    day = delivery_round.closes_on - datetime.timedelta(days=delivery_round.remind_days_before)
    sent = []
    for later in (2, 3):
        with (
            time_machine.travel(day + datetime.timedelta(days=later)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sent.append(sum(tasks.send_due_reminders.apply().get() for _ in range(2)))
    assert sent == [1, 0]
    assert len(mailoutbox) == 1


def test_no_reminder_after_the_delivery_is_submitted(
    delivery_round, own_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(delivery_of(delivery_round, own_org))
    day = delivery_round.closes_on - datetime.timedelta(days=delivery_round.remind_days_before)
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.apply().get() == 0
    assert mailoutbox == []


def test_the_reminder_names_the_suppliers_extended_deadline(
    coordinator,
    delivery_round,
    own_org,
    contacts,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    extended = delivery_round.closes_on + datetime.timedelta(days=10)
    rounds.extend(delivery_of(delivery_round, own_org), actor=coordinator, until=extended)
    day = delivery_round.closes_on - datetime.timedelta(days=delivery_round.remind_days_before)
    with time_machine.travel(day), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.apply().get() == 1
    [mail] = mailoutbox
    assert f"Frist: {extended.strftime('%d.%m.%Y')}" in mail.body


def test_a_coordinator_reminds_all_who_have_not_submitted_once_a_day(
    coordinator,
    member,
    delivery_round,
    own_org,
    other_org,
    contacts,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    rounds.add_supplier(delivery_round, other_org, actor=coordinator)
    contact(other_org, "daten@much.example")
    submitted(delivery_of(delivery_round, other_org))
    url = f"/monitoring/rounds/{delivery_round.pk}/remind/"
    page = signed_in(coordinator).get(delivery_round.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page

    client = signed_in(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, HTTP_ACCEPT_LANGUAGE="de")
        again = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302 and response.url == delivery_round.get_absolute_url()
    assert [m.to[0] for m in mailoutbox] == ["statistik@siegburg.example"]
    assert "heute bereits erinnert" in again.content.decode()
    reminder = DeliveryReminder.objects.get()
    assert reminder.kind == DeliveryReminder.Kind.MANUAL and reminder.requested_by == coordinator

    assert signed_in(member).post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert DeliveryReminder.objects.count() == 1


# --- the home page -----------------------------------------------------------------------------


def test_members_see_their_deliveries_due_with_the_deadline_and_sent_back_ones_marked(
    coordinator, member, outsider, delivery_round, own_org, other_org
):
    today = timezone.localdate()
    rounds.add_supplier(delivery_round, other_org, actor=coordinator)
    second = new_round(coordinator, delivery_round.indicator_set, [own_org], name="Stichtag 2027")
    returned = submitted(delivery_of(second, own_org))
    rounds.send_back(returned, actor=coordinator, comment="Bitte Altstadt prüfen.")
    new_round(
        coordinator,
        delivery_round.indicator_set,
        [own_org],
        name="Noch nicht offen",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )

    [section] = home.for_member(member, today=today)
    assert section.key == "deliveries"
    first, other = section.items
    delivery = delivery_of(delivery_round, own_org)
    assert first.title == "Stichtag 2026" and first.url == delivery.get_absolute_url()
    assert first.deadline == delivery_round.closes_on and first.state == "not_started"
    assert other.url == returned.get_absolute_url() and other.state == "returned"
    assert "Bitte Altstadt prüfen." in other.detail

    page = signed_in(member).get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Fällige Lieferungen" in page
    assert f'href="{delivery.get_absolute_url()}"' in page
    assert "zur Korrektur zurückgegeben" in page
    assert "Noch nicht offen" not in page

    # Another supplier's delivery is not the member's; after the deadline it leaves the list.
    assert [i.url for s in home.for_member(outsider, today=today) for i in s.items] == [
        delivery_of(delivery_round, other_org).get_absolute_url()
    ]
    submitted(delivery)
    with time_machine.travel(returned.effective_deadline + datetime.timedelta(days=1)):
        left = [i.url for s in home.for_member(member, today=timezone.localdate()) for i in s.items]
    assert left == [
        delivery_of(Round.objects.get(name="Noch nicht offen"), own_org).get_absolute_url()
    ]


def test_member_home_takes_a_fixed_number_of_queries(coordinator, member, delivery_round, own_org):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        [section] = home.for_member(member, today=today)
    assert len(section.items) == 1
    for number in range(19):
        new_round(coordinator, delivery_round.indicator_set, [own_org], name=f"Runde {number}")
    with CaptureQueriesContext(connection) as many:
        [section] = home.for_member(member, today=today)
    assert len(section.items) == 20
    assert len(many) == len(few)


def shown(page):
    return int(re.search(r'id="deliveries-shown">(\d+) ', page).group(1))


def test_coordinators_see_rounds_closing_with_deliveries_missing_or_waiting_and_the_counts_match(
    client, coordinator, delivery_round, own_org, other_org
):
    today = timezone.localdate()
    rounds.add_supplier(delivery_round, other_org, actor=coordinator)
    submitted(delivery_of(delivery_round, other_org))
    later = new_round(
        coordinator,
        delivery_round.indicator_set,
        [own_org],
        name="Später",
        closes_on=today + datetime.timedelta(days=40),
    )

    with CaptureQueriesContext(connection) as few:
        sections = home.for_coordinator(coordinator, today=today)
    [section] = [s for s in sections if s.key == "delivery-rounds"]
    [item] = section.items  # the later round closes in 40 days, nothing waits there
    assert item.title == "Stichtag 2026" and item.url == delivery_round.get_absolute_url()
    assert item.deadline == delivery_round.closes_on
    missing, waiting = item.counts
    assert (missing.number, waiting.number) == (1, 1)
    assert missing.url == f"{delivery_round.get_absolute_url()}?state=missing"
    assert waiting.url == f"{delivery_round.get_absolute_url()}?state=review"

    client.force_login(coordinator)
    for count in (missing, waiting):
        page = client.get(count.url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert shown(page) == count.number
    missing_page = client.get(missing.url).content.decode()
    assert "Stadt Siegburg" in missing_page and "Gemeinde Much" not in missing_page
    home_page = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'href="{missing.url}"' in home_page and "Datenlieferungen" in home_page

    # Waiting for approval shows whenever the round closes; more rounds, same queries.
    submitted(delivery_of(later, own_org))
    for number in range(18):
        new_round(
            coordinator, delivery_round.indicator_set, [own_org, other_org], name=f"R{number}"
        )
    with CaptureQueriesContext(connection) as many:
        sections = home.for_coordinator(coordinator, today=today)
    [section] = [s for s in sections if s.key == "delivery-rounds"]
    assert len(section.items) == 20
    assert len(many) == len(few)
