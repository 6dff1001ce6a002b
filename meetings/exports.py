"""A meeting's minutes as files: PDF (tagged, from the template
`meetings/minutes_document.html`) and an editable Word file, built from the database every
time through the base's document machinery, for the page and the API alike. The status is
marked plainly: minutes not yet approved say "draft" at the top of every page, in the PDF
and in the Word file's page header. The same minutes give the same bytes (the dates are
the record's)."""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participation.documents import pdf, word
from participation.downloads import private_download

from . import minutes as service
from . import selectors
from .models import AttendanceStatus, MinutesChange, MinutesStatus

FORMATS = ("pdf", "docx")
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}


@dataclass
class AttendanceLine:
    person: str
    organisation: str
    attendance: str


@dataclass
class ItemLine:
    number: int
    title: str
    outcome: str
    minutes: str
    carried_tasks: list


@dataclass
class MinutesContent:
    """What the files show, read once from the database."""

    meeting: object
    record: object
    title: str
    facts: list
    draft_notice: str
    attendance: list
    items: list
    decisions: list
    tasks: list
    created: datetime.datetime
    modified: datetime.datetime


def _date(value):
    return formats.date_format(value, "d.m.Y")


def _attendance_text(row):
    if row is None:
        return _("not recorded")
    if row.status == AttendanceStatus.DEPUTY:
        return _("Represented by %(deputy)s") % {"deputy": row.deputy}
    return row.get_status_display()


def _status_text(record):
    if record.status == MinutesStatus.APPROVED:
        text = _("Approved on %(date)s") % {"date": _date(timezone.localtime(record.approved_at))}
        if record.approved_in:
            text += ", " + _("at the meeting of %(date)s") % {
                "date": _date(timezone.localtime(record.approved_in.start))
            }
        return text
    if record.status == MinutesStatus.CIRCULATED:
        return _("Circulated for corrections on %(date)s, not yet approved") % {
            "date": _date(timezone.localtime(record.circulated_at))
        }
    return _("Draft, not yet circulated or approved")


def _draft_notice(record):
    if record.status == MinutesStatus.APPROVED:
        return ""
    if record.status == MinutesStatus.CIRCULATED:
        return _("Draft: circulated for corrections, not approved")
    return _("Draft: not approved")


def _votes(decision):
    if (
        decision.votes_for is None
        and decision.votes_against is None
        and decision.abstentions is None
    ):
        return "–"
    return _("%(for)s for, %(against)s against, %(abstentions)s abstentions") % {
        "for": decision.votes_for if decision.votes_for is not None else "–",
        "against": decision.votes_against if decision.votes_against is not None else "–",
        "abstentions": decision.abstentions if decision.abstentions is not None else "–",
    }


def _last_change(meeting, record):
    moments = [
        record.created_at,
        record.circulated_at,
        record.approved_at,
        MinutesChange.objects.filter(item__meeting=meeting).aggregate(last=Max("changed_at"))[
            "last"
        ],
        meeting.decisions.aggregate(last=Max("created_at"))["last"],
        meeting.tasks.aggregate(last=Max("updated_at"))["last"],
    ]
    return max(moment for moment in moments if moment is not None)


def minutes_content(meeting) -> MinutesContent:
    """The minutes as they are now: attendance per seat, the agenda's items with their
    minutes, the meeting's decisions and tasks."""
    record = service.ensure_agenda(meeting)
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    carried = list(selectors.carried_tasks(meeting).select_related("owner_person"))
    items = [
        ItemLine(
            number=number,
            title=item.title,
            outcome=item.get_outcome_display(),
            minutes=item.minutes,
            carried_tasks=[
                f"{task.title} – {task.owner}, {task.get_status_display()}" for task in carried
            ]
            if item.kind == "carried_tasks"
            else [],
        )
        for number, item in enumerate(service.agenda(meeting), start=1)
    ]
    return MinutesContent(
        meeting=meeting,
        record=record,
        title=_("Minutes: %(meeting)s, %(date)s")
        % {"meeting": meeting.title, "date": _date(start)},
        facts=[
            (_("Body"), meeting.series.body.name),
            (
                _("When"),
                f"{formats.date_format(start, 'l, d.m.Y')}, "
                f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}",
            ),
            (_("Place"), meeting.venue_name or "–"),
            (_("Status"), _status_text(record)),
        ],
        draft_notice=_draft_notice(record),
        attendance=[
            AttendanceLine(
                person=str(seat.person),
                organisation=str(seat.represents) if seat.represents else "–",
                attendance=_attendance_text(row),
            )
            for seat, row in service.attendance_rows(meeting)
        ],
        items=items,
        decisions=[
            {
                "reference": decision.reference,
                "title": decision.title,
                "text": decision.text,
                "votes": _votes(decision),
            }
            for decision in meeting.decisions.order_by("year", "number")
        ],
        tasks=[
            {
                "title": task.title,
                "owner": str(task.owner),
                "due": _date(task.due_date),
                "status": task.get_status_display(),
            }
            for task in meeting.tasks.select_related("owner_person", "owner_organisation").order_by(
                "due_date", "pk"
            )
        ],
        created=record.created_at,
        modified=_last_change(meeting, record),
    )


