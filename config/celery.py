import logging.config
import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("mitplanen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """The worker and beat log through Django's LOGGING, with its redaction filter, instead
    of Celery's own handlers (which would write task arguments and errors unfiltered)."""
    from django.conf import settings  # noqa: PLC0415 - read when the worker starts, not on import

    logging.config.dictConfig(settings.LOGGING)


@task_prerun.connect
@task_postrun.connect
def keep_usable_database_connections(sender=None, **kwargs):
    """Before and after each task, what Django does before and after each request: drop a
    database connection that is older than CONN_MAX_AGE, or broke, and check a kept one
    before its next use (CONN_HEALTH_CHECKS), so that a restarted PostgreSQL costs no task
    an attempt. Celery's Django fixup would close the connection around every task instead
    (a new PostgreSQL session per task, its catalogue read afresh); CELERY_DB_REUSE_MAX
    keeps it from doing so. An inline (eager) task runs inside its caller's request or
    transaction and leaves the connection to it."""
    if getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections  # noqa: PLC0415 - Django is set up by now

    close_old_connections()
