"""The production settings refuse to start with a back door in the second factor."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def import_production_settings(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MITPLANEN_", "DJANGO_"))
    }
    env.update(DJANGO_SECRET_KEY="x" * 50, **extra)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_load_without_a_waiver():
    result = import_production_settings()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        {"MITPLANEN_2FA_WAIVED_EMAILS": "chef@kreis.example"},
        {"MITPLANEN_REQUIRE_COORDINATOR_2FA": "0"},
    ],
)
def test_production_refuses_to_waive_the_second_factor(variable):
    result = import_production_settings(**variable)
    assert result.returncode != 0
    assert "Production requires TOTP for every coordinator" in result.stderr
