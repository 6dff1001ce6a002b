from celery import shared_task

from . import mail

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
