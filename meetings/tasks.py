"""The worker's entry point (Celery's autodiscovery imports `<app>.tasks`): the tasks live
beside the services they run; importing them here registers them in the worker. Nothing
else imports this module."""

from . import services  # noqa: F401  (registers meetings.tasks.generate_occurrences)
