#!/usr/bin/env python3
"""Refresh the vendored snapshot of the PyPA advisory database (scripts/advisories/).

    git clone --depth 1 https://github.com/pypa/advisory-database
    .venv/bin/python scripts/update_advisories.py advisory-database

Keeps the advisories of every distribution installed in this environment (and every one the
project names in pyproject.toml), in OSV's JSON form, with the commit and date they were taken
from. `scripts/dependency_audit.py` checks the installed versions against them in `make test`.
The database is CC-BY-4.0 (scripts/advisories/README.md)."""

import argparse
import datetime
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories" / "pypi-advisories.json"
PYPROJECT = HERE.parent / "pyproject.toml"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted_names() -> set[str]:
    names = {normalise(dist.metadata["Name"]) for dist in metadata.distributions()}
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    return names | {normalise(Requirement(line).name) for line in declared}


def _affected(entry):
    """The package and its ECOSYSTEM ranges; the list of versions only where no range says
    it (the lists are long, and the ranges say the same)."""
    ranges = [r for r in entry.get("ranges", []) if r.get("type") == "ECOSYSTEM"]
    kept = {"package": normalise(entry["package"]["name"]), "ranges": ranges}
    if not ranges:
        kept["versions"] = entry.get("versions", [])
    return kept


def _git(checkout, *args):
    # A maintainer's command on their own clone: git from PATH.
    command = ["git", "-C", str(checkout), *args]  # noqa: S607
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a clone of pypa/advisory-database")
    args = parser.parse_args(argv)
    names = wanted_names()
    advisories = []
    for directory in sorted((args.checkout / "vulns").iterdir()):
        if normalise(directory.name) not in names:
            continue
        for path in sorted(directory.glob("*.yaml")):
            advisory = yaml.safe_load(path.read_text())
            if advisory.get("withdrawn"):
                continue
            advisories.append(
                {
                    "id": advisory["id"],
                    "aliases": advisory.get("aliases", []),
                    "summary": advisory.get("summary")
                    or (advisory.get("details") or "").split("\n")[0][:200],
                    "affected": [_affected(entry) for entry in advisory.get("affected", [])],
                }
            )
    commit = _git(args.checkout, "log", "-1", "--format=%H")
    committed = _git(args.checkout, "log", "-1", "--format=%cI")
    snapshot = {
        "source": "https://github.com/pypa/advisory-database",
        "licence": "CC-BY-4.0",
        "commit": commit,
        "date": datetime.datetime.fromisoformat(committed).date().isoformat(),
        "packages": sorted(names),
        "advisories": advisories,
    }
    # One advisory a line: an update reads as a diff of the advisories that changed.
    snapshot.pop("advisories")
    lines = [json.dumps(advisory, sort_keys=True) for advisory in advisories]
    head = json.dumps(snapshot, indent=1)[:-2]
    SNAPSHOT.write_text(f'{head},\n "advisories": [\n' + ",\n".join(lines) + "\n ]\n}\n")
    print(f"{len(advisories)} advisories for {len(names)} packages, as of {snapshot['date']}")


if __name__ == "__main__":
    sys.exit(main())
