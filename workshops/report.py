"""The workshops' part of the committee report (see `participation.report` for the contract):
the workshops held in the period with their invited, accepted and checked-in participants,
and in short what their live sessions produced: per activity its kind and how many
contributions (cards, questions, votes, answers, mood entries) it collected. A fixed number
of queries whatever the number of workshops and activities."""

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.models import EventStatus, Reply
from participation.report import ReportBar, ReportChart, ReportPart, ReportTable, day_bounds

from .live.models import Activity, Card, DotVote, LiveParticipant, MoodEntry, PollAnswer, Question
from .models import Workshop

ORDER = 30
CONTRIBUTIONS = (Card, Question, DotVote, PollAnswer, MoodEntry)


def held_workshops(start, end):
    """Workshops of the period that took place: published or done, begun by now."""
    first, after = day_bounds(start, end)
    return (
        Workshop.objects.filter(start__gte=first, start__lt=min(after, timezone.now()))
        .filter(status__in=[EventStatus.PUBLISHED, EventStatus.DONE])
        .annotate(
            invited=Count("invitations", distinct=True),
            accepted=Count(
                "invitations",
                filter=Q(invitations__reply=Reply.ACCEPTED, invitations__waitlisted_at=None),
                distinct=True,
            ),
            checked_in=Count(
                "invitations", filter=Q(invitations__checked_in_at__isnull=False), distinct=True
            ),
        )
        .order_by("start", "pk")
    )


def _contributions(activity_ids):
    counts = {}
    for model in CONTRIBUTIONS:
        for row in (
            model.objects.filter(activity__in=activity_ids)
            .values("activity_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[row["activity_id"]] = counts.get(row["activity_id"], 0) + row["n"]
    return counts


def summary(*, start, end):
    workshops = list(held_workshops(start, end))
    ids = [workshop.pk for workshop in workshops]
    live = dict(
        LiveParticipant.objects.filter(session__workshop__in=ids, removed_at=None)
        .values_list("session__workshop_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    activities = list(
        Activity.objects.filter(session__workshop__in=ids)
        .exclude(status=Activity.Status.DRAFT)
        .select_related("session")
        .order_by("session__workshop__start", "session__workshop_id", "position", "pk")
    )
    contributions = _contributions([activity.pk for activity in activities])
    titles = {workshop.pk: workshop.title for workshop in workshops}

    checked_in = sum(workshop.checked_in for workshop in workshops)
    paragraphs = [
        _(
            "Workshops held: %(workshops)s. Participants checked in: %(checked_in)s. "
            "Activities in the live sessions: %(activities)s."
        )
        % {
            "workshops": len(workshops),
            "checked_in": checked_in,
            "activities": len(activities),
        }
    ]
    tables = [
        ReportTable(
            caption=_("Workshops held"),
            header=[
                _("Date"),
                _("Workshop"),
                _("Invited"),
                _("Accepted"),
                _("Checked in"),
                _("In the live session"),
            ],
            rows=[
                [
                    formats.date_format(timezone.localtime(workshop.start), "d.m.Y"),
                    workshop.title,
                    workshop.invited,
                    workshop.accepted,
                    workshop.checked_in,
                    live.get(workshop.pk, 0),
                ]
                for workshop in workshops
            ],
            numeric=(2, 3, 4, 5),
            sheet=_("Workshops"),
        ),
        ReportTable(
            caption=_("Live-session results in short"),
            header=[_("Workshop"), _("Activity"), _("Kind"), _("Contributions")],
            rows=[
                [
                    titles[activity.session.workshop_id],
                    activity.title,
                    activity.get_kind_display(),
                    contributions.get(activity.pk, 0),
                ]
                for activity in activities
            ],
            numeric=(3,),
            sheet=_("Live sessions"),
        ),
    ]
    charts = []
    if workshops:
        charts.append(
            ReportChart(
                title=_("Participants checked in per workshop"),
                text=_("Participants checked in: %(list)s.")
                % {
                    "list": "; ".join(
                        f"{workshop.title} {workshop.checked_in}" for workshop in workshops
                    )
                },
                bars=[ReportBar(workshop.title, workshop.checked_in) for workshop in workshops],
            )
        )
    return [
        ReportPart(
            key="workshops",
            heading=_("Workshops"),
            order=ORDER,
            paragraphs=paragraphs,
            tables=tables,
            charts=charts,
        )
    ]
