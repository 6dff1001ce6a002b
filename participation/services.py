"""Writes to the registry. Each validates the whole record, saves it in one transaction and
leaves an audit entry naming the actor."""

from allauth.account.models import EmailAddress
from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .mail import send_templated_mail
from .models import Body, BodyMembership, LegalPage, Membership, Organisation, Person, User


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
    if person.pk and Person.objects.filter(pk=person.pk, erased_at__isnull=False).exists():
        # A name written into an erased person would undo the erasure.
        raise ValidationError(_("This person's data has been erased; the record stays as it is."))
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


def delete_membership(membership: Membership, *, actor) -> None:
    """Remove a membership entered by mistake (ending it keeps history instead)."""
    with transaction.atomic(), set_actor(actor):
        membership.delete()


def delete_body_membership(seat: BodyMembership, *, actor) -> None:
    """Remove a seat entered by mistake. A seat others stand in for must keep them covered."""
    if seat.deputies.exists():
        raise ValidationError(
            _("Deputies stand in for this seat; end or reassign them before deleting it.")
        )
    with transaction.atomic(), set_actor(actor):
        seat.delete()


def end_membership(membership: Membership, *, actor, on=None) -> Membership:
    """End a membership on the given day (default today); the record stays as history."""
    return _end_term(membership, actor=actor, on=on, save=save_membership)


def end_body_membership(seat: BodyMembership, *, actor, on=None) -> BodyMembership:
    """End a seat in a body on the given day (default today); the record stays as history."""
    return _end_term(seat, actor=actor, on=on, save=save_body_membership)


def grant_account(person: Person, *, actor, coordinator=False) -> User:
    """Give a person a sign-in account and tell them by e-mail. They sign in with a code sent
    to that address (which verifies it) and may set a password afterwards."""
    if not person.email:
        raise ValidationError({"email": _("The person needs an e-mail address to sign in.")})
    if person.user_id:
        raise ValidationError(_("This person already has an account."))
    if User.objects.filter(email__iexact=person.email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    with transaction.atomic(), set_actor(actor):
        user = User.objects.create_user(email=person.email, is_coordinator=coordinator)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        send_templated_mail(
            "participation/mail/account_invitation",
            to=user.email,
            context={"person": person, "inviter": actor},
            language=person.language,
        )
    return user


def save_legal_page(page: LegalPage, *, actor) -> LegalPage:
    """Publish a new text of the imprint, privacy notice or accessibility statement; the
    audit entry keeps what it said before and who changed it. The first save creates it."""
    page.updated_by = actor
    return _save(page, actor=actor, lock=[LegalPage.objects.filter(kind=page.kind)])
