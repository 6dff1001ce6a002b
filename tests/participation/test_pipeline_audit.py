"""Who sent, resent and cancelled invitations and who changed the audience stays on the
workshop's change history, though these writes go round the audit signals (bulk_create,
update())."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from participation.events import audiences, invitations, selectors
from participation.models import AudienceEntry, OutboundMail
from surveys import services
from surveys.models import Question, Section, Survey
from tests.factories import WorkshopFactory, give_totp, member_of

pytestmark = pytest.mark.django_db


def url(name, workshop):
    return reverse(f"workshops:{name}", args=[workshop.pk])


def history(client, workshop):
    page = client.get(url("workshop_detail", workshop)).content.decode()
    return page[page.index('id="audit-title"') :]


def test_the_history_names_who_sent_and_who_cancelled(
    client, coordinator, county_office, django_capture_on_commit_callbacks
):
    colleague = member_of(county_office, is_coordinator=True, email="kollegin@kreis.example")
    give_totp(colleague)
    workshop = WorkshopFactory(title="Fachworkshop Pflege")
    for address in ("a@example.org", "b@example.org"):
        audiences.add_audience_entry(
            workshop, actor=coordinator, kind=AudienceEntry.Kind.EMAIL, email=address
        )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("audience_send", workshop), {"expected": "2"})
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("workshop_cancel", workshop))

    page = history(client, workshop)
    assert "Einladungen versendet</strong>: – → 2" in page
    assert "Absagen versendet</strong>: – → 2" in page
    assert "Zum Verteiler hinzugefügt</strong>: – → Externe E-Mail-Adresse: a@example.org" in page
    entries = LogEntry.objects.get_for_object(workshop)
    sent = entries.get(changes__has_key="invitations_sent")
    cancelled = entries.get(changes__has_key="cancellations_sent")
    assert (sent.actor, cancelled.actor) == (coordinator, colleague)
    assert cancelled.changes_dict["status"] == ["published", "cancelled"]
    assert coordinator.email in page and colleague.email in page


def test_resending_and_removing_from_the_audience_are_recorded(coordinator):
    workshop = WorkshopFactory()
    entry = audiences.add_audience_entry(
        workshop, actor=coordinator, kind=AudienceEntry.Kind.EMAIL, email="c@example.org"
    )
    invitations.send_invitations(workshop, actor=coordinator)
    invitation = selectors.invitations_of(workshop).get()
    invitations.prepare_message(invitation.pk, "invitation", selectors.INVITATION_KEY)
    OutboundMail.objects.update(status=OutboundMail.Status.FAILED)
    assert invitations.resend_failed(workshop, actor=coordinator) == 1
    audiences.remove_audience_entry(entry, actor=coordinator)

    entries = LogEntry.objects.get_for_object(workshop)
    assert entries.get(changes__has_key="messages_resent").actor == coordinator
    removed = entries.get(changes__has_key="audience_removed")
    assert (removed.actor, removed.changes_dict["audience_removed"][0]) == (
        coordinator,
        "Externe E-Mail-Adresse: c@example.org",
    )


def test_a_new_survey_version_names_who_started_it(coordinator, county_office):
    colleague = member_of(county_office, is_coordinator=True)
    survey = services.create_survey(Survey(title="Sozialplanung"), actor=coordinator)
    section = Section.objects.create(version=survey.draft_version, position=1, title="Planung")
    Question.objects.create(section=section, position=1, key="notes", kind="long_text", text="?")
    services.publish(survey, actor=coordinator)
    draft = services.editable_version(survey, actor=colleague)
    created = LogEntry.objects.get_for_object(draft).get(action=LogEntry.Action.CREATE)
    assert (draft.number, created.actor) == (2, colleague)
