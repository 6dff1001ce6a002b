"""The worker's entry point (Celery's autodiscovery imports `<app>.tasks`): the tasks live
beside the services they run; importing them here registers them in the worker. Nothing
else imports this module."""

# services: meetings.tasks.generate_occurrences; task_links: the task reminders and digest;
# polls: the date polls' reminders before their answer-by date.
from . import polls, services, task_links  # noqa: F401
