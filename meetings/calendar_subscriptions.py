"""A person's subscribable calendar: a secret address per user (the base's personal-link
token, stored hashed) whose feed lists the meetings of the bodies the user may see at the
moment it is fetched, all of them or one body's. Creating a new address revokes the old
one (rotate); revoking ends it at once; an unknown, revoked or rotated token answers 404."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from participation import personal_links
from participation.audit import record_action
from participation.middleware import coordinator_needs_totp
from participation.selectors import visible_bodies

from . import feed
from .models import CalendarSubscription


def active(user):
    return CalendarSubscription.objects.filter(user=user, revoked_at=None).first()


def feed_url(raw_token, body=None) -> str:
    if body is None:
        path = reverse("meetings:person_calendar", args=[raw_token])
    else:
        path = reverse("meetings:person_body_calendar", args=[raw_token, body.pk])
    return settings.SITE_URL + path


def create(user, *, actor) -> tuple[CalendarSubscription, str]:
    """A new secret address for the user (the old one, if any, ends); returns the
    subscription and the raw token, which exists only in this return value."""
    with transaction.atomic():
        for old in CalendarSubscription.objects.select_for_update().filter(
            user=user, revoked_at=None
        ):
            personal_links.revoke(old, actor=actor)
        subscription, raw = personal_links.issue(CalendarSubscription, user=user)
        record_action(subscription, actor=actor, changes={"created_at": ["", "issued"]})
    return subscription, raw


def revoke(user, *, actor) -> bool:
    subscription = active(user)
    if subscription is None:
        return False
    personal_links.revoke(subscription, actor=actor)
    return True


def subscription_for_token(raw_token):
    """The subscription of a usable token. A coordinator's feed shows every body, so it
    answers to the second-factor rule like every other way in: without TOTP, none."""
    subscription = personal_links.resolve(
        CalendarSubscription.objects.select_related("user"), raw_token, now=timezone.now()
    )
    if subscription is None or coordinator_needs_totp(subscription.user):
        return None
    return subscription


def feed_for(subscription, *, body_pk=None):
    """The feed text for a subscription, or None when the body is not one the user sees."""
    user = subscription.user
    bodies = visible_bodies(user)
    if body_pk is not None:
        body = bodies.filter(pk=body_pk).first()
        if body is None:
            return None
        return feed.body_feed(body)
    return feed.bodies_feed(bodies, name="mitplanen – Sitzungen")
