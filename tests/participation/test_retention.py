"""Retention: each category of personal data is removed once its period has passed, by the
nightly purge, and each run is logged with what it removed per category."""

import datetime
import io
import json

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, modify_settings
from django.urls import reverse

from participation import mail, security_log
from participation.events import audiences, invitations, replies
from participation.models import (
    AudienceEntry,
    Invitation,
    OutboundMail,
    Reply,
    RetentionRun,
    SecurityEvent,
    SecurityEventKind,
)
from participation.purging import purge_expired, run_purges
from participation.retention import PERIODS, check_retention_days
from tests.api_support import client_for
from tests.factories import OrganisationFactory, PersonFactory, WorkshopFactory
from workshops.live import services as live
from workshops.live.models import LiveParticipant

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
INVITED = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
START = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
END = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def days_after(moment, days, hours=0):
    return moment + datetime.timedelta(days=days, hours=hours)


def purge_at(moment):
    with time_machine.travel(moment, tick=False):
        return run_purges()


@pytest.fixture
def workshop(coordinator, django_capture_on_commit_callbacks):
    """A workshop on 10 March 2026: a registry person and an external guest invited on
    2 February, both accepted with their needs."""
    with time_machine.travel(INVITED, tick=False):
        workshop = WorkshopFactory(
            title="Fachworkshop Wohnen",
            start=START,
            end=END,
            registration_deadline=START - datetime.timedelta(days=7),
        )
        official = PersonFactory(first_name="Olga", last_name="Amtlich", email="olga@kreis.example")
        audiences.add_audience_entry(
            workshop, actor=coordinator, kind=AudienceEntry.Kind.PERSON, person=official
        )
        audiences.add_audience_entry(
            workshop,
            actor=coordinator,
            kind=AudienceEntry.Kind.EMAIL,
            email="erika.extern@example.org",
            name="Erika Extern",
        )
        with django_capture_on_commit_callbacks(execute=True):
            invitations.send_invitations(workshop, actor=coordinator)
        for invitation in Invitation.objects.all():
            replies.reply_to_invitation(
                invitation,
                reply=Reply.ACCEPTED,
                accessibility_needs="Rollstuhlplatz",
                dietary_wishes="vegetarisch",
            )
    return workshop


