"""Who may see which meeting records, and the reads the pages share.

- coordinators see and change everything;
- a signed-in member sees the series, meetings, decisions and tasks of the bodies they
  currently sit in (`participation.selectors.visible_bodies`), and besides the tasks they or
  their organisations own (an owner need not sit in the body: a colleague of a represented
  organisation may own one), and changes nothing.
Everything else answers 404."""

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from participation.events.selectors import invitations_of
from participation.models import (
    BodyMembership,
    EventStatus,
    Membership,
    Organisation,
    Person,
    Reply,
)
from participation.selectors import (
    get_or_404,
    is_coordinator,
    own_organisation_ids,
    visible_bodies,
)

from .models import (
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingSeries,
    MinutesStatus,
    Task,
    TaskStatus,
)


def _guard(user, write):
    if write and not is_coordinator(user):
        raise Http404


def visible_series(user):
    return MeetingSeries.objects.filter(body__in=visible_bodies(user)).select_related("body")


def visible_meetings(user):
    return Meeting.objects.filter(series__body__in=visible_bodies(user)).select_related(
        "series__body"
    )


def visible_decisions(user):
    return Decision.objects.filter(body__in=visible_bodies(user)).select_related("body", "meeting")


def owned_by(user):
    """Tasks the user owns (as their registry person) or one of their organisations owns."""
    return Q(owner_person__user=user) | Q(owner_organisation__in=own_organisation_ids(user))


def task_update_right(user):
    """Who sets a task's status: coordinators, and its owner (the person, or a member of
    the owning organisation), who has agreed to do it."""
    if is_coordinator(user):
        return Q(pk__isnull=False)
    return owned_by(user)


def with_update_right(tasks, user):
    """Each task with `may_update`: whether the user may set its status."""
    return tasks.annotate(may_update=ExpressionWrapper(task_update_right(user), BooleanField()))


def visible_tasks(user):
    """The tasks of the user's bodies and those they or their organisations own, each with
    `meeting_visible` (whether the user may open the task's meeting) and `may_update`."""
    tasks = Task.objects.select_related(
        "meeting__series__body", "decision", "owner_person", "owner_organisation"
    )
    if is_coordinator(user):
        return with_update_right(tasks, user).annotate(
            meeting_visible=ExpressionWrapper(Q(pk__isnull=False), BooleanField())
        )
    if not user.is_authenticated:
        return tasks.none()
    of_bodies = Q(meeting__series__body__in=visible_bodies(user))
    return with_update_right(tasks.filter(of_bodies | owned_by(user)), user).annotate(
        meeting_visible=ExpressionWrapper(of_bodies, BooleanField())
    )


def get_task_to_update(user, pk):
    """A task whose status the user may set (see `task_update_right`), else 404."""
    if not user.is_authenticated:
        raise Http404
    return get_or_404(visible_tasks(user).filter(task_update_right(user)), pk)


def get_series_for_user(user, pk, *, write=False):
    _guard(user, write)
    return get_or_404(visible_series(user), pk)


def get_meeting_for_user(user, pk, *, write=False):
    _guard(user, write)
    return get_or_404(visible_meetings(user), pk)


def get_decision_for_user(user, pk, *, write=False):
    _guard(user, write)
    return get_or_404(visible_decisions(user), pk)


def get_task_for_user(user, pk, *, write=False):
    _guard(user, write)
    return get_or_404(visible_tasks(user), pk)


def get_body_for_user(user, pk):
    return get_or_404(visible_bodies(user), pk)


def may_read_minutes(user, meeting, record) -> bool:
    """Who reads a meeting's minutes (each item's text and outcome, and the attendance),
    the same on the page and over the API, among those who see the meeting: coordinators
    always; draft minutes nobody else; circulated minutes the meeting's attendees (present
    or represented, to whom they went) and its invitees, for their corrections; approved
    minutes every member of the body."""
    if is_coordinator(user):
        return True
    if record is None or record.status == MinutesStatus.DRAFT:
        return False
    if record.status == MinutesStatus.APPROVED:
        return True
    attended = meeting.attendance.filter(
        person__user=user, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY]
    )
    invited = invitations_of(meeting).filter(person__user=user, informed=False)
    return attended.exists() or invited.exists()


# --- reads for pages -------------------------------------------------------------------------


def occurrences(series):
    return series.meetings.order_by("start", "pk")


