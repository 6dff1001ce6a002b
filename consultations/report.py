"""The consultations' part of the committee report (see `participation.report` for the
contract): every consultation open at some time in the period, with how many organisations
were asked, how many released a statement, declared none or never answered, the
administration's responses to the points of the weighing table, and whether and when the
result was published. Two queries whatever the number of records."""

from django.db.models import Count, Max, Q
from django.utils import formats
from django.utils.translation import gettext as _

from participation.report import ReportPart, ReportTable, day_bounds

from .models import Consultation, Reply, Statement, WeighingPoint

ORDER = 50


def consultations_in(start, end):
    """Consultations open at some moment of the period (opened before its end, not closed
    before its start)."""
    first, after = day_bounds(start, end)
    released = Q(statements__status=Statement.Status.SUBMITTED)
    return (
        Consultation.objects.filter(opened_at__lt=after)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first))
        .annotate(
            consulted=Count("organisations", distinct=True),
            released=Count(
                "statements", filter=released & Q(statements__no_statement=False), distinct=True
            ),
            declined=Count(
                "statements", filter=released & Q(statements__no_statement=True), distinct=True
            ),
            versions=Count("publications", distinct=True),
            last_published=Max("publications__published_at"),
        )
        .order_by("opened_at", "pk")
    )


def summary(*, start, end):
    consultations = list(consultations_in(start, end))
    replies = {}
    for row in (
        WeighingPoint.objects.filter(answer__response__consultation__in=consultations)
        .values("answer__response__consultation", "reply")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        replies.setdefault(row["answer__response__consultation"], {})[row["reply"]] = row["n"]
    rows = []
    for consultation in consultations:
        counts = replies.get(consultation.pk, {})
        rows.append(
            [
                consultation.title,
                formats.date_format(consultation.deadline, "d.m.Y")
                if consultation.deadline
                else "–",
                consultation.consulted,
                consultation.released,
                consultation.declined,
                consultation.consulted - consultation.released - consultation.declined,
                sum(counts.values()),
                counts.get(Reply.ADOPTED, 0) + counts.get(Reply.PARTLY_ADOPTED, 0),
                counts.get(Reply.NOT_ADOPTED, 0),
                _("version %(version)s on %(date)s")
                % {
                    "version": consultation.versions,
                    "date": formats.date_format(consultation.last_published, "d.m.Y"),
                }
                if consultation.versions
                else _("not yet"),
            ]
        )
    paragraphs = [
        _(
            "%(count)s consultations were open in the period; %(released)s of %(asked)s "
            "statements asked for were released, %(declined)s organisations declared that "
            "they give none."
        )
        % {
            "count": len(consultations),
            "released": sum(c.released for c in consultations),
            "asked": sum(c.consulted for c in consultations),
            "declined": sum(c.declined for c in consultations),
        }
        if consultations
        else _("No consultation was open in the period.")
    ]
    tables = (
        [
            ReportTable(
                caption=_("Consultations and their outcome"),
                header=[
                    _("Consultation"),
                    _("Deadline"),
                    _("Organisations asked"),
                    _("Statements released"),
                    _("No statement declared"),
                    _("No answer"),
                    _("Points weighed"),
                    _("Adopted in whole or part"),
                    _("Not adopted"),
                    _("Result published"),
                ],
                rows=rows,
                numeric=(2, 3, 4, 5, 6, 7, 8),
                sheet=_("Consultations"),
            )
        ]
        if rows
        else []
    )
    return [
        ReportPart(
            key="consultations",
            heading=_("Consultations"),
            order=ORDER,
            paragraphs=paragraphs,
            tables=tables,
        )
    ]