@pytest.fixture
def notice(django_capture_on_commit_callbacks):
    """A mail sent on 2 February 2026 through the one mail path, its text kept after
    sending (unlike an invitation, whose personal link is forgotten once it is sent)."""
    with (
        time_machine.travel(INVITED, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return mail.queue_mail(
            to="olga@kreis.example",
            subject="Unterlagen zum Fachworkshop",
            body_text="Guten Tag Frau Amtlich, anbei die Unterlagen.",
            body_html="<p>Guten Tag Frau Amtlich, anbei die Unterlagen.</p>",
            language="de",
        )


def external(workshop):
    return Invitation.objects.get(person__isnull=True)


def test_needs_stay_within_the_period_and_go_after_it(workshop):
    purge_at(days_after(END, 1))
    assert set(Invitation.objects.values_list("accessibility_needs", "dietary_wishes")) == {
        ("Rollstuhlplatz", "vegetarisch")
    }

    run = purge_at(days_after(END, 30, hours=1))
    assert run.counts["event_needs"] == 2
    assert set(Invitation.objects.values_list("accessibility_needs", "dietary_wishes")) == {
        ("", "")
    }
    # The reply and the place stay: they are the event's record.
    assert set(Invitation.objects.values_list("reply", flat=True)) == {Reply.ACCEPTED}


def test_an_upcoming_event_keeps_its_needs(workshop, coordinator):
    later = WorkshopFactory(start=days_after(END, 60), end=days_after(END, 60, hours=4))
    with time_machine.travel(INVITED, tick=False):
        Invitation.objects.create(
            event_type=ContentType.objects.get_for_model(later),
            event_id=later.pk,
            email="spaeter@example.org",
            accessibility_needs="Gebärdendolmetschung",
        )
    purge_at(days_after(END, 31))
    assert Invitation.objects.get(email="spaeter@example.org").accessibility_needs == (
        "Gebärdendolmetschung"
    )


def test_external_replies_are_removed_after_their_period_everywhere_quoted(workshop):
    guest = external(workshop)
    run = purge_at(days_after(END, 364))
    assert run.counts["external_replies"] == 0
    assert external(workshop).name == "Erika Extern"

    run = purge_at(days_after(END, 366))
    assert run.counts["external_replies"] == 1
    guest.refresh_from_db()
    pseudonym = f"invitee-{guest.pk}@removed.invalid"
    assert (guest.name, guest.email, guest.reply) == ("", pseudonym, Reply.ACCEPTED)
    # The registry person keeps their invitation as it was.
    official = Invitation.objects.get(person__isnull=False)
    assert (official.name, official.email) == ("Olga Amtlich", "olga@kreis.example")
    # Neither the audience, the outbox nor the audit trail still names the guest.
    assert not AudienceEntry.objects.filter(email__icontains="erika").exists()
    assert set(
        OutboundMail.objects.filter(to__icontains="removed").values_list("to", flat=True)
    ) == {pseudonym}
    assert not OutboundMail.objects.filter(to__icontains="erika").exists()
    trail = json.dumps(list(LogEntry.objects.values("object_repr", "changes", "changes_text")))
    assert "erika" not in trail.lower() and "Erika Extern" not in trail
    assert pseudonym in trail and "olga@kreis.example" in trail


def test_mail_bodies_are_blanked_after_90_days_and_the_outbox_row_stays(notice):
    notice.refresh_from_db()
    assert notice.status == OutboundMail.Status.SENT and notice.body_text

    purge_at(days_after(INVITED, 89))
    notice.refresh_from_db()
    assert "Frau Amtlich" in notice.body_text and "Frau Amtlich" in notice.body_html

    run = purge_at(days_after(INVITED, 91))
    assert run.counts["mail_bodies"] == 1
    notice.refresh_from_db()
    assert (notice.body_text, notice.body_html, notice.attachments) == ("", "", [])
    assert (notice.to, notice.subject, notice.status) == (
        "olga@kreis.example",
        "Unterlagen zum Fachworkshop",
        OutboundMail.Status.SENT,
    )
    assert notice.sent_at is not None


def test_a_failed_mail_keeps_its_text_90_days_after_it_was_written_then_it_goes():
    with time_machine.travel(INVITED, tick=False):
        failed = mail.store_mail(
            to="olga@kreis.example",
            subject="Unterlagen",
            body_text="Guten Tag Frau Amtlich",
            body_html="<p>Guten Tag Frau Amtlich</p>",
            attachments=[{"filename": "a.ics", "mimetype": "text/calendar", "content": "x"}],
            language="de",
        )
    OutboundMail.objects.filter(pk=failed.pk).update(status=OutboundMail.Status.FAILED)

    assert purge_at(days_after(INVITED, 89)).counts["mail_bodies"] == 0
    failed.refresh_from_db()
    assert failed.body_text == "Guten Tag Frau Amtlich"

    assert purge_at(days_after(INVITED, 91)).counts["mail_bodies"] == 1
    failed.refresh_from_db()
    assert (failed.body_text, failed.body_html, failed.attachments) == ("", "", [])
    assert (failed.to, failed.subject, failed.status) == (
        "olga@kreis.example",
        "Unterlagen",
        OutboundMail.Status.FAILED,
    )


CANNOT_RESEND = (
    "The failed e-mail was written more than 90 days ago. Its text has been removed as the "
    "retention rules require, so it cannot be sent again."
)
OUTBOX_NOTE = "Written more than 90 days ago: its text has been removed"


def test_a_failed_invitation_past_the_period_is_not_sent_again_and_the_outbox_says_why(
    coordinator, workshop, mailoutbox, django_capture_on_commit_callbacks
):
    official = Invitation.objects.get(email="olga@kreis.example")
    failed = OutboundMail.objects.filter(invitation_message__invitation=official)
    failed.update(status=OutboundMail.Status.FAILED, last_error="550 Mailbox unavailable")
    mailoutbox.clear()
    outbox = reverse("participation:mail_list") + "?state=failed"
    resend_one = reverse("workshops:resend_one", args=[workshop.pk, official.pk])

    with time_machine.travel(days_after(INVITED, 89), tick=False):
        browser = Client(HTTP_ACCEPT_LANGUAGE="en")
        browser.force_login(coordinator)
        page = browser.get(outbox).content.decode()
        assert "550 Mailbox unavailable" in page and OUTBOX_NOTE not in page

    purge_at(days_after(INVITED, 91))
    with time_machine.travel(days_after(INVITED, 91), tick=False):
        browser = Client(HTTP_ACCEPT_LANGUAGE="en")
        browser.force_login(coordinator)
        assert OUTBOX_NOTE in browser.get(outbox).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            page = browser.post(resend_one, follow=True).content.decode()
        assert CANNOT_RESEND in page

        api = client_for(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            refused = api.post(
                f"/api/v1/workshops/{workshop.pk}/resend-failed/", HTTP_ACCEPT_LANGUAGE="en"
            )
        assert refused.status_code == 400
        assert refused.json() == {"non_field_errors": [CANNOT_RESEND]}

    assert failed.get().status == OutboundMail.Status.FAILED
    assert not mailoutbox


def test_a_setting_shortens_a_period(notice, settings):
    settings.RETENTION_DAYS = {"mail_bodies": 7}
    assert PERIODS["mail_bodies"].kept_days == 7
    run = purge_at(days_after(INVITED, 8))
    assert run.counts["mail_bodies"] == 1
    assert not OutboundMail.objects.exclude(body_text="").exists()


def test_a_mistyped_setting_is_refused_at_start(settings):
    settings.RETENTION_DAYS = {"mail_body": 30, "audit": "730"}
    assert [error.id for error in check_retention_days()] == [
        "participation.E101",
        "participation.E102",
    ]


def test_audit_entries_older_than_the_period_go_and_newer_stay(coordinator):
    with time_machine.travel(datetime.datetime(2023, 1, 10, tzinfo=UTC), tick=False):
        old = OrganisationFactory(name="Stadt Alt")
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=UTC), tick=False):
        new = OrganisationFactory(name="Stadt Neu")
    organisations = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(old)
    ).order_by("timestamp")
    assert {entry.object_repr for entry in organisations} >= {"Stadt Alt", "Stadt Neu"}

    run = purge_at(datetime.datetime(2026, 1, 20, tzinfo=UTC))
    assert run.counts["audit"] >= 1
    assert not organisations.filter(object_pk=str(old.pk)).exists()
    assert organisations.filter(object_pk=str(new.pk)).exists()


