"""Every page of the site, for each role that sees it, audited with axe (WCAG 2.1 A/AA) in a
real browser: no violation at all.

The site is the demo (`seed_demo`, the same data `make run` shows) with a few objects added
that the demo does not hold (a draft survey, a running live session, a committee report, a
task's personal link). `PAGES` names each page as one line:

    Page("surveys:survey_detail", COORDINATOR, pk="survey"),

the URL name, the role that looks at it, and each path parameter as the name of an object
in `World` (see `build_world`). `NOT_PAGES` names every URL that renders no page of its own,
with the reason (an action that only takes POST, a download, a feed, a personal link that
redirects to its page). The roles:

- ANONYMOUS: nobody signed in (public pages, sign-in pages);
- COORDINATOR: the county's coordinator, with a second factor;
- MEMBER: the demo member, a planner of the municipality of Troisdorf;
- INVITEE: no account; has opened the personal links of an invitation, a date poll and a task;
- PARTICIPANT: joined the live session with its code and a name.

How to add a page: add its line to `PAGES` (and an object to `build_world` if it needs one
the world does not have yet). A URL pattern outside /api/ and /admin/ that is in neither
`PAGES` nor `NOT_PAGES` fails `test_every_url_pattern_is_audited_or_explained`, naming it;
a page that does not answer 200 at its own address for its role fails the audit.

The same walk proves that no page asks anything of another site (no CDN, no web fonts, no
analytics): every request the browser makes (documents, scripts, styles, fonts, images, htmx
calls, WebSockets) must go to the site's own origin. As the coordinator and as the member it
then also follows every link on the pages it has seen, to every page (one per URL pattern and
set of query parameters) that `PAGES` does not name, and records their requests too.
"""

import datetime
import io
import re
import time
from collections import deque
from itertools import groupby
from urllib.parse import urlsplit

import pytest
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from consultations.models import Consultation, RevisedSection, Statement, WeighingPoint
from meetings.models import AgendaItem as MeetingAgendaItem
from meetings.models import DatePoll, Meeting, MeetingSeries, PollInvitee, Task, TaskLink
from monitoring import demo_rounds
from monitoring.models import Indicator, IndicatorSet, Round, Space
from overview import report_jobs
from participation import personal_links
from participation.models import (
    BodyMembership,
    ErasureRequest,
    EventStatus,
    Invitation,
    InvitationMessage,
    Membership,
    Organisation,
    User,
)
from participation.privacy import exports as data_exports
from surveys.models import QuestionKind, Response, Survey
from tests.factories import QuestionFactory, SectionFactory, SurveyFactory, give_totp
from tests.live_support import LiveServer, server_env
from tests.test_accessibility_browser import WCAG_AA
from workshops.live import services as live
from workshops.models import AgendaItem, Workshop

ANONYMOUS = "anonymous"
COORDINATOR = "coordinator"
MEMBER = "member"
INVITEE = "invitee"
PARTICIPANT = "participant"


class Page:
    """One page as one role sees it: `query` is appended (with `{name}` filled from the
    world), each keyword names the world's object for that path parameter."""

    def __init__(self, name, role, query="", **kwargs):
        self.name, self.role, self.query, self.kwargs = name, role, query, kwargs

    def path(self, world):
        kwargs = {key: getattr(world, value) for key, value in self.kwargs.items()}
        return reverse(self.name, kwargs=kwargs)


