"""The worker's entry point (Celery's autodiscovery imports `<app>.tasks`): the tasks live
beside the services they run; importing them here registers them in the worker. Nothing
else imports this module."""

from celery import bootsteps
from celery.signals import worker_init

from . import (
    mail,  # noqa: F401  (registers participation.tasks.deliver_mail)
    purging,  # noqa: F401  (registers participation.tasks.purge_expired)
)
from .events import reminders  # noqa: F401  (registers ...send_invitation_reminders)
from .events.invitations import load_ahead, resume_unsent_task
from .privacy import exports  # noqa: F401  (registers ...build_data_export)


class ResumeOnConnect(bootsteps.StartStopStep):
    """Each time the worker (re)connects to the broker, it queues again what the database
    says is unsent: a worker killed mid-batch leaves tasks Redis returns only after an hour,
    and requests made while the broker was down could not queue theirs at all."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        resume_unsent_task.delay(grace_seconds=0)


@worker_init.connect
def _add_resume_step(sender, **kwargs):
    sender.app.steps["consumer"].add(ResumeOnConnect)
    load_ahead()
