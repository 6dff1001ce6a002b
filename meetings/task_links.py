"""Tasks for owners without an account: the owner's personal link (mailed when a task is
created or handed to them; it shows the task and sets its status, nothing else), the
reminder a few days before the due date and the weekly digest of overdue tasks.

Each reminder and digest line is held by a `TaskNotice` row (task, kind, key date) that
the database accepts once: the row is written in the same transaction as the mail, so a
second run, or a second worker at the same moment, finds it and sends nothing."""

import datetime
from collections import defaultdict

from auditlog.context import set_actor
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import mail, personal_links
from participation.audit import record_action

from .models import Task, TaskLink, TaskNotice, TaskStatus

SESSION_KEY = "meeting_task_links"
LINK_SCOPE = "meeting-task-link"


def link_url(raw_token) -> str:
    return settings.SITE_URL + reverse("meetings:task_link_open", args=[raw_token])


def _issue(task) -> str:
    _link, raw = personal_links.issue(TaskLink, task=task, person=task.owner_person)
    return link_url(raw)


def owner_assigned(task, *, previous_owner_id, actor) -> None:
    """After a task was saved: when it is new or has a new person as owner, the links of
    anyone else end and the owner gets a mail with their personal link."""
    if task.owner_person_id == previous_owner_id:
        return
    for link in TaskLink.objects.filter(task=task, revoked_at=None).exclude(
        person_id=task.owner_person_id
    ):
        personal_links.revoke(link, actor=actor)
    owner = task.owner_person
    if owner is None or not owner.email:
        return
    mail.send_templated_mail(
        "meetings/mail/task_assigned",
        to=owner.email,
        context={"task": task, "person": owner, "link": _issue(task)},
        language=owner.language,
    )


def revoke_links(task, *, actor) -> int:
    """End every personal link of the task at once; returns how many."""
    links = list(TaskLink.objects.filter(task=task, revoked_at=None))
    for link in links:
        personal_links.revoke(link, actor=actor)
    return len(links)


def send_new_link(task, *, actor) -> bool:
    """Revoke the task's links and mail the owner a new one (a lost or forwarded link)."""
    owner = task.owner_person
    if owner is None or not owner.email:
        return False
    with transaction.atomic():
        revoke_links(task, actor=actor)
        mail.send_templated_mail(
            "meetings/mail/task_assigned",
            to=owner.email,
            context={"task": task, "person": owner, "link": _issue(task)},
            language=owner.language,
        )
        record_action(task, actor=actor, changes={"personal_link": ["", owner.email]})
    return True


# --- the link page ---------------------------------------------------------------------------


def _links():
    return TaskLink.objects.select_related("task__meeting__series__body", "person")


def open_task_link(request, raw_token):
    """The link for a visitor's browser (rate-limited per client address, raises
    personal_links.RateLimited), remembered in the session; None for every bad token."""
    link = personal_links.open_link(
        request, _links(), raw_token, scope=LINK_SCOPE, limit=settings.INVITATION_LINK_RATE_LIMIT
    )
    if link is not None:
        personal_links.remember_in_session(request, SESSION_KEY, link.pk)
    return link


def link_from_session(request, pk, *, now=None):
    """The link only if this visitor opened it and it still works."""
    if pk not in personal_links.held_in_session(request.session, SESSION_KEY):
        return None
    link = _links().filter(pk=pk).first()
    if link is None or not link.link_usable(now=now or timezone.now()):
        return None
    return link


def set_status_by_link(link, status) -> Task:
    """The owner sets the status through their link; the audit names them."""
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose open, in progress or done.")})
    task = link.task
    with transaction.atomic(), set_actor(None):
        before = task.status
        task.status = status
        task.done_at = (task.done_at or timezone.now()) if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "done_at", "updated_at"])
        record_action(
            task,
            actor=None,
            changes={"status_by_personal_link": [before, f"{status} ({link.person})"]},
        )
    return task


# --- reminders and the weekly digest -----------------------------------------------------------


def _claim(task, kind, key_date) -> bool:
    """Write the notice row; False when it exists (sent before, or by a worker right now)."""
    try:
        with transaction.atomic():
            TaskNotice.objects.create(task=task, kind=kind, key_date=key_date)
    except IntegrityError:
        return False
    return True


def _undone_person_tasks():
    return (
        Task.objects.exclude(status=TaskStatus.DONE)
        .exclude(owner_person=None)
        .exclude(owner_person__email="")
        .select_related("owner_person", "meeting__series__body")
        .order_by("due_date", "pk")
    )


def send_reminders(*, today=None) -> int:
    """Remind the owner of every undone task due within the next days (once per task and
    due date; a task moved to a later date is reminded again). Returns mails queued."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.MEETINGS_TASK_REMINDER_DAYS)
    sent = 0
    for task in _undone_person_tasks().filter(due_date__gte=today, due_date__lte=horizon):
        owner = task.owner_person
        with transaction.atomic():
            if not _claim(task, TaskNotice.Kind.REMINDER, task.due_date):
                continue
            mail.send_templated_mail(
                "meetings/mail/task_reminder",
                to=owner.email,
                context={"task": task, "person": owner, "link": _issue(task)},
                language=owner.language,
            )
        sent += 1
    return sent


def send_overdue_digests(*, today=None) -> int:
    """One mail per owner listing their overdue tasks not yet in this week's digest.
    Returns mails queued."""
    today = today or timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    by_owner = defaultdict(list)
    for task in _undone_person_tasks().filter(due_date__lt=today):
        by_owner[task.owner_person].append(task)
    sent = 0
    for owner, tasks in by_owner.items():
        with transaction.atomic():
            claimed = [task for task in tasks if _claim(task, TaskNotice.Kind.OVERDUE, week)]
            if not claimed:
                continue
            lines = [(task, _issue(task)) for task in claimed]
            mail.send_templated_mail(
                "meetings/mail/task_overdue",
                to=owner.email,
                context={"lines": lines, "person": owner},
                language=owner.language,
            )
        sent += 1
    return sent


# The names are the ones the stored beat schedule carries.
@shared_task(name="meetings.tasks.send_task_reminders")
def send_task_reminders_task():
    """Daily (beat): remind owners of tasks due in the next days, once per task."""
    return send_reminders()


@shared_task(name="meetings.tasks.send_overdue_digests")
def send_overdue_digests_task():
    """Weekly (beat): each owner's digest of overdue tasks, once per week."""
    return send_overdue_digests()
