"""A Django template as an accessible PDF: tagged (PDF/UA-1 as far as WeasyPrint goes), with
the document's language (`<html lang>`) and title (`<title>`), and the same bytes for the
same inputs (the dates come from the record; the file's identifier is a hash of its content).

WeasyPrint loads Pango as it is imported. It is imported only when a PDF is made
(`pdf_engine.py`), so a machine without Pango still starts; `render_pdf` then raises
`PdfUnavailable`, which a page or the API answers with a translated 503.

A document reaches nothing but our own static files (see `pdf_engine.StaticFilesOnly`)."""

import datetime
import logging

from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"
PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def _engine():
    try:
        from . import pdf_engine  # noqa: PLC0415 - imports WeasyPrint, which needs Pango
    except (ImportError, OSError) as error:
        logger.warning("PDF documents are unavailable: %s", error)
        raise PdfUnavailable(str(error)) from error
    return pdf_engine


def available() -> bool:
    """Whether PDF files can be made on this machine."""
    try:
        _engine()
    except PdfUnavailable:
        return False
    return True


def _w3c(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def html_to_pdf(html: str, *, created: datetime.datetime, modified=None) -> bytes:
    """`html`, a whole document, as a tagged PDF. `created` and `modified` are the record's
    dates: they, not the clock, go into the file."""
    return _engine().write_pdf(
        html, created=_w3c(created), modified=_w3c(modified or created), variant=PDF_VARIANT
    )


def render_pdf(template_name: str, context: dict, *, created, modified=None) -> bytes:
    """A template (extending `participation/documents/base.html`) as a PDF."""
    return html_to_pdf(render_to_string(template_name, context), created=created, modified=modified)
