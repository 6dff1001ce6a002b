from celery import shared_task
from celery.signals import worker_ready

from . import invitation_reminders, invitations, mail

MAX_BACKOFF_SECONDS = 600


@shared_task(bind=True, acks_late=True, max_retries=8)
def deliver_mail(self, mail_id):
    try:
        return mail.deliver(mail_id)
    except mail.TRANSIENT_ERRORS as error:
        if self.request.is_eager:
            # Inline runs (no worker) would retry at once, inside the user's request; the
            # message stays queued with its reason instead.
            return False
        countdown = min(MAX_BACKOFF_SECONDS, 10 * 2**self.request.retries)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(bind=True, acks_late=True, max_retries=8)
def send_invitation_message(self, invitation_id, purpose, key):
    try:
        return invitations.deliver_message(invitation_id, purpose, key)
    except mail.TRANSIENT_ERRORS as error:
        if self.request.is_eager:
            return False
        countdown = min(MAX_BACKOFF_SECONDS, 10 * 2**self.request.retries)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def resume_unsent():
    return invitations.resume_unsent()


@worker_ready.connect
def _resume_after_restart(sender, **kwargs):
    """A worker killed mid-batch leaves tasks Redis returns only after an hour; the database
    knows what is unsent, so a starting worker queues it again."""
    resume_unsent.delay()


@shared_task
def send_invitation_reminders():
    return invitation_reminders.send_due_reminders()
