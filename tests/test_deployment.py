"""The production settings as a real deployment runs them: `check --deploy` has nothing to
say, and a page carries the security headers and secure cookies."""

import json
import os
import subprocess
import sys

from tests.processes import ROOT

# What a deployment sets (docs: README, "Production"); everything else keeps its default.
DEPLOYMENT_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "IcZGblMC3ljVrQXUFMYN75CbjRJ2FbmbmahvrZEOWa8cozgqt0rRKcKVYLEC",
    "DJANGO_ALLOWED_HOSTS": "mitplanen.rhein-sieg-kreis.example",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://mitplanen.rhein-sieg-kreis.example",
    "SITE_URL": "https://mitplanen.rhein-sieg-kreis.example",
    "TRUSTED_PROXIES": "10.0.0.2",
}


def deployment_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MITPLANEN_", "DJANGO_", "SITE_URL", "TRUSTED_PROXIES"))
    }
    # The embedded database: neither the check nor the page below touches a record.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["SQLITE_PATH"] = ":memory:"
    return {**env, **DEPLOYMENT_ENV}


def test_check_deploy_finds_nothing_with_the_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=deployment_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


PAGE_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# The hashed static names come from collectstatic at build time, which this test skips.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="mitplanen.rhein-sieg-kreis.example")
plain = client.get("/accounts/login/")
page = client.get("/accounts/login/", secure=True)
forwarded = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "forwarded": [forwarded.status_code, forwarded.get("Location")],
    "status": page.status_code,
    "headers": dict(page.headers),
    "cookies": {name: dict(c.items()) for name, c in page.cookies.items()},
}))
"""


def test_check_deploy_warns_of_https_without_a_trusted_proxy():
    env = {key: value for key, value in deployment_env().items() if key != "TRUSTED_PROXIES"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "mitplanen.W001" in result.stdout + result.stderr


def test_a_production_page_carries_the_security_headers():
    result = subprocess.run(
        [sys.executable, "-c", PAGE_SCRIPT],
        cwd=ROOT,
        env=deployment_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain"] == [301, "https://mitplanen.rhein-sieg-kreis.example/accounts/login/"]
    # X-Forwarded-Proto from a client that is not the trusted proxy changes nothing.
    assert seen["forwarded"] == seen["plain"]
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    csrf = seen["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
