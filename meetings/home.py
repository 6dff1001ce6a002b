"""The meetings' lines on the home page (see `participation.home` for the contract).

Coordinators: the meetings of the coming weeks (not cancelled) with their body and, once
invitations are out, the replies, each number linking to the meeting's invitations filtered
the same way; and how many tasks are open and overdue, linking to the task list filtered to
exactly those. Members: the tasks they or their organisations own that are not done, linking
to the task list filtered to them, and the next meeting of each series of the bodies they
sit in. A fixed number of queries whatever the number of meetings and tasks."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeItem, HomeSection, Severity
from participation.models import Invitation, Reply
from participation.selectors import own_body_ids

from . import selectors
from .models import Meeting, TaskStatus

COMING_WEEKS = 6
MEMBER_WEEKS = 8
# A due date this close makes a task stand out.
SOON = datetime.timedelta(days=7)


def _start_of(today):
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def _when(meeting):
    return formats.date_format(timezone.localtime(meeting.start), "SHORT_DATETIME_FORMAT")


def _body_unless_named(meeting):
    """The body's name, unless the meeting's title says it already."""
    body = meeting.series.body.name
    return [] if body == meeting.title else [body]


def _tasks_url(**query):
    return reverse("meetings:task_list") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _meeting_counts(meeting):
    url = meeting.get_absolute_url()
    return [
        HomeCount(
            _("accepted"),
            meeting.accepted,
            f"{url}?reply={Reply.ACCEPTED}#invitations",
            Severity.SUCCESS,
        ),
        HomeCount(_("tentative"), meeting.tentative, f"{url}?reply={Reply.TENTATIVE}#invitations"),
        HomeCount(_("declined"), meeting.declined, f"{url}?reply={Reply.DECLINED}#invitations"),
        HomeCount(
            _("no reply yet"),
            meeting.missing,
            f"{url}?reply=none#invitations",
            Severity.WARNING if meeting.missing else Severity.SUCCESS,
        ),
    ]


def for_coordinator(user, *, today):
    start = _start_of(today)
    meetings = list(
        selectors.upcoming_meetings(
            user, now=start, until=start + datetime.timedelta(weeks=COMING_WEEKS)
        ).annotate(
            accepted=Count("invitations", filter=Q(invitations__reply=Reply.ACCEPTED)),
            tentative=Count("invitations", filter=Q(invitations__reply=Reply.TENTATIVE)),
            declined=Count("invitations", filter=Q(invitations__reply=Reply.DECLINED)),
            missing=Count("invitations", filter=Q(invitations__reply=Reply.NONE)),
            invited=Count("invitations"),
        )
    )
    missing_by_meeting = {}
    for meeting_id, organisation in (
        Invitation.objects.filter(
            event_type=ContentType.objects.get_for_model(Meeting),
            event_id__in=[meeting.pk for meeting in meetings],
            reply=Reply.NONE,
            organisation__isnull=False,
        )
        .values_list("event_id", "organisation__name")
        .distinct()
        .order_by("event_id", "organisation__name")
    ):
        missing_by_meeting.setdefault(meeting_id, []).append(organisation)

    items = []
    for meeting in meetings:
        parts = [_when(meeting), *_body_unless_named(meeting)]
        if meeting.invited:
            parts.append(_("%(invited)s invited") % {"invited": meeting.invited})
        items.append(
            HomeItem(
                title=meeting.title,
                url=meeting.get_absolute_url(),
                detail=" · ".join(parts),
                date=meeting.start,
                state="missing_replies" if meeting.missing else "planned",
                severity=Severity.WARNING if meeting.missing else Severity.INFO,
                counts=_meeting_counts(meeting) if meeting.invited else [],
                names=missing_by_meeting.get(meeting.pk, []),
            )
        )

    tasks = selectors.visible_tasks(user).aggregate(
        undone=Count("pk", filter=~Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(due_date__lt=today)),
    )
    return [
        HomeSection(
            key="meetings",
            heading=_("Meetings and tasks"),
            order=30,
            items=items,
            counts=[
                HomeCount(_("open tasks"), tasks["undone"], _tasks_url(status="undone")),
                HomeCount(
                    _("overdue tasks"),
                    tasks["overdue"],
                    _tasks_url(status="overdue"),
                    Severity.DANGER if tasks["overdue"] else Severity.SUCCESS,
                ),
            ],
            empty_text=_("No meeting in the coming weeks."),
        )
    ]


def _task_severity(task, *, today):
    if task.due_date < today:
        return Severity.DANGER
    if task.due_date - today <= SOON:
        return Severity.WARNING
    return Severity.INFO


def for_member(user, *, today):
    """The user's and their organisations' tasks not done, and the next meeting of each
    series of the bodies they sit in."""
    tasks = list(selectors.task_list(user, status="undone", owner="mine", today=today))
    listed = _tasks_url(status="undone", owner="mine")
    overdue = sum(1 for task in tasks if task.due_date < today)
    task_items = [
        HomeItem(
            title=task.title,
            url=f"{listed}#task-{task.pk}",
            detail=" · ".join(
                (
                    _("Owner: %(owner)s") % {"owner": task.owner},
                    _("%(body)s, meeting of %(date)s")
                    % {
                        "body": task.meeting.series.body.name,
                        "date": formats.date_format(
                            timezone.localtime(task.meeting.start), "SHORT_DATE_FORMAT"
                        ),
                    },
                )
            ),
            deadline=task.due_date,
            state="overdue" if task.due_date < today else task.status,
            severity=_task_severity(task, today=today),
        )
        for task in tasks
    ]
    task_counts = []
    if tasks:
        task_counts = [
            HomeCount(_("open tasks"), len(tasks), listed),
            HomeCount(
                _("overdue"),
                overdue,
                _tasks_url(status="overdue", owner="mine"),
                Severity.DANGER if overdue else Severity.SUCCESS,
            ),
        ]

    start = _start_of(today)
    meetings = selectors.upcoming_meetings(
        user,
        now=max(start, timezone.now()),
        until=start + datetime.timedelta(weeks=MEMBER_WEEKS),
        bodies=own_body_ids(user),
    )
    meeting_items = [
        HomeItem(
            title=meeting.title,
            url=meeting.get_absolute_url(),
            detail=" · ".join(
                part
                for part in (_when(meeting), *_body_unless_named(meeting), meeting.venue_name)
                if part
            ),
            date=meeting.start,
            state="planned",
        )
        for meeting in meetings
    ]
    return [
        HomeSection(
            key="meeting_tasks",
            heading=_("Your tasks"),
            order=15,
            items=task_items,
            counts=task_counts,
            empty_text=_("Neither you nor your organisation has an open task from a meeting."),
        ),
        HomeSection(
            key="meetings",
            heading=_("Your next meetings"),
            order=30,
            items=meeting_items,
            empty_text=_("No meeting of your bodies in the coming weeks."),
        ),
    ]
