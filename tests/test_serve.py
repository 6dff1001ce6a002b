"""The app as `manage.py serve` runs it (as the Docker image starts it): which client address
the per-address limits see, and what its log holds."""

import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache

from participation.events import invitations
from tests.factories import WorkshopFactory
from tests.live_support import LiveServer, server_env
from tests.processes import ROOT, free_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class ServedApp(LiveServer):
    """`manage.py serve` in a subprocess, its whole output written to `log_path`."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def get(self, path, **headers):
        """The status of one GET, redirects not followed."""
        request = urllib.request.Request(self.origin + path, headers=headers)
        try:
            with NO_REDIRECTS.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log(self):
        self.stop()
        with open(self.log_path) as log:
            return log.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)


@pytest.fixture
def serve(tmp_path):
    started = []

    def serve(**env):
        app = ServedApp(
            {**server_env(), "INVITATION_LINK_RATE_LIMIT": "3", **env}, tmp_path / "log"
        )
        started.append(app)
        return app.wait_ready()

    cache.clear()
    yield serve
    for app in started:
        app.stop()
    cache.clear()


def unknown_link():
    return f"/invitation/{secrets.token_urlsafe(32)}/"


def test_a_forwarded_header_does_not_start_the_link_limit_afresh(serve):
    app = serve()
    for n in range(3):
        assert app.get(unknown_link(), **{"X-Forwarded-For": f"198.51.100.{n}"}) == 404
    assert app.get(unknown_link(), **{"X-Forwarded-For": "198.51.100.99"}) == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(serve):
    app = serve(TRUSTED_PROXIES="127.0.0.1")
    for _attempt in range(3):
        assert app.get(unknown_link(), **{"X-Forwarded-For": "198.51.100.1"}) == 404
    assert app.get(unknown_link(), **{"X-Forwarded-For": "198.51.100.1"}) == 429
    assert app.get(unknown_link(), **{"X-Forwarded-For": "198.51.100.2"}) == 404


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(serve):
    https = {"X-Forwarded-Proto": "https"}
    app = serve(DJANGO_SECURE_SSL_REDIRECT="1")
    assert app.get("/impressum/", **https) == 301
    app.stop()

    # A proxy is configured, but this client is not it: its header is not believed either.
    app = serve(DJANGO_SECURE_SSL_REDIRECT="1", TRUSTED_PROXIES="10.0.0.2,192.0.2.0/24")
    assert app.get("/impressum/", **https) == 301
    app.stop()

    app = serve(DJANGO_SECURE_SSL_REDIRECT="1", TRUSTED_PROXIES="127.0.0.1")
    assert app.get("/impressum/", **https) == 200
    assert app.get("/impressum/") == 301


def test_x_forwarded_host_is_never_believed(serve):
    app = serve(TRUSTED_PROXIES="127.0.0.1")
    assert app.get("/impressum/", **{"X-Forwarded-Host": "evil.example"}) == 200
    assert app.get("/impressum/", Host="evil.example") == 400


def test_serve_refuses_to_trust_every_client():
    env = {**server_env(), "TRUSTED_PROXIES": "*"}
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def test_the_log_holds_no_personal_link_token(serve, mailoutbox):
    invitations.invite_person(WorkshopFactory(), email="a@example.org")
    token = re.search(r"/invitation/([A-Za-z0-9_-]{43})/", mailoutbox[-1].body).group(1)
    unknown = unknown_link()
    reset = f"/accounts/password/reset/key/1-{secrets.token_hex(16)}/"
    app = serve()

    assert app.get(f"/invitation/{token}/") == 302
    assert app.get(unknown) == 404
    app.get(reset)
    app.get(f"/accounts/login/?next=%2Finvitation%2F{token}%2F")
    log = app.log()

    assert '"GET /invitation/[redacted]/ HTTP/1.1" 302' in log
    assert "Not Found: /invitation/[redacted]/" in log
    for secret in (token, unknown.split("/")[2], reset.split("/")[-2]):
        assert secret not in log
