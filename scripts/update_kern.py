#!/usr/bin/env python3
"""Vendor KERN UX (npm package @kern-ux/native, EUPL-1.2) into participation/static/kern/.

Run it by hand to update the look (`python3 scripts/update_kern.py [VERSION]`); nothing at
run time or in `make run` needs Node or the network. It downloads the package from the npm
registry, checks the tarball against the registry's SHA-512 integrity value, and copies the
built CSS, the Fira Sans fonts that the CSS names, and the licence (the fonts' own licence,
SIL OFL 1.1, is kept in fonts/OFL-1.1.txt). Then review the diff,
run the browser tests (axe) and commit.
"""

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

PACKAGE = "@kern-ux/native"
REGISTRY = "https://registry.npmjs.org/"
TARGET = Path(__file__).resolve().parent.parent / "participation" / "static" / "kern"
COPIED = {
    "package/dist/kern.min.css": "kern.min.css",
    "package/dist/fonts/fira-sans.css": "fonts/fira-sans.css",
    "package/LICENSE.md": "LICENSE.md",
}


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - fixed https registry
        return answer.read()


def main(version="latest"):
    metadata = json.loads(fetch(f"{REGISTRY}{PACKAGE.replace('/', '%2f')}/{version}"))
    tarball = fetch(metadata["dist"]["tarball"])
    algorithm, expected = metadata["dist"]["integrity"].split("-", 1)
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if algorithm != "sha512" or digest != expected:
        sys.exit("The tarball does not match the registry's integrity value; nothing changed.")

    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        files = {name: archive.extractfile(name).read() for name in COPIED}
        font_css = files["package/dist/fonts/fira-sans.css"].decode()
        fonts = re.findall(r'url\("\./(fira-sans/[\w-]+\.woff2)"\)', font_css)
        for font in fonts:
            name = f"package/dist/fonts/{font}"
            files[name] = archive.extractfile(name).read()

    for old_font in (TARGET / "fonts").glob("fira-sans/*.woff2"):
        old_font.unlink()
    for source, content in files.items():
        destination = TARGET / COPIED.get(source, source.removeprefix("package/dist/"))
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    (TARGET / "VERSION").write_text(f"{PACKAGE} {metadata['version']}\n")
    print(f"{PACKAGE} {metadata['version']}: {len(files)} files in {TARGET}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
