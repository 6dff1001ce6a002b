import logging.config
import os

from celery import Celery
from celery.signals import setup_logging

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
