"""Celery finds a task by its registered name: tasks already waiting in Redis and the beat
schedule django-celery-beat keeps in the database name them. Moving code must not rename
them."""

from django.conf import settings

from config.celery import app

REGISTERED = {
    "participation.tasks.deliver_mail",
    "participation.tasks.deliver_mails",
    "participation.tasks.resume_unsent",
    "participation.tasks.send_invitation_message",
    "participation.tasks.send_invitation_messages",
    "participation.tasks.send_invitation_reminders",
    "participation.tasks.purge_expired",
    "participation.privacy.build_data_export",
    "participation.privacy.tend_data_exports",
    "meetings.tasks.generate_occurrences",
    "meetings.tasks.send_task_reminders",
    "meetings.tasks.send_overdue_digests",
    "meetings.tasks.send_poll_reminders",
    "surveys.tasks.send_due_reminders",
    "consultations.tasks.send_due_reminders",
    "consultations.tasks.close_ended",
    "monitoring.tasks.send_due_reminders",
    "overview.tasks.build_committee_report",
    "overview.tasks.build_waiting_reports",
}


def _project_tasks():
    # What the worker does at start: import every installed app's tasks module.
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_task_names_stay_registered_as_before():
    assert _project_tasks() == REGISTERED


def test_beat_schedule_names_registered_tasks():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= _project_tasks()