PAGES = [
    # home pages and the committee report
    Page("overview:home", ANONYMOUS),
    Page("overview:home", COORDINATOR),
    Page("overview:home", MEMBER),
    Page("overview:committee_report", COORDINATOR),
    Page("overview:committee_report_detail", COORDINATOR, pk="report"),
    # registry and outbox
    Page("participation:organisation_list", COORDINATOR),
    Page("participation:organisation_list", MEMBER),
    Page("participation:organisation_create", COORDINATOR),
    Page("participation:organisation_detail", COORDINATOR, pk="organisation"),
    Page("participation:organisation_detail", MEMBER, pk="organisation"),
    Page("participation:organisation_edit", COORDINATOR, pk="organisation"),
    Page("participation:person_list", COORDINATOR),
    Page("participation:person_create", COORDINATOR),
    Page("participation:person_import", COORDINATOR),
    Page("participation:person_detail", COORDINATOR, pk="person"),
    Page("participation:person_edit", COORDINATOR, pk="person"),
    Page("participation:membership_create", COORDINATOR, "?person={person}"),
    Page("participation:membership_edit", COORDINATOR, pk="membership"),
    Page("participation:membership_end", COORDINATOR, pk="membership"),
    Page("participation:mail_list", COORDINATOR),
    Page("participation:body_list", COORDINATOR),
    Page("participation:body_list", MEMBER),
    Page("participation:body_create", COORDINATOR),
    Page("participation:body_detail", COORDINATOR, pk="body"),
    Page("participation:body_detail", MEMBER, pk="body"),
    Page("participation:body_edit", COORDINATOR, pk="body"),
    Page("participation:seat_create", COORDINATOR, body_pk="body"),
    Page("participation:seat_edit", COORDINATOR, body_pk="body", pk="seat"),
    Page("participation:seat_end", COORDINATOR, body_pk="body", pk="seat"),
    # legal pages
    Page("participation:imprint", ANONYMOUS),
    Page("participation:privacy", ANONYMOUS),
    Page("participation:accessibility", ANONYMOUS),
    Page("participation:legal_page_edit", COORDINATOR, kind="legal_kind"),
    # data protection, security, accessibility feedback
    Page("participation:my_data", MEMBER),
    Page("participation:my_data", COORDINATOR),
    Page("participation:my_data_export", MEMBER, pk="member_export"),
    Page("participation:invitation_data", INVITEE, pk="invitation"),
    Page(
        "participation:invitation_data_export",
        INVITEE,
        pk="invitation",
        export_pk="invitee_export",
    ),
    Page("participation:invitation_erasure", INVITEE, pk="invitation"),
    Page("participation:records_of_processing", COORDINATOR),
    Page("participation:erasure_request", MEMBER),
    Page("participation:erasure_request_list", COORDINATOR),
    Page("participation:erasure_request_erase", COORDINATOR, pk="erasure_request"),
    Page("participation:erasure_request_erase", COORDINATOR, pk="declined_erasure_request"),
    Page("participation:person_erase", COORDINATOR, pk="person"),
    Page("participation:retention", COORDINATOR),
    Page("participation:security_log", COORDINATOR),
    Page("participation:api_tokens", MEMBER),
    Page("participation:api_tokens", COORDINATOR),
    Page("participation:barrier_report", ANONYMOUS),
    Page("participation:barrier_reports", COORDINATOR),
    # social monitoring
    Page("monitoring:spaces", COORDINATOR),
    Page("monitoring:spaces", MEMBER),
    Page("monitoring:spaces", COORDINATOR, "?status=proposed&on=all"),
    Page("monitoring:space_new", MEMBER),
    Page("monitoring:space", COORDINATOR, pk="proposed_space"),
    Page("monitoring:space", MEMBER, pk="space"),
    Page("monitoring:space_edit", MEMBER, pk="space"),
    Page("monitoring:space_new_version", MEMBER, pk="space"),
    Page("monitoring:indicators", MEMBER),
    Page("monitoring:indicators", COORDINATOR),
    Page("monitoring:indicator_new", COORDINATOR),
    Page("monitoring:indicator", MEMBER, pk="indicator"),
    Page("monitoring:indicator_edit", COORDINATOR, pk="indicator"),
    Page("monitoring:indicator_set_new", COORDINATOR),
    Page("monitoring:indicator_set", MEMBER, pk="indicator_set"),
    Page("monitoring:indicator_set_edit", COORDINATOR, pk="indicator_set"),
    Page("monitoring:rounds", COORDINATOR),
    Page("monitoring:rounds", MEMBER),
    Page("monitoring:round_new", COORDINATOR),
    Page("monitoring:round", COORDINATOR, pk="delivery_round"),
    Page("monitoring:round", MEMBER, pk="delivery_round"),
    Page("monitoring:round_edit", COORDINATOR, pk="delivery_round"),
    Page("monitoring:delivery", MEMBER, pk="delivery"),
    Page("monitoring:delivery", COORDINATOR, pk="submitted_delivery"),
    Page("monitoring:delivery_history", MEMBER, pk="delivery"),
    Page("monitoring:indicator_results", MEMBER, pk="indicator"),
    Page("monitoring:indicator_results", COORDINATOR, pk="indicator"),
    # invitations (the personal link's page)
    Page("participation:invitation_reply", INVITEE, pk="invitation"),
    Page("participation:invitation_reply", MEMBER, pk="member_invitation"),
    # surveys
    Page("surveys:survey_list", COORDINATOR),
    Page("surveys:survey_list", MEMBER),
    Page("surveys:survey_detail", COORDINATOR, pk="survey"),
    Page("surveys:survey_detail", MEMBER, pk="survey"),
    Page("surveys:compare", COORDINATOR, pk="survey"),
    Page("surveys:progress", COORDINATOR, pk="survey"),
    Page("surveys:survey_create", COORDINATOR),
    Page("surveys:survey_edit", COORDINATOR, pk="draft_survey"),
    Page("surveys:builder", COORDINATOR, pk="draft_survey"),
    Page("surveys:section_create", COORDINATOR, pk="draft_survey"),
    Page("surveys:section_edit", COORDINATOR, pk="draft_survey", section_pk="draft_section"),
    Page("surveys:question_create", COORDINATOR, pk="draft_survey"),
    Page("surveys:question_edit", COORDINATOR, pk="draft_survey", question_pk="draft_question"),
    Page("surveys:preview", COORDINATOR, pk="draft_survey"),
    Page("surveys:response", MEMBER, pk="response"),
    Page("surveys:response", COORDINATOR, pk="response"),
    Page("surveys:response", COORDINATOR, pk="submitted_response"),
    Page("surveys:response_print", MEMBER, pk="response"),
    # workshops
    Page("workshops:workshop_list", COORDINATOR),
    Page("workshops:workshop_list", MEMBER),
    Page("workshops:workshop_create", COORDINATOR),
    Page("workshops:workshop_detail", COORDINATOR, pk="workshop"),
    Page("workshops:workshop_detail", MEMBER, pk="invited_workshop"),
    Page("workshops:workshop_detail", COORDINATOR, pk="held_workshop"),
    Page("workshops:workshop_edit", COORDINATOR, pk="workshop"),
    Page("workshops:agenda", COORDINATOR, pk="workshop"),
    Page("workshops:agenda_item", COORDINATOR, pk="workshop", item_pk="agenda_item"),
    Page("workshops:documents", COORDINATOR, pk="workshop"),
    Page("workshops:audience", COORDINATOR, pk="workshop"),
    Page("workshops:workshop_cancel", COORDINATOR, pk="invited_workshop"),
    Page("workshops:invitations", COORDINATOR, pk="invited_workshop"),
    Page("workshops:record_reply", COORDINATOR, pk="invited_workshop", invitation_pk="invitation"),
    Page("workshops:attendance", COORDINATOR, pk="invited_workshop"),
    Page("workshops:sign_in_sheet", COORDINATOR, pk="invited_workshop"),
    Page("workshops:documentation", COORDINATOR, pk="held_workshop"),
    Page("workshops:documentation_edit", COORDINATOR, pk="held_workshop"),
    # live sessions
    Page("workshops:live_console", COORDINATOR, pk="workshop"),
    Page("workshops:live_projector", COORDINATOR, pk="workshop"),
    Page("live:join", ANONYMOUS),
    Page("live:participant", PARTICIPANT, pk="workshop"),
    # meetings
    Page("meetings:series_list", COORDINATOR),
    Page("meetings:series_list", MEMBER),
    Page("meetings:series_create", COORDINATOR),
    Page("meetings:series_detail", COORDINATOR, pk="series"),
    Page("meetings:series_detail", MEMBER, pk="series"),
    Page("meetings:series_edit", COORDINATOR, pk="series"),
    Page("meetings:meeting_detail", COORDINATOR, pk="meeting"),
    Page("meetings:meeting_detail", MEMBER, pk="meeting"),
    Page("meetings:meeting_move", COORDINATOR, pk="next_meeting"),
    Page("meetings:meeting_cancel", COORDINATOR, pk="next_meeting"),
    Page("meetings:decision_create", COORDINATOR, pk="meeting"),
    Page("meetings:task_create", COORDINATOR, pk="meeting"),
    Page("meetings:decision_register", COORDINATOR, body_pk="body"),
    Page("meetings:task_list", COORDINATOR),
    Page("meetings:task_list", MEMBER),
    Page("meetings:task_edit", COORDINATOR, pk="task"),
    Page("meetings:decision_search", COORDINATOR),
    Page("meetings:task_link_page", INVITEE, pk="task_link"),
    Page("meetings:task_links", COORDINATOR, pk="task"),
    Page("meetings:calendar_subscribe", MEMBER),
    Page("meetings:poll_list", COORDINATOR),
    Page("meetings:poll_create", COORDINATOR),
    Page("meetings:poll_detail", COORDINATOR, pk="poll"),
    Page("meetings:poll_edit", COORDINATOR, pk="poll"),
    Page("meetings:poll_answer", INVITEE, pk="poll_invitee"),
    Page("meetings:meeting_invitations", COORDINATOR, pk="next_meeting"),
    Page(
        "meetings:record_reply",
        COORDINATOR,
        pk="invited_meeting",
        invitation_pk="meeting_invitation",
    ),
    Page("meetings:agenda_update", COORDINATOR, pk="next_meeting"),
    Page("meetings:agenda_add", COORDINATOR, pk="next_meeting"),
    Page("meetings:agenda_propose", MEMBER, pk="next_meeting"),
    Page("meetings:agenda_edit", COORDINATOR, pk="meeting_agenda_item"),
    Page("meetings:agenda_document", COORDINATOR, pk="meeting_agenda_item"),
    Page("meetings:minutes_edit", COORDINATOR, pk="open_agenda_item"),
    Page("meetings:minutes", COORDINATOR, pk="meeting"),
    Page("meetings:minutes", MEMBER, pk="meeting"),
    Page("meetings:minutes_print", COORDINATOR, pk="meeting"),
    Page("meetings:attendance", COORDINATOR, pk="meeting"),
    # consultations
    Page("consultations:list", COORDINATOR),
    Page("consultations:list", MEMBER),
    Page("consultations:create", COORDINATOR),
    Page("consultations:detail", COORDINATOR, pk="consultation"),
    Page("consultations:detail", MEMBER, pk="consultation"),
    Page("consultations:edit", COORDINATOR, pk="consultation"),
    Page("consultations:section_create", COORDINATOR, pk="consultation"),
    Page("consultations:section_edit", COORDINATOR, pk="consultation", section_pk="c_section"),
    Page("consultations:attachment_add", COORDINATOR, pk="consultation"),
    Page("consultations:organisations", COORDINATOR, pk="consultation"),
    Page("consultations:statement", MEMBER, pk="statement"),
    Page("consultations:statement", COORDINATOR, pk="statement"),
    Page("consultations:weighing", COORDINATOR, pk="closed_consultation"),
    # The same page with one point's form open, and with the form for a new point (the
    # forms htmx swaps into a row, here as the page shows them without JavaScript).
    Page("consultations:weighing", COORDINATOR, "?edit={point}", pk="closed_consultation"),
    Page("consultations:weighing", COORDINATOR, "?add={answer}", pk="closed_consultation"),
    Page("consultations:weighing", COORDINATOR, "?section=1", pk="closed_consultation"),
    Page("consultations:record", COORDINATOR, pk="closed_consultation"),
    Page("consultations:revised", COORDINATOR, pk="closed_consultation"),
    Page(
        "consultations:revised_section_edit",
        COORDINATOR,
        pk="closed_consultation",
        section_pk="revised_section",
    ),
    Page("consultations:result", COORDINATOR, pk="closed_consultation"),
    Page("consultations:result", MEMBER, pk="closed_consultation"),
    Page("consultations:public_result", ANONYMOUS, pk="closed_consultation"),
    # accounts
    Page("account_login", ANONYMOUS),
    Page("account_request_login_code", ANONYMOUS),
    Page("account_reset_password", ANONYMOUS),
    Page("account_reset_password_done", ANONYMOUS),
    Page("account_reset_password_from_key_done", ANONYMOUS),
    Page("account_signup", ANONYMOUS),
    Page("account_inactive", ANONYMOUS),
    Page("account_logout", MEMBER),
    Page("account_change_password", MEMBER),
    Page("account_email", MEMBER),
    Page("account_reauthenticate", MEMBER),
    Page("mfa_index", MEMBER),
    Page("mfa_index", COORDINATOR),
    Page("mfa_activate_totp", MEMBER),
    Page("mfa_deactivate_totp", COORDINATOR),
    Page("mfa_view_recovery_codes", COORDINATOR),
    Page("mfa_generate_recovery_codes", COORDINATOR),
    Page("mfa_reauthenticate", COORDINATOR),
]

