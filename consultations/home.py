"""The consultations' lines on the home page (see `participation.home` for the contract).

Members: the statements their organisations still have to give (open consultations, not
released nor declared as none), with the organisation's deadline, linking to the statement
(or the consultation, before anyone started), and the results published in the last weeks
of consultations they took part in. Coordinators: every open consultation, soonest
deadline first, with how many statements are missing, the number linking to the
consultation's progress filtered to exactly those organisations; and the closed ones whose
result is not published yet, linking to their weighing table."""

import datetime

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeItem, HomeSection, Severity
from participation.selectors import own_organisation_ids

from .models import Consultation, Statement
from .selectors import Progress

SOON = datetime.timedelta(days=7)
# Published results stay on a member's home page this long.
RECENT_RESULTS = datetime.timedelta(days=60)


def _severity(deadline, *, today):
    if deadline is not None and today > deadline:
        return Severity.DANGER
    if deadline is not None and deadline - today <= SOON:
        return Severity.WARNING
    return Severity.INFO


def for_member(user, *, today):
    pairs = list(
        Consultation.organisations.through.objects.filter(
            organisation__in=own_organisation_ids(user),
            consultation__status=Consultation.Status.OPEN,
        )
        .select_related("consultation", "organisation")
        .order_by("consultation__deadline", "consultation__title", "organisation__name")
    )
    statements = {
        (s.consultation_id, s.organisation_id): s
        for s in Statement.objects.filter(
            consultation__in={p.consultation_id for p in pairs},
            organisation__in={p.organisation_id for p in pairs},
        )
    }
    items = []
    for pair in pairs:
        statement = statements.get((pair.consultation_id, pair.organisation_id))
        if statement is not None and statement.status == Statement.Status.SUBMITTED:
            continue
        deadline = (statement and statement.deadline_extended_to) or pair.consultation.deadline
        if deadline is not None and today > deadline:
            continue  # no longer accepted: nothing to do
        started = statement is not None and statement.last_activity_at is not None
        items.append(
            HomeItem(
                title=pair.consultation.title,
                url=(statement or pair.consultation).get_absolute_url(),
                detail=_("Statement of %(organisation)s: %(state)s")
                % {
                    "organisation": pair.organisation,
                    "state": _("in progress") if started else _("not started"),
                },
                deadline=deadline,
                state="in_progress" if started else "not_started",
                severity=_severity(deadline, today=today),
            )
        )
    return [
        HomeSection(
            key="consultations",
            heading=_("Statements to give"),
            order=15,
            items=items,
            empty_text=_("No consultation waits for your organisation's statement."),
        ),
        *_recent_results(user, today=today),
    ]


def _recent_results(user, *, today):
    """Results published lately of consultations the user's organisations were asked in;
    no section at all when there is none."""
    consultations = (
        Consultation.objects.filter(
            organisations__in=own_organisation_ids(user),
            publications__published_at__date__gte=today - RECENT_RESULTS,
        )
        .annotate(last_published=Max("publications__published_at"))
        .distinct()
        .order_by("-last_published", "pk")
    )
    items = [
        HomeItem(
            title=consultation.title,
            url=reverse("consultations:result", args=[consultation.pk]),
            detail=_("Result published on %(date)s: your statement with the responses.")
            % {"date": formats.date_format(consultation.last_published.date(), "d.m.Y")},
            date=consultation.last_published,
            state="published",
            severity=Severity.INFO,
        )
        for consultation in consultations
    ]
    if not items:
        return []
    return [
        HomeSection(
            key="consultation-results",
            heading=_("Results of consultations"),
            order=16,
            items=items,
            empty_text="",
        )
    ]


def for_coordinator(user, *, today):
    consultations = list(
        Consultation.objects.filter(status=Consultation.Status.OPEN)
        .annotate(
            consulted=Count("organisations", distinct=True),
            released=Count(
                "statements",
                filter=Q(statements__status=Statement.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("deadline", "title", "pk")
    )
    items = []
    for consultation in consultations:
        missing = consultation.consulted - consultation.released
        page = consultation.get_absolute_url()
        overdue = consultation.deadline is not None and today > consultation.deadline
        items.append(
            HomeItem(
                title=consultation.title,
                url=page,
                detail=_("%(released)s of %(consulted)s organisations have answered.")
                % {"released": consultation.released, "consulted": consultation.consulted},
                deadline=consultation.deadline,
                state="overdue" if overdue else "open",
                severity=_severity(consultation.deadline, today=today),
                counts=[
                    HomeCount(
                        _("answered"),
                        consultation.released,
                        f"{page}?state={Progress.ANSWERED}",
                        Severity.SUCCESS,
                    ),
                    HomeCount(
                        _("missing"),
                        missing,
                        f"{page}?state={Progress.MISSING}",
                        Severity.WARNING if missing else Severity.SUCCESS,
                    ),
                ],
            )
        )
    unpublished = Consultation.objects.filter(
        status=Consultation.Status.CLOSED, publications=None
    ).order_by("deadline", "title", "pk")
    items += [
        HomeItem(
            title=consultation.title,
            url=reverse("consultations:weighing", args=[consultation.pk]),
            detail=_("Closed; the weighing table is not published yet."),
            deadline=consultation.deadline,
            state="weighing",
            severity=Severity.WARNING,
        )
        for consultation in unpublished
    ]
    return [
        HomeSection(
            key="consultations",
            heading=_("Consultations"),
            order=15,
            items=items,
            empty_text=_("No consultation is open or waiting for its result."),
        )
    ]
