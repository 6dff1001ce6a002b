"""One world holding one object of every kind, for the authorisation matrix and the attacker
checks (tests/security/). Municipality A owns everything that has an owner; municipality B,
a political group and a welfare association are outsiders to it. An invitee without an
account holds a personal link of each kind (invitation, date poll, task)."""

import datetime
import types

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations import services as consultation_services
from consultations import weighing
from meetings import minutes, polls
from meetings import services as meeting_services
from meetings.models import CalendarSubscription, DatePoll, Decision, Task, TaskLink
from monitoring import indicators, rounds, spaces
from monitoring.models import Delivery, Indicator, IndicatorSet, Round, Space, SpaceSuccession
from overview.models import CommitteeReport
from participation import api_tokens, personal_links, security_log
from participation.events import audiences, invitations
from participation.models import (
    AudienceEntry,
    BarrierReport,
    ErasureRequest,
    Invitation,
    LegalPage,
    OrganisationKind,
)
from participation.privacy import exports as data_exports
from participation.purging import run_purges
from surveys import services as survey_services
from tests.consultations.conftest import build_consultation
from tests.factories import (
    BodyFactory,
    BodyMembershipFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SurveyFactory,
    UserFactory,
    WorkshopFactory,
    give_totp,
    member_of,
)
from tests.meetings.conftest import make_series
from tests.surveys.test_services import build_survey
from workshops import services as workshop_services
from workshops.live import services as live_services
from workshops.models import AgendaItem as WorkshopAgendaItem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The roles of the matrix, in the order its messages list them.
ROLES = (
    "anonymous",
    "invitee",
    "member_a",
    "member_b",
    "political",
    "welfare",
    "coordinator",
    "coordinator_no2fa",
)


def _pdf(name="Unterlage.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _token_for(link):
    """Give a personal-link row a token the test knows (only its hash is ever stored)."""
    raw, token_hash = personal_links.new_token()
    type(link).objects.filter(pk=link.pk).update(token_hash=token_hash)
    return raw


def _invite(event, person):
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(event),
        event_id=event.pk,
        person=person,
        email=person.email,
        name=person.full_name,
    )