POST = "an action: takes only POST and answers with a redirect or a fragment"
DOWNLOAD = "a file download, not a page"
FEED = "a calendar feed (text/calendar)"
FRAGMENT = "an htmx fragment its page polls or swaps in (audited as part of that page)"
LINK = "a personal link: remembers the token and redirects to its page (audited there)"
SIGN_IN_STEP = "a step inside a sign-in in progress; audited in test_accessibility_browser"

NOT_PAGES = {
    "monitoring:space_export_csv": DOWNLOAD,
    "monitoring:space_export_geojson": DOWNLOAD,
    "monitoring:space_confirm": POST,
    "monitoring:delivery_save": POST,
    "monitoring:delivery_cell": POST,
    "monitoring:delivery_submit": POST,
    "monitoring:delivery_approve": POST,
    "monitoring:delivery_send_back": POST,
    "monitoring:delivery_extend": POST,
    "monitoring:round_remind": POST,
    "monitoring:indicator_export_csv": DOWNLOAD,
    "monitoring:indicator_export_geojson": DOWNLOAD,
    "monitoring:round_export_xlsx": DOWNLOAD,
    "monitoring:delivery_template_csv": DOWNLOAD,
    "monitoring:delivery_template_xlsx": DOWNLOAD,
    "monitoring:delivery_upload": POST,
    "participation:my_data_download": DOWNLOAD,
    "participation:records_of_processing_download": DOWNLOAD,
    "participation:invitation_data_download": DOWNLOAD,
    "participation:api_token_revoke": POST,
    "participation:barrier_report_answered": POST,
    "participation:erasure_request_dismiss": POST,
    "overview:committee_report_download": DOWNLOAD,
    "participation:person_grant_account": POST,
    "participation:invitation_deputy": POST,
    "participation:invitation_calendar": DOWNLOAD,
    "participation:invitation_link": LINK,
    "surveys:close": POST,
    "surveys:reopen_survey": POST,
    "surveys:publish_results": POST,
    "surveys:withdraw_results": POST,
    "surveys:export_csv": DOWNLOAD,
    "surveys:export_xlsx": DOWNLOAD,
    "surveys:progress_remind": POST,
    "surveys:progress_reopen": POST,
    "surveys:progress_extend": POST,
    "surveys:start_new_version": POST,
    "surveys:section_move": POST,
    "surveys:question_delete": POST,
    "surveys:question_move": POST,
    "surveys:publish": POST,
    "surveys:open_response": POST,
    "surveys:save_section": POST,
    "surveys:save_answer": POST,
    "surveys:submit": POST,
    "surveys:reopen": POST,
    "surveys:answer_file": DOWNLOAD,
    "workshops:workshop_publish": POST,
    "workshops:workshop_done": POST,
    "workshops:agenda_item_delete": POST,
    "workshops:document_download": DOWNLOAD,
    "workshops:document_delete": POST,
    "workshops:document_documentation": POST,
    "workshops:audience_add": POST,
    "workshops:audience_remove": POST,
    "workshops:audience_send": POST,
    "workshops:invitation_progress": FRAGMENT,
    "workshops:resend_all": POST,
    "workshops:resend_one": POST,
    "workshops:check_in": POST,
    "workshops:documentation_share": POST,
    "workshops:export_participants": DOWNLOAD,
    "workshops:export_live_results": DOWNLOAD,
    "meetings:body_calendar": FEED,
    "meetings:task_status": POST,
    "meetings:task_link_open": LINK,
    "meetings:task_link_revoke": POST,
    "meetings:task_link_resend": POST,
    "meetings:calendar_revoke": POST,
    "meetings:person_calendar": FEED,
    "meetings:person_body_calendar": FEED,
    "meetings:poll_action": POST,
    "meetings:poll_link": LINK,
    "meetings:proposal_decide": POST,
    "meetings:agenda_document_get": DOWNLOAD,
    "meetings:minutes_file": DOWNLOAD,
    "meetings:minutes_transition": POST,
    "consultations:open": POST,
    "consultations:close": POST,
    "consultations:remind": POST,
    "consultations:extend": POST,
    "consultations:reopen_statement": POST,
    "consultations:section_delete": POST,
    "consultations:attachment": DOWNLOAD,
    "consultations:attachment_delete": POST,
    "consultations:organisation_remove": POST,
    "consultations:open_statement": POST,
    "consultations:add_point": POST,
    "consultations:answer_row": FRAGMENT,
    "consultations:save_point": POST,
    "consultations:delete_point": POST,
    "consultations:weighing_file": DOWNLOAD,
    "consultations:publish": POST,
    "consultations:record_file": DOWNLOAD,
    "consultations:start_revised": POST,
    "consultations:save_statement": POST,
    "consultations:save_section": POST,
    "consultations:name_responsible": POST,
    "consultations:release": POST,
    "consultations:no_statement": POST,
    "account_request_reauthentication_code": SIGN_IN_STEP,
    "account_confirm_reauthentication_code": SIGN_IN_STEP,
    "account_email_verification_sent": SIGN_IN_STEP,
    "account_set_password": "redirects to changing the password: every account has one",
    "account_confirm_login_code": SIGN_IN_STEP,
    "account_reset_password_from_key": "reached only from the mail with the reset key",
    "mfa_authenticate": SIGN_IN_STEP,
    "mfa_download_recovery_codes": DOWNLOAD,
    "set_language": "Django's language switch: takes POST, a GET only redirects",
    "healthz": "the health check for the load balancer (JSON)",
}

