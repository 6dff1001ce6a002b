"""Accounts: closed signup, no account enumeration, rate limits, mail through the one path."""

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

from participation.models import OutboundMail
from tests.factories import UserFactory, give_totp

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
    # Only the account's own address gets mail: the sender mails no arbitrary addresses.
    assert [m.to for m in mailoutbox] == [["bekannt@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    # Mail containing secrets is forgotten once delivered.
    assert OutboundMail.objects.filter(status="sent", body_text="").count() == 1


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


# --- the admin signs in through the platform's sign-in ------------------------------------------


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def superuser():
    """As `createsuperuser` makes one: staff and superuser, so a coordinator too."""
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def test_admin_sign_in_form_signs_nobody_in(client, superuser):
    give_totp(superuser)
    client.post(
        "/admin/login/?next=/admin/",
        {"username": superuser.email, "password": "correct horse battery", "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/people/").status_code in (401, 403)


def test_admin_signs_in_with_password_and_totp_on_the_platform_sign_in(client, superuser):
    secret = give_totp(superuser)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"

    response = client.post(
        response["Location"], {"login": superuser.email, "password": "correct horse battery"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_sign_in_is_rate_limited(client, superuser):
    give_totp(superuser)
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(7):
        client.post(login_url, {"login": superuser.email, "password": "falsch"})
    client.post(login_url, {"login": superuser.email, "password": "correct horse battery"})
    client.post("/admin/login/", {"username": superuser.email, "password": "correct horse battery"})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_signed_in_non_staff_cannot_use_the_admin_sign_in(client, member, superuser):
    client.force_login(member)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    response = client.post(
        "/admin/login/", {"username": superuser.email, "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(member.pk)


def test_staff_without_totp_must_set_it_up_first(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


# --- unknown addresses get no mail --------------------------------------------------------------


def test_sign_in_code_for_an_unknown_address_mails_nobody(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "niemand@example.org"}
        )
    assert response.status_code == 302
    assert mailoutbox == []
    assert not OutboundMail.objects.exists()


# --- changing sign-in addresses needs reauthentication ------------------------------------------


def add_address(client, email):
    return client.post(reverse("account_email"), {"action_add": "", "email": email})


def code_sent_to(email):
    """Adding an address sends a confirmation code there (the address waits for it)."""
    return OutboundMail.objects.filter(to=email).exists()


def test_adding_an_address_on_an_old_session_asks_for_the_password(client, member):
    with time_machine.travel("2026-12-01 09:00 +0100", tick=False):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
        )
    with time_machine.travel("2026-12-01 12:00 +0100", tick=False):
        response = add_address(client, "dieb@example.org")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert not code_sent_to("dieb@example.org")

        client.post(response["Location"], {"password": "correct horse battery"})
        add_address(client, "zweite@example.org")
    assert code_sent_to("zweite@example.org")


def test_making_an_address_primary_on_an_old_session_asks_for_the_password(client, member):
    EmailAddress.objects.create(user=member, email="zweite@example.org", verified=True)
    with time_machine.travel("2026-12-01 09:00 +0100", tick=False):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
        )
    with time_machine.travel("2026-12-01 12:00 +0100", tick=False):
        response = client.post(
            reverse("account_email"), {"action_primary": "", "email": "zweite@example.org"}
        )
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert EmailAddress.objects.get_primary(member).email == member.email


def test_with_totp_only_the_second_factor_reauthenticates(client, member):
    secret = give_totp(member)
    with time_machine.travel("2026-12-01 09:00 +0100", tick=False):
        client.post(
            reverse("account_login"), {"login": member.email, "password": "correct horse battery"}
        )
        client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    with time_machine.travel("2026-12-01 12:00 +0100", tick=False):
        response = add_address(client, "dieb@example.org")
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
        # The password alone does not do.
        client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
        add_address(client, "dieb@example.org")
        assert not code_sent_to("dieb@example.org")

        client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
        add_address(client, "zweite@example.org")
    assert code_sent_to("zweite@example.org")