def test_security_events_older_than_the_period_go(coordinator):
    for day in (
        datetime.datetime(2025, 1, 5, tzinfo=UTC),
        datetime.datetime(2025, 9, 1, tzinfo=UTC),
    ):
        with time_machine.travel(day, tick=False):
            security_log.record(SecurityEventKind.SIGNED_IN, user=coordinator)
    run = purge_at(datetime.datetime(2026, 1, 20, tzinfo=UTC))
    assert run.counts["security_log"] == 1
    # The fixture's second factor is logged today too; the sign-ins are what this is about.
    sign_ins = SecurityEvent.objects.filter(kind=SecurityEventKind.SIGNED_IN)
    assert [event.at.date() for event in sign_ins] == [datetime.date(2025, 9, 1)]


def test_live_display_names_are_replaced_after_the_session(workshop, coordinator):
    with time_machine.travel(START, tick=False):
        session = live.ensure_live_session(workshop, actor=coordinator)
        live.join_with_code({}, session.join_code, "Kim Muster")
        live.join_with_code({}, session.join_code, "Lou Beispiel")
    with time_machine.travel(END, tick=False):
        live.end_live_session(session, actor=coordinator)

    assert purge_at(days_after(END, 29)).counts["live_names"] == 0
    run = purge_at(days_after(END, 31))
    assert run.counts["live_names"] == 2
    names = list(LiveParticipant.objects.order_by("joined_at", "pk").values_list("display_name"))
    assert names == [("Teilnehmende 1",), ("Teilnehmende 2",)]
    trail = json.dumps(list(LogEntry.objects.values("object_repr", "changes")))
    assert "Kim Muster" not in trail and "Lou Beispiel" not in trail
    assert purge_at(days_after(END, 32)).counts["live_names"] == 0


def test_a_session_reopened_after_the_purge_has_its_new_names_replaced_too(workshop, coordinator):
    with time_machine.travel(START, tick=False):
        session = live.ensure_live_session(workshop, actor=coordinator)
        live.join_with_code({}, session.join_code, "Kim Muster")
        live.end_live_session(session, actor=coordinator)
    purge_at(days_after(END, 31))
    with time_machine.travel(days_after(END, 40), tick=False):
        session = live.reopen_live_session(session, actor=coordinator)
        live.join_with_code({}, session.join_code, "Nachzüglerin Nora")
        live.end_live_session(session, actor=coordinator)

    assert purge_at(days_after(END, 60)).counts["live_names"] == 0
    assert purge_at(days_after(END, 71)).counts["live_names"] == 1
    names = LiveParticipant.objects.order_by("joined_at", "pk").values_list(
        "display_name", flat=True
    )
    assert list(names) == ["Teilnehmende 1", "Teilnehmende 2"]


def test_the_run_is_logged_with_counts_and_a_second_run_removes_nothing(workshop, notice):
    run = purge_at(days_after(END, 400))
    assert run.finished_at is not None and run.errors == {}
    assert run.counts == {
        "event_needs": 2,
        "external_replies": 1,
        "mail_bodies": 1,
        "audit": 0,
        "security_log": 0,
        "barrier_reports": 0,
        "live_names": 0,
    }
    again = purge_at(days_after(END, 400, hours=1))
    assert again.counts == dict.fromkeys(run.counts, 0)
    assert RetentionRun.objects.count() == 2


def test_after_beat_was_stopped_for_days_one_run_removes_everything_due(workshop, notice):
    """No run for months: the next one takes what became due on every day in between."""
    run = purge_at(days_after(END, 120))
    assert (run.counts["event_needs"], run.counts["mail_bodies"]) == (2, 1)
    assert RetentionRun.objects.count() == 1


