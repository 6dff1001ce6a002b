"""The dependency audit `make test` runs: it fails on an installed version with a known,
fixed vulnerability, passes for this environment, and says how old its advisories are."""

import json
import subprocess
import sys

from tests.processes import ROOT

AUDIT = ROOT / "scripts" / "dependency_audit.py"
SNAPSHOT = ROOT / "scripts" / "advisories" / "pypi-advisories.json"


def audit(*args):
    return subprocess.run(
        [sys.executable, str(AUDIT), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_an_old_django_with_fixed_advisories_fails_the_audit():
    result = audit("Django==4.2.0")
    assert result.returncode == 1, result.stdout
    # CVE-2023-31047: several files through one form field, fixed in 4.2.1.
    assert "CVE-2023-31047 (fixed in 4.2.1" in result.stdout
    assert "known vulnerabilities with a fix" in result.stdout


def test_a_fixed_version_passes():
    assert audit("Django==4.2.16").returncode == 0


def test_the_installed_dependencies_pass_and_the_snapshot_date_is_stated():
    snapshot = json.loads(SNAPSHOT.read_text())
    result = audit()
    assert result.returncode == 0, result.stdout
    assert f"as of {snapshot['date']}" in result.stdout
    assert snapshot["commit"][:12] in result.stdout
    assert "django" in snapshot["packages"]
