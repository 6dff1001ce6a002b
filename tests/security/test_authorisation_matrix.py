"""The authorisation matrix: every URL pattern (walked from the root resolver), every REST API
operation (from the OpenAPI schema: each path and method) against every role, with the
answer written in tests/security/expected.py. A pattern or operation missing there fails
the build, naming it. Writes are sent as POST (pages) or with an empty body (API) to check
access only; a refused write must change nothing in the database.

The world (tests/security/world.py) is built once per module inside a transaction that is
rolled back at the end; each request runs in a savepoint of its own, rolled back after it,
so every role meets the same world."""

import json
import os
import re

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.security import expected
from tests.security.matrix_support import (
    DENIALS,
    api_v1_routes,
    client_with,
    outcome,
    page_routes,
    path_for,
    writes_so_far,
    written,
)
from tests.security.world import ROLES

OBSERVE = os.environ.get("MATRIX_OBSERVE")  # a file: write what each role got, assert nothing
PAGE_ROUTES = page_routes()
API_METHODS = ("get", "post", "put", "patch", "delete")


def api_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in API_METHODS
    ]


API_OPERATIONS = api_operations()


# --- the world and the roles' sessions ---------------------------------------------------------


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker):
    """Each role's session key: signed in, or (the invitee) with every personal link opened."""
    with django_db_blocker.unblock():
        return _sessions(world)


def _sessions(w):
    sessions = {"anonymous": None}
    invitee = client_with(None)
    for url in (
        reverse("participation:invitation_link", args=[w.invitation_token]),
        reverse("participation:invitation_link", args=[w.meeting_invitation_token]),
        reverse("meetings:poll_link", args=[w.poll_token]),
        reverse("meetings:task_link_open", args=[w.task_token]),
    ):
        response = invitee.get(url)
        assert response.status_code == 302, (url, response.status_code)
    sessions["invitee"] = invitee.session.session_key
    for role, user in w.users.items():
        client = client_with(None)
        client.force_login(user)
        sessions[role] = client.session.session_key
    return sessions


# --- path parameters ---------------------------------------------------------------------------

# Which world object fills `pk` in a page's URL, by the start of its URL name (the longest
# matching start wins); the other parameters are filled by their own name (PARAMETERS).
PK_OF = {
    "overview:committee_report": "report",
    "participation:organisation": "org_a",
    "participation:person": "person",
    "participation:membership": "membership",
    "participation:body": "body",
    "participation:seat": "seat",
    "participation:invitation": "invitation",
    "surveys:": "survey",
    "surveys:response": "response",
    "surveys:save_section": "response",
    "surveys:save_answer": "response",
    "surveys:submit": "response",
    "surveys:reopen": "response",
    "surveys:reopen_survey": "survey",
    "surveys:answer_file": "response",
    "workshops:": "workshop",
    "live:participant": "workshop",
    "meetings:series": "series",
    "meetings:": "meeting",
    "meetings:task": "task",
    "meetings:task_create": "meeting",
    "meetings:task_link_page": "task_link",
    "meetings:poll": "poll",
    "meetings:poll_answer": "poll_invitee",
    "meetings:agenda_edit": "agenda_item",
    "meetings:proposal_decide": "agenda_item",
    "meetings:agenda_document": "agenda_item",
    "meetings:agenda_document_get": "agenda_document",
    "meetings:minutes_edit": "agenda_item",
    "consultations:": "consultation",
    "consultations:statement": "statement",
    "consultations:save_statement": "statement",
    "consultations:save_section": "statement",
    "consultations:name_responsible": "statement",
    "consultations:release": "statement",
    "consultations:no_statement": "statement",
    "participation:my_data_": "member_export",
    "participation:erasure_request": "erasure_request",
    "participation:person_erase": "person",
    "participation:api_token": "api_token",
    "participation:barrier_report": "barrier_report",
    "participation:invitation_data": "invitation",
    "participation:invitation_erasure": "invitation",
    "monitoring:space": "proposed_space",
    "monitoring:indicator": "indicator",
    "monitoring:indicator_set": "indicator_set",
    "monitoring:delivery": "delivery",
}

TOKEN_OF = {
    "participation:invitation_link": "invitation_token",
    "meetings:task_link_open": "task_token",
    "meetings:poll_link": "poll_token",
    "meetings:person_calendar": "calendar_token",
    "meetings:person_body_calendar": "calendar_token",
}

