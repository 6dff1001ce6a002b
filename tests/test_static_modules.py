"""The live pages' scripts are ES modules; in production the static files get hashed names,
and each entry's imports must still reach the hashed modules."""

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = [
    "workshops/live/participant.js",
    "workshops/live/projector.js",
    "workshops/live/console.js",
]
SPECIFIER = re.compile(
    r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']\s*;""", re.M | re.S
)

# collectstatic with the production settings' storage, into the directory given.
COLLECT = """
import sys
import django
from django.conf import settings
from django.core.management import call_command

django.setup()
settings.STATIC_ROOT = sys.argv[1]
call_command("collectstatic", interactive=False, verbosity=0)
"""


# collectstatic (compressed and hashed) takes most of a minute.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MITPLANEN_", "DJANGO_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="x" * 50)
    result = subprocess.run(
        [sys.executable, "-c", COLLECT, str(static_root)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    return static_root, manifest


def module_graph(static_root, manifest, entry):
    """The hashed names of the entry and of every module it imports, directly or not."""
    hashed_names = set(manifest.values())
    seen, todo = set(), [manifest[entry]]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = (static_root / name).read_text()
        for specifier in SPECIFIER.findall(source):
            assert specifier.startswith(("./", "../")), f"{name}: {specifier} is not relative"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), specifier))
            assert target in hashed_names, f"{name} imports {specifier}, not a hashed file"
            assert (static_root / target).is_file(), f"{name} imports {specifier}, which is missing"
            todo.append(target)
    return seen


@pytest.mark.parametrize("entry", ENTRIES)
def test_production_static_files_keep_module_imports_resolving(collected, entry):
    static_root, manifest = collected
    graph = module_graph(static_root, manifest, entry)
    # The entry reaches the connection, the rendering and the activity kinds through them.
    assert len(graph) > 5


def test_participant_and_projector_modules_leave_out_the_moderators_code(collected):
    static_root, manifest = collected
    console = module_graph(static_root, manifest, "workshops/live/console.js")
    assert any(name.startswith("workshops/live/moderator/") for name in console)
    for entry in ["workshops/live/participant.js", "workshops/live/projector.js"]:
        graph = module_graph(static_root, manifest, entry)
        assert not [name for name in graph if "/moderator/" in name or "console" in name]