# Machinery and the API, audited elsewhere or not pages of ours.
OUTSIDE = ("admin/", "api/")


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, names with their namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name


def test_every_url_pattern_is_audited_or_explained():
    audited = {page.name for page in PAGES}
    missing = [
        f"{name} ({route})"
        for route, name in url_patterns()
        if not route.startswith(OUTSIDE) and name not in audited and name not in NOT_PAGES
    ]
    assert not missing, (
        "URL patterns with neither an axe audit nor a reason why they are no page; add a "
        "line to PAGES (or NOT_PAGES) in tests/test_every_page_axe_browser.py:\n  "
        + "\n  ".join(missing)
    )
    both = audited & set(NOT_PAGES)
    assert not both, f"both audited and explained away: {sorted(both)}"
    known = {name for _route, name in url_patterns()}
    stale = sorted((audited | set(NOT_PAGES)) - known)
    assert not stale, f"entries for URL names that no longer exist: {stale}"


@pytest.mark.django_db
def test_what_is_explained_as_an_action_takes_only_post(coordinator):
    """A page listed as an action would escape the audit: each answers a GET with 405."""
    client = Client()
    client.force_login(coordinator)
    pages = []
    for route, name in url_patterns():
        if NOT_PAGES.get(name) != POST:
            continue
        parameters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        kwargs = {key: "x" if kind in ("str", "slug") else 1 for kind, key in parameters}
        status = client.get(reverse(name, kwargs=kwargs)).status_code
        if status != 405:
            pages.append(f"{name} answers a GET with {status}")
    assert not pages, "listed as POST only in NOT_PAGES, but:\n" + "\n".join(pages)