PARAMETERS = {
    "organisation_pk": lambda w: w.org_a.pk,
    "section_pk": lambda w: w.section.pk,
    "question_pk": lambda w: w.question.pk,
    "item_pk": lambda w: w.workshop_item.pk,
    "document_pk": lambda w: w.document.pk,
    "entry_pk": lambda w: w.audience_entry.pk,
    "invitation_pk": lambda w: w.invitation.pk,
    "body_pk": lambda w: w.body.pk,
    "attachment_pk": lambda w: w.attachment.pk,
    "answer_pk": lambda w: w.statement_answer.pk,
    "point_pk": lambda w: w.point.pk,
    "kind": lambda w: "imprint",
    "file_format": lambda w: "pdf",
    "action": lambda w: "close",
    "uidb36": lambda w: "1",
    "key": lambda w: "planner",
    "object_id": lambda w: w.org_a.pk,
    "content_type_id": lambda w: 1,
    "id": lambda w: w.stranger.pk,
    "app_label": lambda w: "participation",
    "url": lambda w: "nothing/",
    "export_pk": lambda w: w.invitee_export.pk,
}

# Where a parameter of one URL means something else than its name says elsewhere.
SPECIAL = {
    ("workshops:audience_add", "kind"): "organisation",
    ("workshops:export_participants", "file_format"): "csv",
    ("meetings:record_reply", "invitation_pk"): lambda w: w.meeting_invitation.pk,
    ("meetings:minutes_transition", "action"): "circulate",
    ("consultations:save_section", "key"): lambda w: f"s{w.consultation_section.pk}",
    ("consultations:revised_section_edit", "section_pk"): lambda w: w.revised_section.pk,
    ("consultations:section_edit", "section_pk"): lambda w: w.consultation_section.pk,
    ("consultations:section_delete", "section_pk"): lambda w: w.consultation_section.pk,
    ("surveys:answer_file", "key"): "planner",
    ("account_reset_password_from_key", "key"): "x-y",
}


def page_params(w, key):
    def value(name):
        special = SPECIAL.get((key, name))
        if special is not None:
            return special(w) if callable(special) else special
        if name == "pk":
            starts = [start for start in PK_OF if key.startswith(start)]
            assert starts, f"{key}: name the object behind its pk in PK_OF"
            return getattr(w, PK_OF[max(starts, key=len)]).pk
        if name == "token":
            return getattr(w, TOKEN_OF[key])
        assert name in PARAMETERS, f"{key}: add its parameter {name!r} to PARAMETERS"
        return PARAMETERS[name](w)

    return value


# The API's first path segment → the world object behind `{id}`/`{pk}`.
API_OBJECT = {
    "organisations": "org_a",
    "people": "person",
    "memberships": "membership",
    "bodies": "body",
    "body-memberships": "seat",
    "outbound-mails": "mail",
    "surveys": "survey",
    "survey-responses": "response",
    "workshops": "workshop",
    "meeting-series": "series",
    "meetings": "meeting",
    "decisions": "decision",
    "meeting-tasks": "task",
    "meeting-polls": "poll",
    "agenda-items": "agenda_item",
    "agenda-documents": "agenda_document",
    "consultations": "consultation",
    "consultations/sections": "consultation_section",
    "consultations/statements": "statement",
    "consultations/weighing-points": "point",
    "reports": "report",
    "my-data": "member_export",
    "api-tokens": "api_token",
    "erasure-requests": "erasure_request",
    "barrier-reports": "barrier_report",
    "security-events": "security_event",
    "retention-runs": "retention_run",
    "spaces": "proposed_space",
    "indicators": "indicator",
    "indicator-sets": "indicator_set",
}
API_PARAMETERS = {
    "key": lambda w: "planner",
    "kind": lambda w: "imprint",
    "activity_id": lambda w: w.activity.pk,
    "item_id": lambda w: w.workshop_item.pk,
    "entry_id": lambda w: w.audience_entry.pk,
    "attachment_id": lambda w: w.attachment.pk,
    "point_id": lambda w: w.point.pk,
    "section_id": lambda w: w.consultation_section.pk,
}


def api_url(w, path):
    rest = path.removeprefix("/api/v1/")
    segments = rest.split("/")
    resource = segments[0]
    if resource == "consultations" and segments[1] in ("sections", "statements", "weighing-points"):
        resource = f"consultations/{segments[1]}"

    def fill(name):
        if name in ("id", "pk"):
            return str(getattr(w, API_OBJECT[resource]).pk)
        if name == "section_id" and "revised-draft" in path:
            return str(w.revised_section.pk)
        if name == "invitation_id":
            invitation = w.meeting_invitation if resource == "meetings" else w.invitation
            return str(invitation.pk)
        return str(API_PARAMETERS[name](w))

    return re.sub(r"\{(\w+)\}", lambda m: fill(m.group(1)), path)


# The invitee's personal link goes in the header of the API calls made for it.
API_LINK_HEADER = {
    "/api/v1/invitation-reply/": ("Invitation", "invitation_token"),
    "/api/v1/invitation-reply/calendar/": ("Invitation", "invitation_token"),
    "/api/v1/meeting-poll-answer/": ("Poll", "poll_token"),
    "/api/v1/meeting-task-link/": ("TaskLink", "task_token"),
}


# --- running one row ---------------------------------------------------------------------------


