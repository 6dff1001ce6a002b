"""The surveys' part of the committee report (see `participation.report` for the contract):
the surveys open during the period with how many organisations were asked and answered
(the response rate), and the response rate per municipality across those surveys, with a
chart and its data table. Three queries whatever the number of surveys and organisations."""

from django.db.models import Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _

from participation.models import OrganisationKind
from participation.report import ReportBar, ReportChart, ReportPart, ReportTable, percent

from .models import Response, Survey
from .progress import audience_counts

ORDER = 40


def surveys_in_period(start, end):
    """Published or closed surveys whose answering time touches the period (an open end or
    start counts as touching)."""
    return (
        Survey.objects.exclude(status=Survey.Status.DRAFT)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=end))
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=start))
        .filter(created_at__date__lte=end)
        .order_by("deadline", "title", "pk")
    )


def _date(value):
    return formats.date_format(value, "d.m.Y") if value else "–"


def summary(*, start, end):
    surveys = list(surveys_in_period(start, end))
    counts = audience_counts([survey.pk for survey in surveys], today=end)
    submitted = Response.objects.filter(
        survey=OuterRef("survey_id"),
        organisation=OuterRef("organisation_id"),
        status=Response.Status.SUBMITTED,
    )
    per_municipality = {}
    for name, answered in (
        Survey.audience.through.objects.filter(
            survey__in=[survey.pk for survey in surveys],
            organisation__kind=OrganisationKind.MUNICIPALITY,
        )
        .annotate(answered=Exists(submitted))
        .values_list("organisation__name", "answered")
        .order_by("organisation__name")
    ):
        asked_answered = per_municipality.setdefault(name, [0, 0])
        asked_answered[0] += 1
        asked_answered[1] += int(answered)

    asked = sum(counts.get(survey.pk, {}).get("asked", 0) for survey in surveys)
    answered = sum(counts.get(survey.pk, {}).get("submitted", 0) for survey in surveys)
    paragraphs = [
        _(
            "Surveys open in the period: %(surveys)s. Responses submitted: %(answered)s of "
            "%(asked)s requested (%(rate)s)."
        )
        % {
            "surveys": len(surveys),
            "answered": answered,
            "asked": asked,
            "rate": percent(answered, asked),
        }
    ]
    survey_rows = []
    for survey in surveys:
        row = counts.get(survey.pk, {"asked": 0, "submitted": 0})
        survey_rows.append(
            [
                survey.title,
                survey.get_status_display(),
                _date(survey.deadline),
                row["asked"],
                row["submitted"],
                percent(row["submitted"], row["asked"]),
            ]
        )
    tables = [
        ReportTable(
            caption=_("Surveys and their response rates"),
            header=[
                _("Survey"),
                _("Status"),
                _("Deadline"),
                _("Asked"),
                _("Submitted"),
                _("Response rate"),
            ],
            rows=survey_rows,
            numeric=(3, 4),
            sheet=_("Surveys"),
        ),
        ReportTable(
            caption=_("Response rates per municipality"),
            header=[_("Municipality"), _("Surveys asked"), _("Submitted"), _("Response rate")],
            rows=[
                [name, counted[0], counted[1], percent(counted[1], counted[0])]
                for name, counted in per_municipality.items()
            ],
            numeric=(1, 2),
            sheet=_("Municipalities"),
        ),
    ]
    charts = []
    if per_municipality:
        charts.append(
            ReportChart(
                title=_("Responses submitted per municipality"),
                text=_("Responses submitted per municipality: %(list)s.")
                % {
                    "list": "; ".join(
                        _("%(name)s %(answered)s of %(asked)s")
                        % {"name": name, "answered": counted[1], "asked": counted[0]}
                        for name, counted in per_municipality.items()
                    )
                },
                bars=[ReportBar(name, counted[1]) for name, counted in per_municipality.items()],
            )
        )
    return [
        ReportPart(
            key="surveys",
            heading=_("Surveys"),
            order=ORDER,
            paragraphs=paragraphs,
            tables=tables,
            charts=charts,
        )
    ]
