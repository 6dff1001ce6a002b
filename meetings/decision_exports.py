"""The decision register across bodies: the search the page and the API share, and the
register as a CSV or XLSX file (through the base's spreadsheets, so a decision's text is
never run as a formula)."""

import io

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import spreadsheets
from participation.downloads import private_download

from . import selectors

FORMATS = ("csv", "xlsx")


def search(user, *, body=None, query=""):
    """The decisions the user may see, of one body or all, matching `query` in number,
    title or text; newest first."""
    decisions = selectors.visible_decisions(user)
    if body is not None:
        decisions = decisions.filter(body=body)
    query = (query or "").strip()
    if query:
        decisions = decisions.filter(
            Q(reference__icontains=query) | Q(title__icontains=query) | Q(text__icontains=query)
        )
    return decisions.order_by("-decided_on", "-year", "-number")


def rows(decisions):
    yield [
        _("Decision number"),
        _("Body"),
        _("Decided on"),
        _("Title"),
        _("Text of the decision"),
        _("Votes for"),
        _("Votes against"),
        _("Abstentions"),
        _("Meeting"),
    ]
    for decision in decisions:
        yield [
            decision.reference,
            decision.body.name,
            decision.decided_on,
            decision.title,
            decision.text,
            decision.votes_for,
            decision.votes_against,
            decision.abstentions,
            decision.meeting.title if decision.meeting else "",
        ]


def download(decisions, file_format) -> HttpResponse:
    """The decisions as a CSV or XLSX attachment, for the page and the API alike."""
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    name = f"{_('decisions')}-{stamp}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(
            spreadsheets.csv_bytes(rows(decisions)), content_type=spreadsheets.CSV_CONTENT_TYPE
        )
    else:
        buffer = io.BytesIO()
        spreadsheets.write_xlsx(rows(decisions), buffer, sheet_title=_("Decisions"))
        response = HttpResponse(buffer.getvalue(), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    return private_download(response, name, export="decisions")
