"""Writes to the registry. Each validates the whole record, saves it in one transaction and
leaves an audit entry naming the actor."""

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Body, BodyMembership, Membership, Organisation, Person


def _save(instance, *, actor, lock=()):
    with transaction.atomic(), set_actor(actor):
        for queryset in lock:
            list(queryset.select_for_update())
        instance.full_clean()
        instance.save()
    return instance


def save_organisation(organisation: Organisation, *, actor) -> Organisation:
    return _save(organisation, actor=actor)


def save_person(person: Person, *, actor) -> Person:
    return _save(person, actor=actor)


def save_body(body: Body, *, actor) -> Body:
    return _save(body, actor=actor)


def save_membership(membership: Membership, *, actor) -> Membership:
    # Locking the person serialises concurrent saves, so the overlap check stays true.
    return _save(membership, actor=actor, lock=[Person.objects.filter(pk=membership.person_id)])


def save_body_membership(seat: BodyMembership, *, actor) -> BodyMembership:
    return _save(seat, actor=actor, lock=[Person.objects.filter(pk=seat.person_id)])


def _end_term(record, *, actor, on, save):
    on = on or timezone.localdate()
    if on < record.valid_from:
        raise ValidationError({"valid_until": _("The end lies before the start.")})
    record.valid_until = on
    return save(record, actor=actor)


def end_membership(membership: Membership, *, actor, on=None) -> Membership:
    """End a membership on the given day (default today); the record stays as history."""
    return _end_term(membership, actor=actor, on=on, save=save_membership)


def end_body_membership(seat: BodyMembership, *, actor, on=None) -> BodyMembership:
    """End a seat in a body on the given day (default today); the record stays as history."""
    return _end_term(seat, actor=actor, on=on, save=save_body_membership)
