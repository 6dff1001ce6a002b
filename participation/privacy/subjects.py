"""Whose data a download holds, and how the declarations find their records.

A signed-in person is their account, their registry person, every e-mail address of
theirs and the invitations sent to them. An invitee without an account is known only by the
invitation whose personal link they opened: its e-mail address (the link reached them
there), the registry person it names unless that person has an account (then they sign in),
and the invitations sent to that address."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import EmailField, Q

from ..models import Invitation, Person

USER, PERSON, INVITATION, EMAIL = "user", "person", "invitation", "email"


@dataclass(frozen=True)
class DataSubject:
    user: object | None
    person: Person | None
    emails: frozenset[str]
    invitation_ids: frozenset[int]


def _invitations(person, emails):
    condition = reduce(or_, (Q(email__iexact=email) for email in emails), Q(pk__in=[]))
    if person is not None:
        condition |= Q(person=person)
    return frozenset(Invitation.objects.filter(condition).values_list("pk", flat=True))


def of_user(user) -> DataSubject:
    person = Person.objects.filter(user=user).first()
    emails = {user.email.lower()}
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    emails |= {address.lower() for address in addresses}
    if person is not None and person.email:
        emails.add(person.email.lower())
    emails = frozenset(emails)
    return DataSubject(user, person, emails, _invitations(person, emails))


def of_invitation(invitation) -> DataSubject:
    person = invitation.person
    if person is not None and person.user_id is not None:
        person = None
    emails = frozenset({invitation.email.lower()})
    ids = _invitations(None, emails) | {invitation.pk}
    if person is not None:
        ids |= _invitations(person, frozenset())
    return DataSubject(None, person, emails, frozenset(ids))


def target_kind(model, path) -> str:
    """What the lookup `path` from `model` ends at: the user, a person, an invitation or an
    e-mail address. A path that ends elsewhere is a mistake in a declaration."""
    parts = path.split("__")
    current = model
    for index, part in enumerate(parts):
        step = current._meta.pk if part == "pk" else current._meta.get_field(part)
        if step.is_relation:
            current = step.related_model
        elif index < len(parts) - 1:
            raise FieldDoesNotExist(f"{model._meta.label}: {path} passes a plain field")
    if not step.is_relation and not step.primary_key:
        if isinstance(step, EmailField) or parts[-1].endswith("email"):
            return EMAIL
        raise FieldDoesNotExist(f"{model._meta.label}: {path} ends at no person")
    label = current._meta.label
    kinds = {
        settings.AUTH_USER_MODEL: USER,
        "participation.Person": PERSON,
        "participation.Invitation": INVITATION,
    }
    if label not in kinds:
        raise FieldDoesNotExist(f"{model._meta.label}: {path} ends at {label}, no person")
    return kinds[label]


def condition(model, path, subject: DataSubject) -> Q | None:
    """The filter for the records `path` ties to `subject`; None when the subject has no
    such handle (an invitee has no account)."""
    kind = target_kind(model, path)
    if kind in (USER, PERSON):
        target = subject.user if kind == USER else subject.person
        return Q(**{path: target.pk}) if target is not None else None
    if kind == INVITATION:
        return Q(**{f"{path}__in": subject.invitation_ids}) if subject.invitation_ids else None
    if not subject.emails:
        return None
    return reduce(or_, (Q(**{f"{path}__iexact": email}) for email in sorted(subject.emails)))


def records(declaration, subject: DataSubject):
    """The records of `declaration` about `subject`, oldest first."""
    model = declaration.model_class
    if declaration.find is not None:
        return declaration.find(subject).order_by("pk")
    conditions = [c for path in declaration.subject if (c := condition(model, path, subject))]
    if not conditions:
        return model._default_manager.none()
    return model._default_manager.filter(reduce(or_, conditions)).distinct().order_by("pk")