# --- the world -------------------------------------------------------------------------------


class World:
    """The primary keys (and tokens) of the objects the pages show, by name."""


def build_world():
    quiet = io.StringIO()
    call_command("seed_demo", stdout=quiet)
    call_command("ensure_demo_coordinator", "--force", stdout=quiet)
    call_command("ensure_demo_member", "--force", stdout=quiet)
    world = World()
    coordinator = User.objects.get(email__iexact=settings.MITPLANEN_DEMO_EMAIL)
    give_totp(coordinator)
    RecoveryCodes.activate(coordinator)
    member = User.objects.get(email__iexact=settings.MITPLANEN_DEMO_MEMBER_EMAIL)
    world.users = {COORDINATOR: coordinator, MEMBER: member}
    troisdorf = Organisation.objects.get(short_name="Troisdorf")
    world.organisation = troisdorf.pk
    world.person = member.person.pk
    world.membership = Membership.objects.filter(person=member.person).first().pk
    seat = BodyMembership.objects.filter(person=member.person).first()
    world.body, world.seat = seat.body_id, seat.pk
    world.legal_kind = "accessibility"

    survey = Survey.objects.get(status="published")
    world.survey = survey.pk
    world.response = Response.objects.get(survey=survey, organisation=troisdorf).pk
    world.submitted_response = Response.objects.get(survey=survey, status="submitted").pk
    draft = SurveyFactory(title="Entwurf: Wohnen im Alter")
    section = SectionFactory(version=draft.draft_version, title="Wohnsituation")
    # One question of every kind, so the preview shows each input.
    question = [QuestionFactory(section=section, kind=kind) for kind in QuestionKind][0]
    world.draft_survey, world.draft_section, world.draft_question = (
        draft.pk,
        section.pk,
        question.pk,
    )

    workshop = Workshop.objects.get(title__startswith="Fachworkshop")
    world.workshop = workshop.pk
    world.agenda_item = AgendaItem.objects.filter(workshop=workshop).first().pk
    invited = Workshop.objects.get(title__startswith="Klausur")
    world.invited_workshop = invited.pk
    world.held_workshop = Workshop.objects.get(status=EventStatus.DONE).pk
    # A live session running now on the open workshop, with a dot vote open.
    session = live.ensure_live_session(workshop, actor=coordinator)
    vote = live.create_activity(
        session,
        actor=coordinator,
        kind="dots",
        title="Was ist am dringendsten?",
        config={"options": ["Kita", "Schule", "Freizeit"], "dots": 5, "max_per_option": 3},
    )
    live.open_activity(vote, actor=coordinator)
    world.join_code = session.join_code

    # The invitee's personal links: an invitation, a date poll, a task.
    invitation = (
        Invitation.objects.filter(event_id=invited.pk, person__user__isnull=True)
        .exclude(messages=None)
        .first()
    )
    message = InvitationMessage.objects.filter(invitation=invitation).first()
    world.invitation_token, message.token_hash = personal_links.new_token()
    message.save(update_fields=["token_hash"])
    world.invitation = invitation.pk
    world.member_invitation = Invitation.objects.filter(person=member.person).first().pk
    poll = DatePoll.objects.first()
    world.poll = poll.pk
    invitee = PollInvitee.objects.filter(poll=poll).first()
    world.poll_token, invitee.token_hash = personal_links.new_token()
    invitee.save(update_fields=["token_hash"])
    world.poll_invitee = invitee.pk
    task = Task.objects.exclude(owner_person=None).first()
    world.task = task.pk
    link, world.task_token = personal_links.issue(TaskLink, task=task, person=task.owner_person)
    world.task_link = link.pk

    series = MeetingSeries.objects.get(body__kind="steering_group")
    world.series = series.pk
    world.meeting = MeetingAgendaItem.objects.filter(meeting__series=series).first().meeting_id
    world.meeting_agenda_item = (
        MeetingAgendaItem.objects.filter(meeting_id=world.meeting).first().pk
    )
    upcoming = Meeting.objects.filter(series=series, start__gt=timezone.now(), status="published")
    world.next_meeting = upcoming.order_by("start").first().pk
    # The past meeting's minutes are approved (locked); the next meeting's are still open.
    world.open_agenda_item = (
        MeetingAgendaItem.objects.filter(meeting_id=world.next_meeting).first().pk
    )

    meeting_invitation = Invitation.objects.filter(
        event_type=ContentType.objects.get_for_model(Meeting)
    ).first()
    world.invited_meeting, world.meeting_invitation = (
        meeting_invitation.event_id,
        meeting_invitation.pk,
    )

    consultation = Consultation.objects.get(status="open")
    world.consultation = consultation.pk
    world.c_section = consultation.sections.first().pk
    world.statement = Statement.objects.get(consultation=consultation, organisation=troisdorf).pk
    closed = Consultation.objects.get(status="closed")
    world.closed_consultation = closed.pk
    world.revised_section = RevisedSection.objects.filter(consultation=closed).first().pk
    point = WeighingPoint.objects.filter(answer__response__consultation=closed).first()
    world.point, world.answer = point.pk, point.answer_id

    world.member_export = data_exports.request_for_user(member).pk
    world.invitee_export = data_exports.request_for_invitation(invitation).pk
    world.erasure_request = ErasureRequest.objects.open().first().pk
    world.declined_erasure_request = (
        ErasureRequest.objects.filter(dismissed_at__isnull=False).first().pk
    )

    world.space = Space.objects.get(key="05382068-SR01").pk
    world.proposed_space = Space.objects.filter(status="proposed").first().pk
    world.indicator = Indicator.objects.get(code="SGB2-U15").pk
    world.indicator_set = IndicatorSet.objects.first().pk
    current = Round.objects.get(name=demo_rounds.CURRENT)
    world.delivery_round = current.pk
    world.delivery = current.deliveries.get(organisation=troisdorf).pk
    world.submitted_delivery = current.deliveries.get(status="submitted", review="pending").pk

    today = timezone.localdate()
    report = report_jobs.request_report(
        start=today - datetime.timedelta(days=90), end=today, actor=coordinator
    )
    report_jobs.build_report(report.pk)
    world.report = report.pk
    return world


