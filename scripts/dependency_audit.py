#!/usr/bin/env python3
"""Check the installed distributions against the vendored PyPA advisory database snapshot
(scripts/advisories/pypi-advisories.json, refreshed by scripts/update_advisories.py).

Fails (exit 1) when an installed version is affected by an advisory that names a fixed
version: the fix exists, so the dependency must be raised. An advisory without a fix is
listed but does not fail. Works without any network: from this machine only the package
index is reachable, and neither OSV nor PyPI's per-version JSON (what pip-audit asks).

    .venv/bin/python scripts/dependency_audit.py                   # this environment
    .venv/bin/python scripts/dependency_audit.py django==4.2.0     # named versions instead
"""

import argparse
import datetime
import json
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories" / "pypi-advisories.json"
PYPROJECT = HERE.parent / "pyproject.toml"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """The installed version of every distribution the project depends on, directly or
    through others (its dependencies and its dev extra, as pyproject.toml names them): the
    environment's own tools (pip) are not the project's to raise."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = [Requirement(line) for line in project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        wanted += [Requirement(line) for line in extra]
    versions = {}
    while wanted:
        requirement = wanted.pop()
        name = normalise(requirement.name)
        if name in versions:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python
        versions[name] = dist.version
        for line in dist.requires or []:
            nested = Requirement(line)
            extras = requirement.extras or {""}
            if nested.marker is None or any(
                nested.marker.evaluate({"extra": extra}) for extra in extras
            ):
                wanted.append(nested)
    return versions


def _in_range(version, events) -> bool:
    """OSV ECOSYSTEM events: affected from each `introduced` up to (not including) the next
    `fixed`, or up to and including `last_affected`."""
    affected = False
    for event in sorted(events, key=_event_version):
        at = _event_version(event)
        if "last_affected" in event:
            if at < version:
                affected = False
        elif at <= version:
            affected = "introduced" in event
    return affected


def _event_version(event):
    value = next(iter(event.values()))
    return Version("0") if value == "0" else Version(value)


def findings(installed: dict[str, str], snapshot: dict) -> list[dict]:
    """Each (package, version, advisory) where the installed version is affected, with the
    fixed versions the advisory names (empty: no fix yet)."""
    found = []
    for advisory in snapshot["advisories"]:
        for entry in advisory["affected"]:
            name = entry["package"]
            if name not in installed:
                continue
            try:
                version = Version(installed[name])
            except InvalidVersion:
                continue
            fixed = sorted(
                {e["fixed"] for r in entry.get("ranges", []) for e in r["events"] if "fixed" in e},
                key=Version,
            )
            hit = any(_in_range(version, r["events"]) for r in entry.get("ranges", []))
            hit = hit or installed[name] in entry.get("versions", [])
            if hit:
                found.append(
                    {
                        "package": name,
                        "version": installed[name],
                        "id": advisory["id"],
                        "aliases": advisory.get("aliases", []),
                        "fixed": [f for f in fixed if Version(f) > version],
                        "summary": advisory.get("summary", ""),
                    }
                )
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pins", nargs="*", help="name==version to check instead")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    args = parser.parse_args(argv)
    snapshot = json.loads(args.snapshot.read_text())
    if args.pins:
        installed = {normalise(p.split("==")[0]): p.split("==")[1] for p in args.pins}
    else:
        installed = installed_versions()
    age = (datetime.date.today() - datetime.date.fromisoformat(snapshot["date"])).days
    print(
        f"Dependency audit: {len(installed)} distributions against the PyPA advisory database "
        f"as of {snapshot['date']} ({age} days old, commit {snapshot['commit'][:12]})."
    )
    uncovered = sorted(set(installed) - set(snapshot["packages"]))
    if uncovered:
        print("Not in the snapshot (run scripts/update_advisories.py): " + ", ".join(uncovered))
    found = findings(installed, snapshot)
    failing = [f for f in found if f["fixed"]]
    for item in found:
        fix = f"fixed in {', '.join(item['fixed'])}" if item["fixed"] else "no fix yet"
        names = ", ".join([item["id"], *item["aliases"]])
        print(f"  {item['package']} {item['version']}: {names} ({fix}) {item['summary']}")
    if failing:
        print(f"{len(failing)} known vulnerabilities with a fix: raise these dependencies.")
        return 1
    print("No known vulnerability with a fix in the installed versions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
