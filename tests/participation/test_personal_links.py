"""The base's personal links, whatever they lead to: issued once with the raw token, found by
its hash, ended by expiry or revocation, every bad token answered alike, and failed openings
limited per client address. The target here is the invitation message, the one model that
hands links out today."""

import datetime
import re
import secrets

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from participation import personal_links
from participation.events import invitations
from participation.events import links as invitation_links
from participation.models import InvitationMessage, OutboundMail
from tests.factories import WorkshopFactory
from tests.personal_link_support import tampered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invitation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invitations.invite_person(WorkshopFactory(), email="a@example.org")


def issue(invitation, key="extra", **fields):
    mail = OutboundMail.objects.create(to=invitation.email, subject="s", body_text="t")
    return personal_links.issue(
        InvitationMessage,
        invitation=invitation,
        purpose=InvitationMessage.Purpose.UPDATE,
        key=key,
        mail=mail,
        **fields,
    )


def visitor(address="198.51.100.4"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.session = SessionStore()
    return request


def messages():
    return InvitationMessage.objects.all()


def test_issue_returns_the_token_once_and_stores_only_its_hash(invitation):
    link, raw = issue(invitation)
    stored = InvitationMessage.objects.get(pk=link.pk)
    assert len(raw) == 43
    assert stored.token_hash == personal_links.hash_token(raw)
    assert raw not in str(vars(stored).values())
    assert personal_links.resolve(messages(), raw) == stored


def test_every_bad_token_resolves_to_none_alike(invitation):
    link, raw = issue(invitation)
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    for bad in [tampered, secrets.token_urlsafe(32), "kurz", raw + "'; --", None, 42, ""]:
        assert personal_links.resolve(messages(), bad) is None
    # A link is only found among the rows the caller asks about.
    assert personal_links.resolve(messages().exclude(pk=link.pk), raw) is None


def test_a_link_ends_at_its_expiry(invitation):
    expires = timezone.now() + datetime.timedelta(days=2)
    _link, raw = issue(invitation, expires_at=expires)
    assert personal_links.resolve(messages(), raw, now=expires) is not None
    with time_machine.travel(expires + datetime.timedelta(seconds=1), tick=False):
        assert personal_links.resolve(messages(), raw) is None


def test_the_target_rule_ends_a_link_too(invitation):
    _link, raw = issue(invitation)
    after_the_event = invitation.event.end + datetime.timedelta(minutes=1)
    assert personal_links.resolve(messages(), raw, now=after_the_event) is None


def test_a_revoked_link_stops_working_and_the_trail_names_who(invitation, coordinator):
    link, raw = issue(invitation)
    personal_links.revoke(link, actor=coordinator)
    assert personal_links.resolve(messages(), raw) is None
    entry = LogEntry.objects.get_for_object(link).get()
    assert entry.actor == coordinator
    assert "revoked_at" in entry.changes_dict


def test_opening_notes_the_first_use_and_remembers_the_target_in_the_session(invitation):
    link, raw = issue(invitation)
    request = visitor()
    opened = personal_links.open_link(request, messages(), raw, scope="test", limit=3)
    assert opened == link
    first_use = InvitationMessage.objects.get(pk=link.pk).used_at
    assert first_use is not None
    personal_links.open_link(request, messages(), raw, scope="test", limit=3)
    assert InvitationMessage.objects.get(pk=link.pk).used_at == first_use

    for pk in range(1, 30):
        personal_links.remember_in_session(request, "things", pk)
    personal_links.remember_in_session(request, "things", 5)
    held = personal_links.held_in_session(request.session, "things")
    assert len(held) == personal_links.SESSION_KEEPS
    assert held[-1] == 5
    assert held.count(5) == 1


def test_failed_openings_are_limited_per_client_address(invitation):
    _link, raw = issue(invitation)
    for _attempt in range(2):
        assert personal_links.open_link(visitor(), messages(), "x" * 43, scope="t", limit=2) is None
    with pytest.raises(personal_links.RateLimited):
        personal_links.open_link(visitor(), messages(), raw, scope="t", limit=2)
    # Another address and another scope are counted apart; good openings never count.
    assert personal_links.open_link(visitor("192.0.2.7"), messages(), raw, scope="t", limit=2)
    assert personal_links.open_link(visitor(), messages(), raw, scope="other", limit=2)
    for _attempt in range(5):
        assert personal_links.open_link(visitor("192.0.2.8"), messages(), raw, scope="t", limit=2)


@pytest.mark.parametrize("differs_at", [0, 63], ids=["first-hex-digit", "last-hex-digit"])
def test_a_stored_hash_differing_in_one_digit_does_not_open(invitation, differs_at):
    """Catches: the hash compared loosely (a prefix or suffix of it, or case-insensitively)."""
    _link, raw = issue(invitation)
    genuine = personal_links.hash_token(raw)
    digit = "0" if genuine[differs_at] != "0" else "1"
    near_miss = genuine[:differs_at] + digit + genuine[differs_at + 1 :]
    InvitationMessage.objects.filter(token_hash=genuine).update(token_hash=near_miss)
    assert personal_links.resolve(messages(), raw) is None
    assert personal_links.open_link(visitor(), messages(), raw, scope="t", limit=5) is None
    InvitationMessage.objects.filter(token_hash=near_miss).update(token_hash=genuine.upper())
    assert personal_links.resolve(messages(), raw) is None


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_an_invitation_link_with_one_character_changed_is_refused(
    invitation, client, mailoutbox, where
):
    """Catches: part of the token ignored (its first, a middle or its last character)."""
    raw = re.search(r"/invitation/([A-Za-z0-9_-]{43})/", mailoutbox[-1].body).group(1)
    token = tampered(raw)[where]
    page = client.get(f"/invitation/{token}/")
    assert page.status_code == 404
    assert client.session.get(invitation_links.SESSION_KEY) is None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Invitation {token}")
    assert api.get("/api/v1/invitation-reply/").status_code == 404
    # The genuine token still opens both, so the refusals above are the tampering's doing.
    assert client.get(f"/invitation/{raw}/")["Location"] == f"/invitation/{invitation.pk}/"
    api.credentials(HTTP_AUTHORIZATION=f"Invitation {raw}")
    assert api.get("/api/v1/invitation-reply/").status_code == 200
