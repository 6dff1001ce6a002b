"""One door: pages, the admin, the API (session and token) and the WebSocket all ask the
same second factor and account state; passwords are hashed with Argon2."""

import importlib
import json
import os
import re
import subprocess
import sys

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from config.asgi import application
from participation.socket_door import REFUSED
from tests.api_support import client_for
from tests.factories import UserFactory, give_totp, member_of
from tests.test_production_settings import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


# --- WebSocket -------------------------------------------------------------------------------


def open_socket(user):
    """Connects to the ping socket with the user's session through the project's ASGI
    application; (connected, close code, reply to a ping)."""
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        browser = Client()
        browser.force_login(user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    scope = {
        "type": "websocket",
        "path": "/ws/ping/",
        "raw_path": b"/ws/ping/",
        "query_string": b"",
        "headers": headers,
        "subprotocols": [],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run():
        socket = ApplicationCommunicator(application, scope)
        await socket.send_input({"type": "websocket.connect"})
        answer = await socket.receive_output(5)
        if answer["type"] == "websocket.close":
            return False, answer.get("code"), None
        await socket.send_input({"type": "websocket.receive", "text": json.dumps({"type": "ping"})})
        reply = json.loads((await socket.receive_output(5))["text"])
        await socket.send_input({"type": "websocket.disconnect", "code": 1000})
        await socket.wait(5)
        return True, None, reply

    return async_to_sync(run)()


@pytest.mark.django_db(transaction=True)
def test_socket_of_a_coordinator_without_second_factor_is_refused(county_office):
    coordinator = member_of(county_office, is_coordinator=True)

    connected, code, _reply = open_socket(coordinator)

    assert not connected
    assert code == REFUSED


@pytest.mark.django_db(transaction=True)
def test_socket_of_a_coordinator_with_second_factor_is_signed_in(coordinator):
    connected, _code, reply = open_socket(coordinator)

    assert connected
    assert reply == {"type": "pong", "authenticated": True}


@pytest.mark.django_db(transaction=True)
def test_socket_of_a_deactivated_account_is_not_signed_in(member):
    browser = Client()
    browser.force_login(member)
    member.is_active = False
    member.save()

    connected, _code, reply = open_socket(member)

    assert connected and reply == {"type": "pong", "authenticated": False}


# --- account state on every door ----------------------------------------------------------------


def test_deactivated_account_loses_its_session_page_and_api_at_once(client, member):
    client.force_login(member)
    api = client_for(member)
    assert client.get(reverse("overview:home")).status_code == 200
    member.is_active = False
    member.save()

    assert client.get(reverse("overview:home")).status_code == 302
    assert api.get(reverse("api:me")).status_code in (401, 403)


@pytest.mark.parametrize("path", ["/admin/", "/security-log/", "/account/tokens/"])
def test_staff_and_coordinators_without_second_factor_reach_only_its_set_up(client, path):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_sign_in_by_mailed_code_still_asks_for_the_second_factor(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    give_totp(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": member.email})
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[-1].body, re.M).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


# --- Argon2 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["config.settings.base", "config.settings.local"])
def test_settings_hash_passwords_with_argon2_first(module):
    hashers = importlib.import_module(module).PASSWORD_HASHERS

    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers


def test_production_settings_hash_passwords_with_argon2_first():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MITPLANEN_", "DJANGO_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.production as s; print(s.PASSWORD_HASHERS[0])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


ARGON2_FIRST = importlib.import_module("config.settings.base").PASSWORD_HASHERS


@override_settings(PASSWORD_HASHERS=ARGON2_FIRST)
def test_an_older_password_hash_becomes_argon2_at_the_next_sign_in(client, member):
    member.password = make_password("Ein-langes-Passwort-2026", hasher="pbkdf2_sha256")
    member.save()

    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "Ein-langes-Passwort-2026"}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("argon2$argon2id$")
    assert member.check_password("Ein-langes-Passwort-2026")