# --- the audit -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The ASGI application under uvicorn (pages and the live sessions' WebSockets)."""
    server = LiveServer(server_env())
    try:
        yield server.wait_ready()
    finally:
        server.stop()


def sign_in(page, base, role, world):
    """Turn the browser into `role`: cookies cleared, then signed in, links opened or joined."""
    page.context.clear_cookies()
    if role in (COORDINATOR, MEMBER):
        client = Client()
        client.force_login(world.users[role])
        # Signed in a moment ago (as a sign-in through the form records it), so the pages that
        # ask for the password again before a change show themselves.
        session = client.session
        session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
        session["account_authentication_methods_user"] = user_id_to_str(world.users[role])
        session.save()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
        )
    elif role == INVITEE:
        for name, token in (
            ("participation:invitation_link", world.invitation_token),
            ("meetings:poll_link", world.poll_token),
            ("meetings:task_link_open", world.task_token),
        ):
            response = page.goto(base + reverse(name, args=[token]))
            assert response.ok and token not in page.url, f"{name} did not open: {page.url}"
    elif role == PARTICIPANT:
        page.goto(f"{base}{reverse('live:join')}?code={world.join_code}")
        page.locator("input[name=display_name]").fill("Anna")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**{reverse('live:participant', args=[world.workshop])}")


