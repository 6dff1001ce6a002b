"""The worker's entry point (Celery's autodiscovery imports `<app>.tasks`): the task lives
beside the service it runs; importing it here registers it in the worker. Nothing else
imports this module."""

from . import report_jobs  # noqa: F401
