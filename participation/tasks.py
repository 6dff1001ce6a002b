from celery import bootsteps, shared_task
from celery.signals import worker_init
from django.conf import settings

from . import invitation_reminders, invitations, mail

MAX_BACKOFF_SECONDS = 600


def _last_attempt(task) -> bool:
    """After MAIL_SEND_RETRIES retries a transient error is final: the mail is recorded as
    failed with the reason, so the coordinator sees it and can send it again. An inline run
    (no worker) must not retry inside the user's request: it has one attempt."""
    return task.request.is_eager or task.request.retries >= settings.MAIL_SEND_RETRIES


def _retry(task, error):
    countdown = min(MAX_BACKOFF_SECONDS, settings.MAIL_RETRY_SECONDS * 2**task.request.retries)
    return task.retry(exc=error, countdown=countdown, max_retries=settings.MAIL_SEND_RETRIES)


@shared_task(name="participation.tasks.deliver_mail", bind=True, acks_late=True)
def deliver_mail(self, mail_id):
    try:
        return mail.deliver(mail_id, last_attempt=_last_attempt(self))
    except mail.TRANSIENT_ERRORS as error:
        raise _retry(self, error) from error


@shared_task(name="participation.tasks.send_invitation_message", bind=True, acks_late=True)
def send_invitation_message(self, invitation_id, purpose, key):
    try:
        return invitations.deliver_message(
            invitation_id, purpose, key, last_attempt=_last_attempt(self)
        )
    except mail.TRANSIENT_ERRORS as error:
        raise _retry(self, error) from error


@shared_task(name="participation.tasks.resume_unsent")
def resume_unsent():
    return invitations.resume_unsent()


class ResumeOnConnect(bootsteps.StartStopStep):
    """Each time the worker (re)connects to the broker, it queues again what the database
    says is unsent: a worker killed mid-batch leaves tasks Redis returns only after an hour,
    and requests made while the broker was down could not queue theirs at all."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        resume_unsent.delay()


@worker_init.connect
def _add_resume_step(sender, **kwargs):
    sender.app.steps["consumer"].add(ResumeOnConnect)


@shared_task(name="participation.tasks.send_invitation_reminders")
def send_invitation_reminders():
    return invitation_reminders.send_due_reminders()