def test_a_failing_purge_is_recorded_and_the_others_run(workshop, notice, coordinator):
    with time_machine.travel(START, tick=False):
        session = live.ensure_live_session(workshop, actor=coordinator)
        live.join_with_code({}, session.join_code, "Kim Muster")
        live.end_live_session(session, actor=coordinator)
    with modify_settings(INSTALLED_APPS={"append": "tests.participation.retention_standin"}):
        run = purge_at(days_after(END, 100))
    assert list(run.errors) == ["live_names"]
    assert "retention_standin_missing" in run.errors["live_names"]
    assert run.failed and run.finished_at is not None
    # The other categories, and the workshops' own purge of the same category, ran.
    assert (run.counts["event_needs"], run.counts["mail_bodies"]) == (2, 1)
    assert LiveParticipant.objects.get().display_name == "Teilnehmende 1"


def test_the_task_runs_every_purge(workshop, notice):
    with time_machine.travel(days_after(END, 100), tick=False):
        result = purge_expired.delay().get()
    run = RetentionRun.objects.get()
    assert result == {"run": run.pk, "counts": run.counts, "errors": {}}
    assert run.counts["mail_bodies"] == 1


def test_beat_runs_the_purge_nightly_and_drops_a_stale_one(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["retention-purge"]
    assert entry["task"] == "participation.tasks.purge_expired"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    assert entry["options"]["expires"] < 24 * 3600


# --- the coordinators' page and the API ------------------------------------------------------


def test_the_page_lists_periods_and_runs_for_coordinators(
    client, coordinator, workshop, notice, settings
):
    settings.RETENTION_DAYS = {"audit": 730}
    purge_at(days_after(END, 100))
    client.force_login(coordinator)
    page = client.get(reverse("participation:retention"), HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Aufbewahrung personenbezogener Daten" in text
    assert "30 Tage nach Ende der Veranstaltung" in text
    assert "730 Tage nach dem Eintrag" in text and "festgelegt: 1095 Tage" in text
    assert "Barrierefreiheitsbedarfe und Ernährungswünsche: 2" in text
    assert "Texte versandter und fehlgeschlagener E-Mails: 1" in text


def test_the_page_filters_failed_runs(client, coordinator):
    RetentionRun.objects.create(
        started_at=datetime.datetime(2026, 1, 1, 1, 30, tzinfo=UTC),
        finished_at=datetime.datetime(2026, 1, 1, 1, 31, tzinfo=UTC),
        counts={"audit": 4},
    )
    RetentionRun.objects.create(
        started_at=datetime.datetime(2026, 1, 2, 1, 30, tzinfo=UTC),
        finished_at=datetime.datetime(2026, 1, 2, 1, 31, tzinfo=UTC),
        counts={"audit": 0},
        errors={"audit": "OperationalError: server closed the connection"},
    )
    client.force_login(coordinator)
    url = reverse("participation:retention")
    assert "2 Durchläufe" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    failed = client.get(url + "?state=failed", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "1 Durchlauf" in failed and "server closed the connection" in failed


def test_the_page_is_for_coordinators_only(client, member):
    url = reverse("participation:retention")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 404


def test_the_api_lists_runs_and_periods_for_coordinators(coordinator, member, workshop, notice):
    purge_at(days_after(END, 100))
    runs = client_for(coordinator).get("/api/v1/retention-runs/")
    assert runs.status_code == 200
    (run,) = runs.data["results"]
    assert run["status"] == "done" and run["counts"]["mail_bodies"] == 1
    assert client_for(coordinator).get(f"/api/v1/retention-runs/{run['id']}/").status_code == 200
    assert client_for(coordinator).get("/api/v1/retention-runs/?state=x").status_code == 400

    periods = client_for(coordinator).get("/api/v1/retention-periods/").data
    by_key = {period["key"]: period for period in periods}
    assert by_key["event_needs"]["days"] == 30 and by_key["event_needs"]["purged_nightly"]
    assert by_key["account"]["days"] is None and not by_key["account"]["purged_nightly"]

    assert client_for(member).get("/api/v1/retention-runs/").data["results"] == []
    assert client_for(member).get(f"/api/v1/retention-runs/{run['id']}/").status_code == 404
    assert client_for(member).get("/api/v1/retention-periods/").status_code == 404


def test_the_api_is_in_the_schema(client, coordinator):
    client.force_login(coordinator)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/retention-runs/" in schema and "/api/v1/retention-periods/" in schema


def test_the_demo_shows_a_logged_run():
    call_command("seed_demo", stdout=io.StringIO())
    assert RetentionRun.objects.count() == 1
    call_command("seed_demo", stdout=io.StringIO())
    assert RetentionRun.objects.count() == 1
