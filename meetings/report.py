"""The meetings' part of the committee report (see `participation.report` for the contract):
the meetings held in the period with their attendance, attendance per organisation kind
(with a chart and its data table), the decisions taken with their numbers, and the tasks
still open, those overdue marked. Six queries whatever the number of records."""

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.models import EventStatus, OrganisationKind
from participation.report import ReportBar, ReportChart, ReportPart, ReportTable, day_bounds

from .models import Attendance, AttendanceStatus, Decision, Meeting, Task, TaskStatus

ORDER = 20


def _date(value):
    return formats.date_format(value, "d.m.Y")


def _votes(decision):
    if decision.votes_for is None and decision.votes_against is None:
        return "–"
    return _("%(for)s for, %(against)s against, %(abstentions)s abstentions") % {
        "for": decision.votes_for if decision.votes_for is not None else "–",
        "against": decision.votes_against if decision.votes_against is not None else "–",
        "abstentions": decision.abstentions if decision.abstentions is not None else "–",
    }


def held_meetings(start, end):
    """Meetings of the period that took place: not a draft, not cancelled, begun by now."""
    first, after = day_bounds(start, end)
    return (
        Meeting.objects.filter(start__gte=first, start__lt=min(after, timezone.now()))
        .filter(status__in=[EventStatus.PUBLISHED, EventStatus.DONE])
        .select_related("series__body")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            deputies=Count("attendance", filter=Q(attendance__status=AttendanceStatus.DEPUTY)),
            excused=Count("attendance", filter=Q(attendance__status=AttendanceStatus.EXCUSED)),
        )
        .order_by("start", "pk")
    )


def _kind_rows(meetings):
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .values("organisation__kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_kind = {}
    for row in rows:
        counts = by_kind.setdefault(
            row["organisation__kind"] or "", dict.fromkeys(("p", "d", "e"), 0)
        )
        key = {AttendanceStatus.PRESENT: "p", AttendanceStatus.DEPUTY: "d"}.get(row["status"], "e")
        counts[key] += row["n"]
    labels = dict(OrganisationKind.choices)
    order = [*OrganisationKind.values, ""]
    return [
        (str(labels.get(kind, _("No organisation"))), by_kind[kind])
        for kind in order
        if kind in by_kind
    ]


def summary(*, start, end):
    meetings = list(held_meetings(start, end))
    first, after = day_bounds(start, end)
    as_of = min(end, timezone.localdate())
    kinds = _kind_rows([meeting.pk for meeting in meetings])
    decisions = list(
        Decision.objects.filter(decided_on__gte=start, decided_on__lte=end)
        .select_related("body")
        .order_by("decided_on", "year", "number", "pk")
    )
    undone = list(
        Task.objects.filter(meeting__start__lt=after)
        .exclude(status=TaskStatus.DONE)
        .select_related("meeting__series__body", "owner_person", "owner_organisation")
        .order_by("due_date", "pk")
    )
    overdue = [task for task in undone if task.due_date < as_of]
    bodies = {meeting.series.body_id for meeting in meetings}

    paragraphs = [
        _(
            "Meetings held: %(meetings)s (bodies meeting: %(bodies)s). "
            "Decisions taken: %(decisions)s."
        )
        % {"meetings": len(meetings), "bodies": len(bodies), "decisions": len(decisions)},
        _("Tasks from meetings not yet done on %(date)s: %(open)s, of them overdue: %(overdue)s.")
        % {"date": _date(as_of), "open": len(undone), "overdue": len(overdue)},
    ]
    tables = [
        ReportTable(
            caption=_("Meetings held"),
            header=[_("Date"), _("Body"), _("Meeting"), _("Present"), _("Deputies"), _("Excused")],
            rows=[
                [
                    _date(timezone.localtime(meeting.start)),
                    meeting.series.body.name,
                    meeting.title,
                    meeting.present,
                    meeting.deputies,
                    meeting.excused,
                ]
                for meeting in meetings
            ],
            numeric=(3, 4, 5),
            sheet=_("Meetings"),
        ),
        ReportTable(
            caption=_("Attendance per organisation kind"),
            header=[_("Organisation kind"), _("Present"), _("Deputies"), _("Excused")],
            rows=[[label, counts["p"], counts["d"], counts["e"]] for label, counts in kinds],
            numeric=(1, 2, 3),
            sheet=_("Attendance"),
        ),
        ReportTable(
            caption=_("Decisions"),
            header=[_("Decision number"), _("Decided on"), _("Body"), _("Title"), _("Vote")],
            rows=[
                [
                    decision.reference,
                    _date(decision.decided_on),
                    decision.body.name,
                    decision.title,
                    _votes(decision),
                ]
                for decision in decisions
            ],
            sheet=_("Decisions"),
        ),
        ReportTable(
            caption=_("Open tasks"),
            header=[_("Task"), _("Body"), _("Owner"), _("Due date"), _("Status"), _("Overdue")],
            rows=[
                [
                    task.title,
                    task.meeting.series.body.name,
                    str(task.owner_person or task.owner_organisation),
                    _date(task.due_date),
                    task.get_status_display(),
                    _("yes") if task.due_date < as_of else _("no"),
                ]
                for task in undone
            ],
            sheet=_("Tasks"),
        ),
    ]
    charts = []
    if kinds:
        present = [(label, counts["p"] + counts["d"]) for label, counts in kinds]
        charts.append(
            ReportChart(
                title=_("Seats taken per organisation kind"),
                text=_("Seats taken at the meetings held (present or by a deputy): %(list)s.")
                % {"list": "; ".join(f"{label} {count}" for label, count in present)},
                bars=[ReportBar(label, count) for label, count in present],
            )
        )
    return [
        ReportPart(
            key="meetings",
            heading=_("Meetings, decisions and tasks"),
            order=ORDER,
            paragraphs=paragraphs,
            tables=tables,
            charts=charts,
        )
    ]
