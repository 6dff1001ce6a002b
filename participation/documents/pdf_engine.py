"""The part of the PDF machinery that imports WeasyPrint (and so needs Pango); `pdf.py`
imports it only when a PDF is made.

A document's relative addresses resolve against STATIC_BASE, a made-up origin (".invalid"
is reserved and never resolves), which `StaticFilesOnly` serves from our static files on
disk. Every other address (the network, file://, an image somebody wrote into a text) is
refused before anything is opened."""

import functools
import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from fontTools.ttLib import woff2
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_BASE = "https://static.invalid/"
STATIC_TYPES = {".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".png": None}


def static_path(url: str) -> str | None:
    """The file among our static files that `url` names, or None: only addresses under
    STATIC_BASE, of a known type, without a query, that the static finders find (they
    refuse a path leaving the static folders)."""
    if not url.startswith(STATIC_BASE):
        return None
    parts = urlsplit(url)
    relative = parts.path.removeprefix("/")
    if parts.query or not relative or ".." in relative.split("/"):
        return None
    if Path(relative).suffix not in STATIC_TYPES:
        return None
    try:
        found = finders.find(relative)
    except Exception:  # noqa: BLE001 - a path the finders refuse as suspicious
        return None
    return found if isinstance(found, str) else None


class StaticFilesOnly(URLFetcher):
    """Serves our own static files from disk; refuses every other address unopened."""

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            logger.warning("A document asked for %s: refused, only static files are served.", url)
            raise ValueError(f"Refused: {url}")
        if path.endswith(".woff2"):
            return URLFetcherResponse(url, _decompressed_font(path), {"Content-Type": "font/ttf"})
        content_type = STATIC_TYPES[Path(path).suffix] or mimetypes.guess_type(path)[0]
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": content_type})


@functools.cache
def _decompressed_font(path: str) -> bytes:
    """A WOFF2 font as plain OpenType, once per process: decompressing the four faces of a
    document takes longer than laying out the whole document."""
    font = io.BytesIO()
    with open(path, "rb") as compressed:
        woff2.decompress(compressed, font)
    return font.getvalue()


def write_pdf(html, *, created, modified, variant) -> bytes:
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticFilesOnly()).render(
        pdf_variant=variant, pdf_tags=True
    )
    document.metadata.created = created
    document.metadata.modified = modified
    # pdf_identifier=True: the identifier is a hash of the content, never a random one.
    return document.write_pdf(pdf_variant=variant, pdf_tags=True, pdf_identifier=True)
