"""Accounts: closed signup, no account enumeration, rate limits, mail through the one path."""

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from participation.models import OutboundMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_self_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "neu@example.org", "password1": "x" * 14, "password2": "x" * 14},
    )
    assert response.status_code == 200
    assert "signup_closed" in response.templates[0].name
    assert not OutboundMail.objects.exists()


def test_sign_in_page_has_no_sign_up_hint_while_closed(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page


def test_password_reset_answers_the_same_for_unknown_addresses(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="bekannt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": "bekannt@example.org"})
        unknown = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert sorted(m.to[0] for m in mailoutbox) == ["bekannt@example.org", "niemand@example.org"]
    reset = next(m for m in mailoutbox if m.to == ["bekannt@example.org"])
    assert "/accounts/password/reset/key/" in reset.body
    # Mail containing secrets is forgotten once delivered.
    assert OutboundMail.objects.filter(status="sent", body_text="").count() == 2


def test_login_code_request_does_not_reveal_whether_the_account_exists(client):
    UserFactory(email="bekannt@example.org")
    known = client.post(reverse("account_request_login_code"), {"email": "bekannt@example.org"})
    unknown = client.post(reverse("account_request_login_code"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_repeated_wrong_passwords_are_rate_limited(client):
    UserFactory(email="ziel@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ziel@example.org", "password": "falsch"})
    response = client.post(
        reverse("account_login"), {"login": "ziel@example.org", "password": "correct horse battery"}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_member_signs_in_with_password_and_lands_on_overview(client, member):
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stadt Siegburg" in page


def test_setting_up_totp_right_after_sign_in_needs_no_second_sign_in_but_later_does(client, member):
    with time_machine.travel("2026-12-01 09:00 +0100", tick=False):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
        )
        assert client.get(reverse("mfa_activate_totp")).status_code == 200
    with time_machine.travel("2026-12-01 09:10 +0100", tick=False):
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
