"""The layers of docs/architecture.md, checked: the import contracts in pyproject.toml
(`[tool.importlinter]`) hold, so a plain `pytest` catches a feature app importing another
one, the base importing a feature app, or an import cycle inside an app."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = [
    "Layers: config wires the apps",
    "The base (participation) imports no feature app",
    "Nothing but config imports the overview",
    "Feature apps are independent of each other",
    "No import cycles between the modules of an app",
]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # One line per contract, its name (wrapped when long) then KEPT.
    flat = " ".join(report.split())
    for contract in CONTRACTS:
        assert contract in flat, report
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report, report
