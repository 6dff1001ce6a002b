"""Mails about a delivery to its supplier's contact people: the round is open (when a
supplier is added to a round), and the county sent the delivery back with its comment.
Each current contact person with an e-mail address gets each notice once, held by the
`DeliveryNotice` row written in the transaction that queues the mail
(`participation.responses.mail_contacts_once`): saving a round again, a retry or two clicks
at once send nothing twice."""

from django.conf import settings

from participation import responses
from participation.models import Organisation

from .models import Delivery, DeliveryNotice


def delivery_url(delivery) -> str:
    return f"{settings.SITE_URL}{delivery.get_absolute_url()}"


def send_open_notices(deliveries) -> int:
    """Tell the contact people of each delivery's supplier that its round is open: the
    reference date, the window (the supplier's own deadline, an extension counted) and the
    link to the delivery. Returns how many mails were queued now."""
    sent = 0
    for delivery in deliveries:
        round_ = delivery.round
        sent += responses.mail_contacts_once(
            Organisation.objects.filter(pk=delivery.organisation_id),
            claim=lambda membership, delivery=delivery: DeliveryNotice.objects.get_or_create(
                delivery=delivery, person=membership.person, kind=DeliveryNotice.Kind.OPENED
            ),
            template="monitoring/mail/round_open",
            context={
                "round": round_,
                "delivery": delivery,
                "deadline": delivery.effective_deadline,
                "delivery_url": delivery_url(delivery),
            },
        )
    return sent


def send_return_notice(delivery: Delivery) -> int:
    """Tell the supplier's contact people that the county sent the delivery back, with the
    county's comment: once per send-back (named by `reviewed_at`) and person."""
    return responses.mail_contacts_once(
        Organisation.objects.filter(pk=delivery.organisation_id),
        claim=lambda membership: DeliveryNotice.objects.get_or_create(
            delivery=delivery,
            person=membership.person,
            kind=DeliveryNotice.Kind.RETURNED,
            sent_back_at=delivery.reviewed_at,
        ),
        template="monitoring/mail/sent_back",
        context={
            "round": delivery.round,
            "delivery": delivery,
            "comment": delivery.review_comment,
            "deadline": delivery.effective_deadline,
            "delivery_url": delivery_url(delivery),
        },
    )