def audit(page):
    """The violations axe finds on the page as it is (every <details> opened first)."""
    for details in page.locator("details").all():
        details.evaluate("element => element.open = true")
    results = Axe().run(page, options=WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


# --- requests to other sites ------------------------------------------------------------------

# The roles whose links the walk follows beyond `PAGES`, and links it does not follow: they
# end the session or lead away from the pages.
LINK_ROLES = (COORDINATOR, MEMBER)
SKIPPED_VIEWS = {"account_logout"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def page_key(url):
    """One visit per URL pattern and set of query parameters; None for what is not a page."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in SKIPPED_VIEWS:
        return None
    query = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return match.view_name, query


def watch_requests(page, origin):
    """Records (page, request) of every request or WebSocket of `page` that leaves `origin`."""
    left = []

    def watch(url):
        parts = urlsplit(url)
        if parts.scheme not in LOCAL_SCHEMES and f"{parts.scheme}://{parts.netloc}" != origin:
            left.append((page.url, url))

    page.on("request", lambda request: watch(request.url))
    page.on("websocket", lambda socket: watch(socket.url.replace("ws", "http", 1)))
    return left


def links_on(page, origin):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [href.split("#")[0] for href in hrefs if href.startswith(origin + "/")]


def follow_links(page, origin, queue, seen, *, limit=400):
    """Visit every page reachable from the links in `queue` whose key is not in `seen` yet
    (each waited on until the network is quiet); return the pages visited."""
    visited = []
    while queue and len(visited) < limit:
        url = queue.popleft()
        key = page_key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        try:
            page.goto(url)
            page.wait_for_load_state("networkidle")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # an export or an uploaded file: a download, not a page
            raise
        visited.append(url)
        queue.extend(links_on(page, origin))
    return visited


# --- the walk --------------------------------------------------------------------------------


# The walk in two parts that run side by side with several pytest workers: the coordinator's
# pages (two thirds of them), and everyone else's.
WALKS = {
    "coordinator": (COORDINATOR,),
    "the others": (ANONYMOUS, MEMBER, INVITEE, PARTICIPANT),
}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("walk", WALKS)
def test_every_page_meets_wcag_aa_and_asks_nothing_of_another_site(browser, site, walk):
    world = build_world()
    base = site.origin
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    left = watch_requests(page, base)
    problems, followed = [], {}
    walked = sorted((entry for entry in PAGES if entry.role in WALKS[walk]), key=lambda e: e.role)
    for role, entries in groupby(walked, lambda e: e.role):
        sign_in(page, base, role, world)
        seen, links = set(), deque()
        for entry in entries:
            path = entry.path(world)
            url = base + path + entry.query.format(**vars(world))
            response = page.goto(url)
            page.wait_for_load_state()
            where = f"{entry.name} as {entry.role} ({path})"
            if response is None or response.status != 200 or not page.url.startswith(base + path):
                status = response.status if response else "no response"
                problems.append(f"{where}: answered {status} at {page.url}")
                continue
            if page.locator("[data-region=connection]").count():
                page.wait_for_function(
                    "() => !document.querySelector('[data-region=connection]')"
                    ".textContent.includes('…')"
                )
            problems += [f"{where}: {violation}" for violation in audit(page)]
            seen.add(page_key(url))
            links.extend(links_on(page, base))
        if role in LINK_ROLES:
            followed[role] = follow_links(page, base, links, seen)
    context.close()
    problems += [f"{where} asked another site for {url}" for where, url in left]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    # The links lead beyond `PAGES`: to the API's documentation (which brings the most of its
    # own), to lists filtered and paged.
    if COORDINATOR in WALKS[walk]:
        assert any("/api/docs/" in url for url in followed[COORDINATOR]), followed[COORDINATOR]
    if MEMBER in WALKS[walk]:
        assert followed[MEMBER], "the walk followed none of the member's links"


def test_every_role_is_walked():
    walked = {role for roles in WALKS.values() for role in roles}
    assert {entry.role for entry in PAGES} <= walked
