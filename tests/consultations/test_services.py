"""Opening a consultation, the organisations' statements through the response engine, the
responsible member's release, the deadline, and requests and reminders each once."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations import reminders, selectors, services, tasks
from consultations.models import Consultation, ConsultationReminder, Statement, StatementRequest
from participation.models import OrganisationKind, OutboundMail
from tests.factories import BodyFactory, BodyMembershipFactory, OrganisationFactory

from .conftest import build_consultation, value

pytestmark = pytest.mark.django_db


def test_opening_requests_a_statement_from_each_contact_once(
    coordinator, own_org, other_org, contacts, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = build_consultation(coordinator, [own_org, other_org])
    assert consultation.status == Consultation.Status.OPEN
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kontakt@much.example",
        "kontakt@siegburg.example",
    ]
    mail = next(m for m in mailoutbox if m.to[0] == "kontakt@siegburg.example")
    assert "Indikatorenset Sozialmonitoring" in mail.subject
    assert f"/consultations/{consultation.pk}/" in mail.body
    assert f"Frist: {consultation.deadline:%d.%m.%Y}" in mail.body
    # Sending again (a retry) sends nothing: each request is a row, once per person.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_requests(consultation) == 0
    assert len(mailoutbox) == 2
    assert StatementRequest.objects.filter(consultation=consultation).count() == 2


def test_opening_needs_sections_organisations_and_a_deadline_ahead(coordinator, own_org):
    consultation = services.save_consultation(
        Consultation(title="Leer", deadline=timezone.localdate()), actor=coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.open_consultation(consultation, actor=coordinator)
    assert refused.value.messages == [
        "Legen Sie mindestens einen Abschnitt des Entwurfs an.",
        "Wählen Sie die zu beteiligenden Organisationen.",
        "Setzen Sie eine Frist nach dem heutigen Tag.",
    ]
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DRAFT


def test_organisations_are_chosen_by_kind_body_and_one_by_one(coordinator, own_org, other_org):
    welfare = OrganisationFactory(
        name="Caritas", kind=OrganisationKind.WELFARE_ASSOCIATION, ags=None
    )
    inactive = OrganisationFactory(
        name="Alter Verband", kind=OrganisationKind.WELFARE_ASSOCIATION, ags=None, is_active=False
    )
    group = OrganisationFactory(name="Fraktion A", kind=OrganisationKind.POLITICAL_GROUP, ags=None)
    body = BodyFactory()
    BodyMembershipFactory(body=body, represents=group)
    consultation = build_consultation(coordinator, [own_org], open_it=False)
    added = services.consult(
        consultation,
        actor=coordinator,
        kinds=[OrganisationKind.WELFARE_ASSOCIATION],
        bodies=[body],
        organisations=[other_org],
    )
    assert added == 3
    assert set(consultation.organisations.all()) == {own_org, other_org, welfare, group}
    assert inactive not in consultation.organisations.all()


def test_a_consultation_is_visible_to_consulted_organisations_once_open(
    coordinator, member, outsider, own_org, not_consulted
):
    draft = build_consultation(coordinator, [own_org], open_it=False)
    assert not selectors.visible_consultations(member).filter(pk=draft.pk).exists()
    services.open_consultation(draft, actor=coordinator)
    assert selectors.visible_consultations(member).filter(pk=draft.pk).exists()
    assert not selectors.visible_consultations(outsider).filter(pk=draft.pk).exists()


def test_members_see_only_their_own_organisations_statement(
    consultation, member, outsider, own_org, other_org
):
    own = services.statement_for(consultation, own_org)
    theirs = services.statement_for(consultation, other_org)
    assert list(selectors.visible_statements(member)) == [own]
    assert list(selectors.visible_statements(outsider)) == [theirs]


def test_two_members_editing_the_same_section_conflict_and_nothing_is_lost(
    consultation, own_org, member, colleague
):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.get(number=1)
    # Both opened the section at revision 0; the member saves first.
    saved = services.save_section_answer(
        statement, section, value("agree", "Passt."), actor=member, base_revision=0
    )
    assert saved.revision == 1
    with pytest.raises(services.AnswerConflict) as conflict:
        services.save_section_answer(
            statement, section, value("disagree", "Passt nicht."), actor=colleague, base_revision=0
        )
    assert conflict.value.answer.value["comment"] == "Passt."
    # The colleague saw the conflict and saves their entry on the current revision.
    again = services.save_section_answer(
        statement, section, value("disagree", "Passt nicht."), actor=colleague, base_revision=1
    )
    assert again.revision == 2 and again.value["position"] == "disagree"
    history = list(again.changes.values_list("revision", "new_value", "changed_by"))
    assert history == [
        (2, value("disagree", "Passt nicht."), colleague.pk),
        (1, value("agree", "Passt."), member.pk),
    ]


def test_an_unknown_position_is_refused_and_nothing_saved(consultation, own_org, member):
    statement = services.statement_for(consultation, own_org)
    section = consultation.sections.first()
    with pytest.raises(ValidationError) as refused:
        services.save_section_answer(
            statement, section, value("maybe"), actor=member, base_revision=0
        )
    assert refused.value.messages == [
        "Wählen Sie Zustimmung, Zustimmung mit Änderungen oder Ablehnung."
    ]
    assert not statement.answers.exists()


def test_only_the_responsible_member_releases_the_statement(
    consultation, own_org, member, colleague
):
    statement = services.statement_for(consultation, own_org)
    with pytest.raises(
        ValidationError, match="Benennen Sie zuerst das für die Stellungnahme verantwortliche"
    ):
        services.release_statement(statement, actor=member)
    services.name_responsible(statement, colleague.person, actor=member)
    for section in consultation.sections.all():
        services.save_section_answer(statement, section, value(), actor=member, base_revision=0)
    with pytest.raises(ValidationError) as refused:
        services.release_statement(statement, actor=member)
    assert refused.value.messages == [
        f"Nur das verantwortliche Mitglied ({colleague.person.full_name}) kann die "
        "Stellungnahme freigeben oder erklären, dass keine abgegeben wird."
    ]
    released = services.release_statement(statement, actor=colleague)
    assert released.status == Statement.Status.SUBMITTED and released.submitted_by == colleague
    # Released: read-only for everybody.
    with pytest.raises(ValidationError, match="ist freigegeben"):
        services.save_section_answer(
            statement,
            consultation.sections.first(),
            value("disagree"),
            actor=member,
            base_revision=1,
        )


def test_release_needs_a_position_on_every_section(consultation, own_org, member):
    statement = services.statement_for(consultation, own_org)
    services.name_responsible(statement, member.person, actor=member)
    first, second = consultation.sections.all()
    services.save_section_answer(statement, first, value(), actor=member, base_revision=0)
    services.save_section_answer(
        statement, second, value("", "Nur ein Kommentar"), actor=member, base_revision=0
    )
    with pytest.raises(services.IncompleteResponse) as incomplete:
        services.release_statement(statement, actor=member)
    assert incomplete.value.questions == [second]


def test_the_responsible_member_declares_no_statement(consultation, own_org, member):
    statement = services.statement_for(consultation, own_org)
    services.name_responsible(statement, member.person, actor=member)
    declared = services.declare_no_statement(statement, actor=member)
    declared.refresh_from_db()
    assert declared.no_statement and declared.status == Statement.Status.SUBMITTED
    assert selectors.progress_state(declared) == selectors.Progress.NO_STATEMENT


def test_a_member_without_membership_cannot_be_named_responsible(
    consultation, own_org, member, outsider
):
    statement = services.statement_for(consultation, own_org)
    with pytest.raises(ValidationError, match="aktuelles Mitglied"):
        services.name_responsible(statement, outsider.person, actor=member)


def test_a_statement_after_the_deadline_is_refused_unless_extended(
    consultation, own_org, other_org, member, outsider, coordinator
):
    own = services.statement_for(consultation, own_org)
    theirs = services.statement_for(consultation, other_org)
    deadline = consultation.deadline
    services.extend_deadline(own, actor=coordinator, until=deadline + datetime.timedelta(days=7))
    section = consultation.sections.first()
    with time_machine.travel(deadline + datetime.timedelta(days=2)):
        with pytest.raises(ValidationError) as refused:
            services.save_section_answer(theirs, section, value(), actor=outsider, base_revision=0)
        assert refused.value.messages == [
            f"Die Frist ({deadline:%d.%m.%Y}) ist abgelaufen; Stellungnahmen werden nicht mehr "
            "angenommen."
        ]
        saved = services.save_section_answer(own, section, value(), actor=member, base_revision=0)
        assert saved.revision == 1


def test_an_extension_must_end_after_the_deadline(consultation, own_org, coordinator):
    statement = services.statement_for(consultation, own_org)
    with pytest.raises(ValidationError, match="nach der Frist des Beteiligungsverfahrens"):
        services.extend_deadline(statement, actor=coordinator, until=consultation.deadline)


def test_closing_waits_for_every_extension(consultation, own_org, coordinator):
    statement = services.statement_for(consultation, own_org)
    later = consultation.deadline + datetime.timedelta(days=5)
    services.extend_deadline(statement, actor=coordinator, until=later)
    with (
        time_machine.travel(consultation.deadline + datetime.timedelta(days=1)),
        pytest.raises(ValidationError, match=f"bis zum {later:%d.%m.%Y} angenommen"),
    ):
        services.close_consultation(consultation, actor=coordinator)
    with time_machine.travel(later + datetime.timedelta(days=1)):
        closed = services.close_consultation(consultation, actor=coordinator)
    assert closed.status == Consultation.Status.CLOSED


def test_reminders_go_once_per_contact_and_day_to_those_not_released(
    consultation,
    own_org,
    other_org,
    member,
    contacts,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    statement = services.statement_for(consultation, own_org)
    services.name_responsible(statement, member.person, actor=member)
    services.declare_no_statement(statement, actor=member)
    mailoutbox.clear()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            result = reminders.remind_missing(consultation, actor=coordinator, kind="manual")
    assert (result.sent, result.already_reminded) == (0, 1)
    assert [m.to[0] for m in mailoutbox] == ["kontakt@much.example"]
    assert mailoutbox[0].subject == "Erinnerung: Stellungnahme zu „Indikatorenset Sozialmonitoring“"
    assert ConsultationReminder.objects.get().organisation == other_org
    # The next day the same contact may be reminded again.
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = reminders.remind_missing(consultation, actor=None, kind="auto")
    assert result.sent == 1 and len(mailoutbox) == 2


def test_the_daily_task_reminds_five_days_before_the_deadline_once(
    consultation, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONSULTATION_REMINDER_DAYS_BEFORE = 5
    mailoutbox.clear()
    with time_machine.travel(consultation.deadline - datetime.timedelta(days=6)):
        assert tasks.send_due_reminders.apply().get() == 0
    with (
        time_machine.travel(consultation.deadline - datetime.timedelta(days=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_due_reminders.apply().get() == 2
        assert tasks.send_due_reminders.apply().get() == 0
    assert len(mailoutbox) == 2
    assert OutboundMail.objects.filter(subject__contains="Indikatorenset").count() == 4


def test_beat_stopped_on_the_reminders_day_reminds_once_on_the_next_run(
    consultation, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONSULTATION_REMINDER_DAYS_BEFORE = 5
    mailoutbox.clear()
    # Beat is down the whole day five days before the deadline; when it starts again it
    # makes up for the missed run and then runs on schedule.
    runs = {6: 1, 4: 2, 3: 1, 0: 1}
    sent = []
    for days_before, count in runs.items():
        with (
            time_machine.travel(consultation.deadline - datetime.timedelta(days=days_before)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sent.append(sum(tasks.send_due_reminders.apply().get() for _ in range(count)))
    assert sent == [0, 2, 0, 0]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kontakt@much.example",
        "kontakt@siegburg.example",
    ]


def test_the_progress_names_each_organisations_state_and_last_reminder(
    consultation, own_org, other_org, member, coordinator, not_consulted
):
    statement = services.statement_for(consultation, own_org)
    services.save_section_answer(
        statement, consultation.sections.first(), value(), actor=member, base_revision=0
    )
    reminders.remind_missing(consultation, actor=coordinator, kind="manual")
    rows = {row.organisation: row for row in selectors.progress(consultation)}
    assert set(rows) == {own_org, other_org}
    assert rows[own_org].state == selectors.Progress.IN_PROGRESS
    assert rows[other_org].state == selectors.Progress.NOT_STARTED
    assert rows[other_org].last_reminded == timezone.localdate()
    assert rows[other_org].requested is not None


def test_the_draft_is_fixed_once_open(consultation, coordinator, not_consulted):
    with pytest.raises(ValidationError, match="stehen fest, sobald das Verfahren eröffnet ist"):
        services.consult(consultation, actor=coordinator, organisations=[not_consulted])
    with pytest.raises(ValidationError, match="stehen fest, sobald das Verfahren eröffnet ist"):
        services.delete_section(consultation.sections.first(), actor=coordinator)


def test_the_daily_task_closes_consultations_once_every_deadline_has_passed(
    consultation, own_org, coordinator
):
    statement = services.statement_for(consultation, own_org)
    later = consultation.deadline + datetime.timedelta(days=3)
    services.extend_deadline(statement, actor=coordinator, until=later)
    with time_machine.travel(consultation.deadline + datetime.timedelta(days=1)):
        assert tasks.close_ended.apply().get() == 0
    with time_machine.travel(later + datetime.timedelta(days=1)):
        assert tasks.close_ended.apply().get() == 1
        assert tasks.close_ended.apply().get() == 0
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CLOSED
