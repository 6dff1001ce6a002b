"""The session store (participation.sessions): Django's database sessions, read with one
plain statement. A session that expired or never existed signs nobody in."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_live_session_signs_its_member_in(member):
    client = signed_in_client(member)

    page = client.get("/")

    assert page.status_code == 200
    assert member.email in page.content.decode()


def test_an_expired_session_signs_nobody_in_and_gets_a_new_key(member):
    client = signed_in_client(member)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    page = client.get("/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != key


def test_an_unknown_session_key_signs_nobody_in(member):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32

    page = client.get("/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