def _request(client, method, url, *, api, headers):
    if api:
        return client.generic(method, url, b"", content_type="application/json", headers=headers)
    if method == "POST":
        return client.post(url, {})
    return client.get(url)


def _check(sessions, key, method, url, wanted, *, api=False, headers_for=lambda role: {}):
    got, changed = {}, {}
    # The counters only grow (a rolled-back savepoint keeps its count): each request's
    # writes are the difference to the count after the request before.
    before = writes_so_far()
    for role in ROLES:
        client = client_with(sessions[role])
        cache.clear()
        with transaction.atomic():
            response = _request(client, method, url, api=api, headers=headers_for(role))
            after = writes_so_far()
            transaction.set_rollback(True)
        got[role] = outcome(response)
        if got[role] in DENIALS and (tables := written(before, after)):
            changed[role] = tables
        before = after
    if OBSERVE:
        with open(OBSERVE, "a") as out:
            entry = {"key": key, "method": method, "url": url, "got": got, "changed": changed}
            out.write(json.dumps(entry) + "\n")
        return
    wrong = {
        role: f"{got[role]} (expected {wanted[role]})"
        for role in ROLES
        if got[role] != wanted[role]
    }
    assert not wrong, f"{method} {url} ({key}): {wrong}"
    assert not changed, f"{method} {url} ({key}): refused, yet wrote to {changed}"


# --- the tests ---------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_table():
    missing = sorted(
        key for key in PAGE_ROUTES if key not in expected.PAGES and not expected.is_admin(key)
    )
    stale = sorted(set(expected.PAGES) - set(PAGE_ROUTES))
    assert not missing, f"URL patterns missing from tests/security/expected.py PAGES: {missing}"
    assert not stale, f"rows in PAGES without a URL pattern: {stale}"


def test_every_api_operation_is_in_the_table():
    operations = {f"{method} {path}" for path, method in API_OPERATIONS}
    missing = sorted(operations - set(expected.API))
    stale = sorted(set(expected.API) - operations)
    assert not missing, f"API operations missing from tests/security/expected.py API: {missing}"
    assert not stale, f"rows in API without an operation in the schema: {stale}"


def test_every_api_url_pattern_is_in_the_schema():
    """A view under /api/v1/ left out of the OpenAPI schema would escape the matrix."""
    schema_paths = {re.sub(r"\{\w+\}", "{}", path) for path, _method in API_OPERATIONS}
    patterns = {route.key: route for route in api_v1_routes().values()}
    unlisted = []
    for key, route in patterns.items():
        template = "/" + route.route.replace("^", "").replace("$", "")
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", template)
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
        template = re.sub(r"\{\w+\}", "{}", template.replace("\\.", "."))
        if template not in schema_paths and key not in expected.API_NOT_IN_SCHEMA:
            unlisted.append(f"{key} ({template})")
    assert not unlisted, f"API URL patterns not in the OpenAPI schema: {unlisted}"


def _page_cases():
    """Each page with GET and POST; the admin's pages with GET only: every one of them sits
    behind the same `admin_view` gate, whatever the method (checked below)."""
    for key in sorted(PAGE_ROUTES):
        yield key, "GET"
        if not expected.is_admin(key):
            yield key, "POST"


def _behind_admin_view(callback):
    if hasattr(callback, "admin_site") or hasattr(callback, "model_admin"):
        return True
    # A ModelAdmin's own extra view wrapped in admin_view (UserAdmin's password change).
    owner = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return isinstance(owner, admin.ModelAdmin)


def test_every_admin_page_is_behind_the_admin_gate():
    """AdminSite and ModelAdmin mark the views they wrap in `admin_view`; the sign-in is
    the platform's own (participation/admin.py) and has a row of its own."""
    ungated = [
        key
        for key, route in PAGE_ROUTES.items()
        if expected.is_admin(key)
        and key != "admin:login"
        and not _behind_admin_view(route.pattern.callback)
    ]
    assert not ungated, f"admin pages outside admin_view: {ungated}"


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "method"), list(_page_cases()), ids=lambda v: v)
def test_page(world, sessions, key, method):
    route = PAGE_ROUTES[key]
    url = path_for(route, page_params(world, key))
    wanted = None if OBSERVE else expected.page_expectation(key, method)
    _check(sessions, key, method, url, wanted)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method"), API_OPERATIONS, ids=[f"{m} {p}" for p, m in API_OPERATIONS]
)
def test_api(world, sessions, path, method):
    url = api_url(world, path)
    wanted = None if OBSERVE else expected.api_expectation(f"{method} {path}")

    def headers_for(role):
        if role == "invitee" and path in API_LINK_HEADER:
            keyword, attribute = API_LINK_HEADER[path]
            return {"Authorization": f"{keyword} {getattr(world, attribute)}"}
        return {}

    _check(sessions, f"{method} {path}", method, url, wanted, api=True, headers_for=headers_for)