def build_world():
    w = types.SimpleNamespace()
    county = OrganisationFactory(name="Kreisverwaltung", kind="county_office", ags=None)
    w.org_a = OrganisationFactory(name="Stadt Siegburg", ags="05382060")
    w.org_b = OrganisationFactory(name="Gemeinde Much", ags="05382036")
    w.org_political = OrganisationFactory(
        name="Fraktion Beispiel", kind=OrganisationKind.POLITICAL_GROUP, ags=None
    )
    w.org_welfare = OrganisationFactory(
        name="Caritasverband Rhein-Sieg", kind=OrganisationKind.WELFARE_ASSOCIATION, ags=None
    )
    w.users = {
        "coordinator": member_of(county, is_coordinator=True),
        "coordinator_no2fa": member_of(county, is_coordinator=True),
        "member_a": member_of(w.org_a),
        "member_b": member_of(w.org_b),
        "political": member_of(w.org_political),
        "welfare": member_of(w.org_welfare),
    }
    give_totp(w.users["coordinator"])
    coordinator = w.users["coordinator"]
    member_a = w.users["member_a"]
    MembershipFactory(organisation=w.org_a, is_contact=True, person__email="kontakt@a.example")
    MembershipFactory(organisation=w.org_b, is_contact=True, person__email="kontakt@b.example")
    # The invitee has no account; they belong to municipality A.
    w.invitee = PersonFactory(first_name="Ida", last_name="Eingeladen", email="ida@a.example")
    MembershipFactory(person=w.invitee, organisation=w.org_a)
    w.membership = member_a.person.memberships.get()
    w.person = member_a.person
    w.stranger = UserFactory()  # an account of nobody's, for the admin's user pages

    # Registry: a body of A's member and the invitee.
    w.body = BodyFactory(name="Lenkungsgruppe Sozialplanung", short_name="LG")
    w.seat = BodyMembershipFactory(body=w.body, person=member_a.person, represents=w.org_a)
    BodyMembershipFactory(body=w.body, person=w.invitee, represents=w.org_a)
    for kind in ("imprint", "privacy", "accessibility"):
        LegalPage.objects.create(kind=kind, body_de="Text", updated_by=coordinator)

    # Surveys: one published for A and B with A's response, one draft.
    w.survey = build_survey(coordinator, audience=[w.org_a, w.org_b])
    w.response = survey_services.response_for(w.survey, w.org_a)
    version = w.survey.versions.get()
    w.section = version.sections.get()
    w.question = w.section.questions.get(key="planner")
    w.draft_survey = SurveyFactory(title="Entwurf", actor=coordinator, audience=[w.org_a])

    # Workshops: published, with agenda, document, audience, invitations and live session.
    w.workshop = workshop_services.save_workshop(
        WorkshopFactory.build(created_by=coordinator), actor=coordinator
    )
    w.workshop_item = workshop_services.save_agenda_item(
        WorkshopAgendaItem(workshop=w.workshop, starts_at=datetime.time(9), title="Beginn"),
        actor=coordinator,
    )
    w.document = workshop_services.add_document(
        w.workshop, actor=coordinator, title="Einladung", uploaded=_pdf()
    )
    w.audience_entry = audiences.add_audience_entry(
        w.workshop, actor=coordinator, kind=AudienceEntry.Kind.ORGANISATION, organisation=w.org_a
    )
    w.invitation = _invite(w.workshop, w.invitee)
    w.member_invitation = _invite(w.workshop, member_a.person)
    message = invitations.prepare_message(w.invitation.pk, "invitation", "matrix")
    w.invitation_token = _token_for(message)
    w.live_session = live_services.ensure_live_session(w.workshop, actor=coordinator)
    w.activity = live_services.create_activity(
        w.live_session, actor=coordinator, kind="cards", title="Ideen"
    )
    w.mail = message.mail

    # Meetings: a series of the body, its first meeting with agenda, decision, task, poll.
    w.series = make_series(w.body, actor=coordinator)
    w.meeting = w.series.meetings.order_by("start").first()
    minutes.ensure_agenda(w.meeting)
    w.agenda_item = minutes.agenda(w.meeting)[0]
    w.agenda_document = minutes.add_document(
        w.agenda_item, actor=coordinator, title="Vorlage", uploaded=_pdf()
    )
    w.meeting_invitation = _invite(w.meeting, w.invitee)
    message = invitations.prepare_message(w.meeting_invitation.pk, "invitation", "matrix")
    w.meeting_invitation_token = _token_for(message)
    w.decision = meeting_services.record_decision(
        Decision(
            body=w.body,
            meeting=w.meeting,
            decided_on=datetime.date(2027, 1, 12),
            title="Sozialbericht",
            text="Beschlossen.",
        ),
        actor=coordinator,
    )
    w.task = meeting_services.save_task(
        Task(
            meeting=w.meeting,
            title="Kita-Daten liefern",
            owner_person=w.invitee,
            due_date=datetime.date(2027, 3, 1),
        ),
        actor=coordinator,
        notify_owner=False,
    )
    w.task_link, w.task_token = personal_links.issue(TaskLink, task=w.task, person=w.invitee)
    w.poll = polls.create_poll(
        DatePoll(series=w.series, title="Dienstbesprechung"),
        slots=[polls.timed_slot(datetime.date(2027, 2, 2), datetime.time(10), datetime.time(12))],
        actor=coordinator,
    )
    w.poll_invitee = w.poll.invitees.get(person=w.invitee)
    w.poll_token = _token_for(w.poll_invitee)
    w.calendar, w.calendar_token = personal_links.issue(CalendarSubscription, user=member_a)

    # Consultations: consulting A and B, A's statement answered, a point, an attachment.
    w.consultation = build_consultation(
        coordinator, [w.org_a, w.org_b], deadline=timezone.localdate() + datetime.timedelta(days=1)
    )
    w.consultation_section = w.consultation.sections.order_by("number").first()
    w.statement = consultation_services.statement_for(w.consultation, w.org_a)
    for section in w.consultation.sections.order_by("number"):
        answer = consultation_services.save_section_answer(
            w.statement,
            section,
            {"position": "agree", "comment": "Gut.", "wording": ""},
            actor=member_a,
            base_revision=0,
        )
        if section == w.consultation_section:
            w.statement_answer = answer
    w.attachment = consultation_services.add_attachment(
        w.consultation, actor=coordinator, title="Entwurf", uploaded=_pdf("Entwurf.pdf")
    )
    consultation_services.name_responsible(w.statement, member_a.person, actor=member_a)
    consultation_services.release_statement(w.statement, actor=member_a)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        consultation_services.close_consultation(w.consultation, actor=coordinator)
    w.consultation.refresh_from_db()
    w.statement_answer.refresh_from_db()
    w.point = weighing.add_point(w.statement_answer, actor=coordinator, text="Zustimmung")
    w.revised_section = weighing.start_revised_draft(w.consultation, actor=coordinator)[0]
    w.publication = weighing.publish(
        w.consultation, actor=coordinator, public_table="numbered", notify=False
    )

    w.report = CommitteeReport.objects.create(
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        requested_by=coordinator,
        status=CommitteeReport.Status.DONE,
        progress=100,
        pdf=PDF,
        docx=b"docx",
        xlsx=b"xlsx",
    )
    # Data protection and security: member A's download of their own data and the
    # invitee's, member A's API token, a request for erasure, a reported barrier, a logged
    # event and a run of the nightly purge.
    w.member_export = data_exports.request_for_user(member_a)
    w.invitee_export = data_exports.request_for_invitation(w.invitation)
    w.api_token, _key = api_tokens.create_token(member_a, name="Skript")
    w.erasure_request = ErasureRequest.objects.create(
        person=member_a.person, channel=ErasureRequest.Channel.ACCOUNT
    )
    w.barrier_report = BarrierReport.objects.create(description="Kontrast zu schwach")
    w.security_event = security_log.record(security_log.Kind.SIGNED_IN, user=member_a)
    w.retention_run = run_purges()

    # The social monitoring: A's confirmed social space, a proposal of A's, an indicator
    # and a set.
    w.space = spaces.confirm_space(
        spaces.save_space(
            Space(municipality=w.org_a, level="social_space", key="a-sr01", name="Innenstadt"),
            actor=coordinator,
        ),
        actor=coordinator,
    )
    w.proposed_space = spaces.save_space(
        Space(municipality=w.org_a, level="social_space", key="a-sr02", name="Nord"),
        actor=member_a,
    )
    w.succession = SpaceSuccession.objects.create(earlier=w.space, later=w.proposed_space)
    w.indicator = indicators.save_indicator(
        Indicator(
            code="EW",
            name="Einwohner",
            definition="Personen",
            unit="Personen",
            source="Melderegister",
            supplier_kind="municipality",
        ),
        actor=coordinator,
    )
    w.indicator_set = indicators.save_indicator_set(
        IndicatorSet(name="Profil"), indicators=[w.indicator], actor=coordinator
    )
    # An open delivery round asking A for the set's figures: A's delivery.
    today = timezone.localdate()
    w.delivery_round = rounds.save_round(
        Round(
            name="Stichtag",
            indicator_set=w.indicator_set,
            reference_date=today,
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=14),
        ),
        actor=coordinator,
        suppliers=[w.org_a],
    )
    w.delivery = Delivery.objects.get(round=w.delivery_round, organisation=w.org_a)
    return w