def next_meeting(series, *, now=None):
    """The series' next meeting that takes place (not cancelled), or None."""
    now = now or timezone.now()
    return (
        series.meetings.filter(end__gte=now).exclude(status="cancelled").order_by("start").first()
    )


def carried_tasks(meeting):
    """Open tasks of the series' earlier meetings: what the agenda of `meeting` lists under
    "Offene Aufgaben" until they are done."""
    return (
        Task.objects.filter(
            meeting__series_id=meeting.series_id, meeting__recurrence_id__lt=meeting.recurrence_id
        )
        .exclude(status=TaskStatus.DONE)
        .select_related("meeting__series__body", "decision", "owner_person", "owner_organisation")
        .order_by("due_date", "pk")
    )


def person_may_own(body, person, *, on=None) -> bool:
    """Whoever holds a current seat in the body, or currently belongs to an organisation one
    of its seats represents."""
    seats = BodyMembership.objects.current(on).filter(body=body)
    if seats.filter(person=person).exists():
        return True
    return (
        Membership.objects.current(on)
        .filter(person=person, organisation_id__in=seats.values("represents_id"))
        .exists()
    )


def organisation_may_own(body, organisation, *, on=None) -> bool:
    """An organisation a current seat of the body represents, or that a seat holder belongs to."""
    seats = BodyMembership.objects.current(on).filter(body=body)
    if seats.filter(represents=organisation).exists():
        return True
    return (
        Membership.objects.current(on)
        .filter(organisation=organisation, person_id__in=seats.values("person_id"))
        .exists()
    )


def owner_choices(body):
    """People and organisations that may own a task of the body, for the form's lists."""
    seats = BodyMembership.objects.current().filter(body=body)
    represented = seats.exclude(represents=None).values("represents_id")
    seat_people = seats.values("person_id")
    people = Person.objects.filter(
        Q(pk__in=seat_people)
        | Q(
            pk__in=Membership.objects.current()
            .filter(organisation_id__in=represented)
            .values("person_id")
        )
    ).distinct()
    organisations = Organisation.objects.filter(
        Q(pk__in=represented)
        | Q(
            pk__in=Membership.objects.current()
            .filter(person_id__in=seat_people)
            .values("organisation_id")
        )
    ).distinct()
    return people, organisations


def task_list(user, *, body=None, status=None, owner=None, today=None):
    """The tasks the list page shows. `status`: "undone", "overdue" (not done and due before
    today), "all" or one of TaskStatus; `owner`: "mine" for the user's own and their
    organisations' tasks. The home page counts through the same filters."""
    tasks = visible_tasks(user)
    if body is not None:
        tasks = tasks.filter(meeting__series__body=body)
    if status == "undone":
        tasks = tasks.exclude(status=TaskStatus.DONE)
    elif status == "overdue":
        tasks = tasks.exclude(status=TaskStatus.DONE).filter(
            due_date__lt=today or timezone.localdate()
        )
    elif status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    if owner == "mine":
        tasks = tasks.filter(owned_by(user))
    return tasks.order_by("due_date", "pk")


def upcoming_meetings(user, *, now, until, bodies=None):
    """Meetings that are not cancelled and not over, starting before `until`, soonest
    first. With `bodies` (ids or a subquery) only the next one of each series of those
    bodies. One query."""
    meetings = (
        visible_meetings(user)
        .filter(end__gte=now, start__lt=until)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("start", "pk")
    )
    if bodies is not None:
        first_of_series = meetings.filter(series=OuterRef("series")).values("pk")[:1]
        meetings = meetings.filter(series__body__in=bodies, pk=Subquery(first_of_series))
    return meetings


def meeting_invitations(meeting, *, reply=None):
    """A meeting's invitations, optionally only one reply ("none" for no reply yet)."""
    invitations = (
        invitations_of(meeting)
        .select_related("organisation", "reply_recorded_by", "deputy_for")
        .order_by("name", "email")
    )
    if reply == "none":
        return invitations.filter(reply=Reply.NONE)
    if reply in Reply.values:
        return invitations.filter(reply=reply)
    return invitations


def replies_by_email(meeting):
    """The meeting's invitations by lower-cased e-mail address, each with `sent_deputies`:
    the deputies invited in its place (for the attendance page's hints)."""
    invitations = list(meeting_invitations(meeting))
    for invitation in invitations:
        invitation.sent_deputies = [
            other.name or other.email
            for other in invitations
            if other.deputy_for_id == invitation.pk and not other.informed
        ]
    return {invitation.email.lower(): invitation for invitation in invitations}
