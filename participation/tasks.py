from celery import shared_task

from . import mail


@shared_task(
    autoretry_for=mail.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
def deliver_mail(mail_id):
    return mail.deliver(mail_id)
