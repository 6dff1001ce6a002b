"""The coordinators' queue of erasure requests: a person asks (from their account, or an
invitee through their personal link), a coordinator erases (`erasure.erase_person`), since
a seat in a body or an open process may need a hand-over first."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from . import erasure, erasure_files
from .models import Invitation, Person
from .models.erasure import ErasureRequest
from .selectors import is_coordinator


class AlreadyErased(Exception):
    def __str__(self):
        return _("This person's data has been erased already.")


def request_erasure(*, person=None, invitation=None, channel=None) -> tuple[ErasureRequest, bool]:
    """Record that `person` (signed in) or the holder of `invitation` (a personal link) asks
    for erasure. Asking again while a request is open returns that one (False: nothing new)."""
    if invitation is not None and invitation.person_id:
        person = invitation.person
    if person is not None and person.erased_at is not None:
        raise AlreadyErased
    with transaction.atomic():
        if person is not None:
            return ErasureRequest.objects.get_or_create(
                person=person,
                done_at=None,
                defaults={
                    "channel": channel or _channel(invitation),
                    "invitation": invitation,
                },
            )
        return ErasureRequest.objects.get_or_create(
            invitation=invitation,
            done_at=None,
            defaults={"channel": ErasureRequest.Channel.PERSONAL_LINK},
        )


def _channel(invitation):
    if invitation is None:
        return ErasureRequest.Channel.ACCOUNT
    return ErasureRequest.Channel.PERSONAL_LINK


def open_request_of(person) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(person=person, done_at=None).first()


def open_request_of_invitee(invitation) -> ErasureRequest | None:
    condition = Q(invitation=invitation)
    if invitation.person_id:
        condition |= Q(person=invitation.person_id)
    return ErasureRequest.objects.filter(condition, done_at=None).first()


def person_of_account(user) -> Person | None:
    return Person.objects.filter(user=user).first()


def record_person_of_account(user) -> Person:
    """An account without a registry person (an administrator's, say) gets one to hang the
    request on; the erasure then covers the account through it."""
    local_part = user.email.partition("@")[0]
    return Person.objects.create(last_name=local_part, email=user.email, user=user)


def requests_for_coordinator(user):
    """The queue, open requests first (oldest first), then the last done ones."""
    if not is_coordinator(user):
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.select_related("person", "invitation", "done_by").order_by(
        "-done_at", "requested_at", "pk"
    )


def get_erasure_request_for_user(user, pk, *, write=False) -> ErasureRequest:
    """One request, for coordinators only; anyone else and any wrong id: 404."""
    try:
        return requests_for_coordinator(user).get(pk=pk)
    except ErasureRequest.DoesNotExist as missing:
        raise Http404 from missing


def erase(person, *, actor, http_request=None) -> Person:
    """Erase `person` on a coordinator's word (with or without a request)."""
    erasure.erase_person(person, actor=actor, request=http_request)
    return person


def last_erasure_of(person) -> ErasureRequest | None:
    """The request an erasure of `person` was recorded on (the files to check by hand)."""
    return (
        ErasureRequest.objects.filter(person=person, done_at__isnull=False)
        .order_by("-done_at", "-pk")
        .first()
    )


def files_to_check(request_row) -> list[dict]:
    """The kept uploads a coordinator checks by hand after the erasure, described."""
    if request_row is None:
        return []
    return erasure_files.described(request_row.files_to_check)


def erase_request(request_row, *, actor, http_request=None) -> Person:
    """Carry out a request: erase its person (an invitee outside the registry is found, or
    recorded, by the invitation's address first)."""
    person = request_row.person or person_for_invitee(request_row.invitation)
    if request_row.person_id is None:
        ErasureRequest.objects.filter(pk=request_row.pk).update(person=person)
    erasure.erase_person(person, actor=actor, request=http_request)
    return person


def person_for_invitee(invitation) -> Person:
    """The registry person an invitee outside the registry is, by address: found, or made
    for the erasure (their invitations by that address then name it), so that one erasure
    covers everything that address was invited to."""
    if invitation is None:
        raise Http404
    email = invitation.email.strip().lower()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        first, _space, last = (invitation.name or email).strip().rpartition(" ")
        person = Person.objects.create(first_name=first, last_name=last, email=email)
    Invitation.objects.filter(Q(email__iexact=email), person=None).update(person=person)
    return person