def minutes_pdf(content: MinutesContent) -> bytes:
    """Raises pdf.PdfUnavailable on a machine without WeasyPrint's libraries."""
    return pdf.render_pdf(
        "meetings/minutes_document.html",
        {"content": content, "draft_notice": content.draft_notice},
        created=content.created,
        modified=content.modified,
    )


def minutes_docx(content: MinutesContent) -> bytes:
    language = LANGUAGE_TAGS.get(translation.get_language() or "de", "de-DE")
    document = word.new_document(
        title=content.title,
        language=language,
        created=content.created,
        modified=content.modified,
        subject=content.meeting.series.body.name,
    )
    if content.draft_notice:
        word.set_page_header(document, content.draft_notice.upper())
        word.add_paragraph(document, content.draft_notice.upper(), bold=True)
    word.add_heading(document, content.title, 1)
    word.add_facts(document, content.facts)
    word.add_heading(document, _("Attendance"), 2)
    if content.attendance:
        word.add_table(
            document,
            [_("Person"), _("Organisation"), _("Attendance")],
            [(line.person, line.organisation, line.attendance) for line in content.attendance],
        )
    else:
        word.add_paragraph(document, _("The body has no seats."))
    word.add_heading(document, _("Items"), 2)
    for item in content.items:
        word.add_heading(document, f"{item.number}. {item.title}", 3)
        word.add_paragraph(document, f"{_('Outcome')}: {item.outcome}", bold=True)
        for line in item.carried_tasks:
            word.add_paragraph(document, line, style="List Bullet")
        if item.minutes:
            word.add_markdown(document, item.minutes, heading_level=4)
        else:
            word.add_paragraph(document, _("No minutes yet."))
    word.add_heading(document, _("Decisions"), 2)
    if content.decisions:
        for decision in content.decisions:
            word.add_heading(document, f"{decision['reference']} {decision['title']}", 3)
            for line in decision["text"].splitlines():
                if line.strip():
                    word.add_paragraph(document, line)
            word.add_paragraph(document, f"{_('Vote')}: {decision['votes']}")
    else:
        word.add_paragraph(document, _("No decisions were recorded at this meeting."))
    word.add_heading(document, _("Tasks"), 2)
    if content.tasks:
        word.add_table(
            document,
            [_("Task"), _("Owner"), _("Due date"), _("Status")],
            [(task["title"], task["owner"], task["due"], task["status"]) for task in content.tasks],
        )
    else:
        word.add_paragraph(document, _("No tasks were agreed at this meeting."))
    return word.to_bytes(document)


def file_name(meeting, file_format) -> str:
    day = timezone.localtime(meeting.start).strftime("%Y-%m-%d")
    return f"{slugify(_('minutes'))}-{slugify(meeting.title)}-{day}.{file_format}"


def download(meeting, file_format) -> HttpResponse:
    """The minutes as a PDF or DOCX attachment, for the page and the API alike. Raises
    pdf.PdfUnavailable when PDF files cannot be made on this machine."""
    content = minutes_content(meeting)
    if file_format == "pdf":
        response = HttpResponse(minutes_pdf(content), content_type=pdf.CONTENT_TYPE)
    else:
        response = HttpResponse(minutes_docx(content), content_type=word.CONTENT_TYPE)
    return private_download(response, file_name(meeting, file_format), export="minutes")


def unavailable_message() -> str:
    return _(
        "PDF files cannot be made on this server at the moment: a system library is missing. "
        "The printable version and the Word file work; please tell the administrators."
    )
