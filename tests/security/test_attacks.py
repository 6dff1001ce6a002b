"""What an attacker tries beside the matrix: redirects out of the site through `next=`, a
forged Host header, a personal link replayed on another event's or process's address, and
guessed ids of another municipality's unpublished records."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse

from meetings import calendar_subscriptions
from participation import personal_links
from participation.events import invitations
from participation.models import Invitation, OutboundMail
from tests.factories import UserFactory, WorkshopFactory, give_totp
from tests.test_production_settings import import_production_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
EVIL = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "javascript:alert(1)",
    "http:evil.example",
    " //evil.example/",
    "https://testserver.evil.example/",
]


def stays_on_site(location):
    """A redirect target on this site: a path, or an address on the site's own host."""
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return location.startswith("/") and not location.startswith(("//", "/\\"))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- open redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_never_redirects_off_the_site(world, target):
    response = Client().post(
        reverse("account_login"),
        {"login": world.users["member_a"].email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_sign_out_never_redirects_off_the_site(world, target):
    response = signed_in(world.users["member_a"]).post(reverse("account_logout"), {"next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_never_redirects_off_the_site(world, target):
    response = Client().post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_ignores_a_foreign_referer(world, target):
    response = Client().post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=target)
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_admin_sign_in_never_redirects_off_the_site(world, target):
    staff = UserFactory(is_staff=True)
    give_totp(staff)
    anonymous = Client().get(reverse("admin:login"), {"next": target})
    next_of_sign_in = parse_qs(urlsplit(anonymous["Location"]).query).get("next", ["/"])[0]
    assert stays_on_site(next_of_sign_in), anonymous["Location"]
    response = signed_in(staff).get(reverse("admin:login"), {"next": target})
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_task_status_never_redirects_off_the_site(world, target):
    response = signed_in(world.users["coordinator"]).post(
        reverse("meetings:task_status", args=[world.task.pk]),
        {"status": "in_progress", "next": target},
    )
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


# --- the Host header ----------------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["mitplanen.example"])
@pytest.mark.parametrize("name", ["account_login", "account_reset_password", "healthz"])
def test_a_foreign_host_answers_400(world, name):
    assert Client().get(reverse(name), HTTP_HOST="evil.example").status_code == 400
    assert Client().get(reverse(name), HTTP_HOST="mitplanen.example").status_code == 200


def test_password_reset_mail_links_to_the_configured_site_not_the_host(world):
    """allauth builds the reset link from the Host header; the adapter puts it under
    SITE_URL, so even a host the proxy let through never ends up in the mail."""
    email = world.users["member_a"].email
    response = Client().post(
        reverse("account_reset_password"), {"email": email}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302
    mail = OutboundMail.objects.filter(to=email).latest("pk")
    assert "evil.example" not in mail.body_text + mail.body_html
    assert f"{settings.SITE_URL}/accounts/password/reset/key/" in mail.body_text


def test_production_refuses_any_host():
    result = import_production_settings(DJANGO_ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


# --- personal links replayed elsewhere ----------------------------------------------------------


def _second_workshop_invitation(world):
    workshop = WorkshopFactory(created_by=world.users["coordinator"])
    invitation = Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(workshop),
        event_id=workshop.pk,
        person=world.invitee,
        email=world.invitee.email,
        name=world.invitee.full_name,
    )
    message = invitations.prepare_message(invitation.pk, "invitation", "second")
    raw, token_hash = personal_links.new_token()
    type(message).objects.filter(pk=message.pk).update(token_hash=token_hash)
    return invitation, raw


def test_invitation_link_of_one_event_does_not_open_another(world):
    second, _raw = _second_workshop_invitation(world)
    client = Client()
    opened = client.get(reverse("participation:invitation_link", args=[world.invitation_token]))
    assert opened["Location"] == reverse(
        "participation:invitation_reply", args=[world.invitation.pk]
    )
    for name in ("invitation_reply", "invitation_calendar"):
        assert client.get(reverse(f"participation:{name}", args=[second.pk])).status_code == 404
    answer = {"reply": "accepted"}
    url = reverse("participation:invitation_reply", args=[second.pk])
    assert client.post(url, answer).status_code == 404
    second.refresh_from_db()
    assert second.reply == Invitation.Reply.NONE


@pytest.mark.parametrize(
    ("token", "url_name"),
    [
        ("invitation_token", "meetings:poll_link"),
        ("invitation_token", "meetings:task_link_open"),
        ("poll_token", "participation:invitation_link"),
        ("poll_token", "meetings:task_link_open"),
        ("task_token", "participation:invitation_link"),
        ("task_token", "meetings:poll_link"),
        ("calendar_token", "participation:invitation_link"),
        ("task_token", "meetings:person_calendar"),
    ],
)
def test_a_token_of_one_kind_opens_nothing_of_another(world, token, url_name):
    response = Client().get(reverse(url_name, args=[getattr(world, token)]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("keyword", "token", "path"),
    [
        ("Poll", "invitation_token", "api:invitation_reply"),
        ("Invitation", "poll_token", "meetings_api:poll-answer"),
        ("Invitation", "task_token", "meetings_api:own-task"),
        ("TaskLink", "poll_token", "meetings_api:own-task"),
        ("Poll", "task_token", "meetings_api:poll-answer"),
    ],
)
def test_api_refuses_a_token_of_another_kind(world, keyword, token, path):
    response = Client().get(
        reverse(path), headers={"Authorization": f"{keyword} {getattr(world, token)}"}
    )
    assert response.status_code in (401, 403, 404)


def test_poll_link_opens_only_its_own_invitee(world):
    client = Client()
    client.get(reverse("meetings:poll_link", args=[world.poll_token]))
    other = world.poll.invitees.exclude(pk=world.poll_invitee.pk).first()
    assert other is not None
    assert client.get(reverse("meetings:poll_answer", args=[other.pk])).status_code == 404


# --- another municipality's unpublished records -------------------------------------------------


def _unpublished(world):
    """Pages and API addresses of A's records that B must not even learn exist."""
    return [
        reverse("surveys:response", args=[world.response.pk]),
        reverse("surveys:response_print", args=[world.response.pk]),
        f"/api/v1/survey-responses/{world.response.pk}/",
        reverse("consultations:statement", args=[world.statement.pk]),
        f"/api/v1/consultations/statements/{world.statement.pk}/",
        reverse("surveys:survey_detail", args=[world.draft_survey.pk]),
        f"/api/v1/surveys/{world.draft_survey.pk}/",
        reverse("participation:organisation_detail", args=[world.org_a.pk]),
        f"/api/v1/organisations/{world.org_a.pk}/",
        reverse("participation:person_detail", args=[world.person.pk]),
        f"/api/v1/people/{world.person.pk}/",
        reverse("meetings:meeting_detail", args=[world.meeting.pk]),
        f"/api/v1/meetings/{world.meeting.pk}/",
        reverse("meetings:minutes", args=[world.meeting.pk]),
        reverse("meetings:agenda_document_get", args=[world.agenda_document.pk]),
        f"/api/v1/agenda-documents/{world.agenda_document.pk}/",
    ]


@pytest.mark.parametrize("role", ["member_b", "political", "welfare"])
def test_another_organisations_records_answer_404(world, role):
    client = signed_in(world.users[role])
    answers = {url: client.get(url).status_code for url in _unpublished(world)}
    assert {url: status for url, status in answers.items() if status != 404} == {}


# --- holes found by the matrix, each with its own test --------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/consultations/", "/api/v1/consultations/sections/"],
)
def test_consultations_api_refuses_anonymous_callers(world, path):
    """The consultations' viewsets replaced the default IsAuthenticated with their own
    permission: an anonymous caller got 200 and an empty list instead of 401."""
    assert Client().get(path).status_code == 401
    consultation = f"/api/v1/consultations/{world.consultation.pk}/"
    assert Client().get(consultation).status_code == 401


def test_calendar_feed_of_a_coordinator_without_second_factor_answers_404(world):
    """A coordinator's secret calendar address lists every body's meetings; it is one more
    way in, so a coordinator without TOTP (never set up, or switched off after the address
    was made) gets 404 like on every page, while one with TOTP keeps the feed."""
    _subscription, without = calendar_subscriptions.create(
        world.users["coordinator_no2fa"], actor=None
    )
    _subscription, with_totp = calendar_subscriptions.create(world.users["coordinator"], actor=None)
    assert Client().get(reverse("meetings:person_calendar", args=[without])).status_code == 404
    assert Client().get(reverse("meetings:person_calendar", args=[with_totp])).status_code == 200
