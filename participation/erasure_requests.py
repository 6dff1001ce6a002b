"""The coordinators' queue of erasure requests: a person asks (from their account, or an
invitee through their personal link), a coordinator erases (`erasure.erase_person`), since
a seat in a body or an open process may need a hand-over first, or declines the request
with a reason (`dismiss_request`: a seat to hand over first, a legal duty to keep the data,
a request not from the person). The requester is then told the reason and their right to
complain to the supervisory authority (Art. 12(4) GDPR), and may ask again."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import erasure, erasure_files, mail
from .audit import record_action
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
                dismissed_at=None,
                defaults={
                    "channel": channel or _channel(invitation),
                    "invitation": invitation,
                },
            )
        return ErasureRequest.objects.get_or_create(
            invitation=invitation,
            done_at=None,
            dismissed_at=None,
            defaults={"channel": ErasureRequest.Channel.PERSONAL_LINK},
        )


def _channel(invitation):
    if invitation is None:
        return ErasureRequest.Channel.ACCOUNT
    return ErasureRequest.Channel.PERSONAL_LINK


def open_request_of(person) -> ErasureRequest | None:
    return ErasureRequest.objects.open().filter(person=person).first()


def open_request_of_invitee(invitation) -> ErasureRequest | None:
    condition = Q(invitation=invitation)
    if invitation.person_id:
        condition |= Q(person=invitation.person_id)
    return ErasureRequest.objects.open().filter(condition).first()


def person_of_account(user) -> Person | None:
    return Person.objects.filter(user=user).first()


def record_person_of_account(user) -> Person:
    """An account without a registry person (an administrator's, say) gets one to hang the
    request on; the erasure then covers the account through it."""
    local_part = user.email.partition("@")[0]
    return Person.objects.create(last_name=local_part, email=user.email, user=user)


def requests_for_coordinator(user):
    """The queue, open requests first (oldest first), then the last done or declined ones."""
    if not is_coordinator(user):
        return ErasureRequest.objects.none()
    closed_at = Coalesce("done_at", "dismissed_at")
    return (
        ErasureRequest.objects.select_related("person", "invitation", "done_by", "dismissed_by")
        .annotate(closed_at=closed_at)
        .order_by(F("closed_at").desc(nulls_first=True), "requested_at", "pk")
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


def dismiss_request(request, *, reason, actor) -> ErasureRequest:
    """Decline an open erasure request with `reason` (Art. 12(4) GDPR): recorded with who and
    when, an audit entry, and a mail to the requester with the reason and their right to
    complain to the supervisory authority. The request is then no longer open; the person
    may ask again. An empty reason, or a request no longer open: ValidationError, nothing
    changed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for declining the request."), code="required")
    with transaction.atomic():
        row = (
            ErasureRequest.objects.select_for_update(of=("self",))
            .select_related("person", "invitation")
            .get(pk=request.pk)
        )
        if not row.is_open:
            raise ValidationError(_("This request is no longer open."), code="closed")
        now = timezone.now()
        ErasureRequest.objects.filter(pk=row.pk).update(
            dismissed_at=now, dismissed_by=actor, reason=reason
        )
        row.refresh_from_db()
        record_action(row, actor=actor, changes={"dismissed_at": ["", now], "reason": ["", reason]})
        _tell_requester(row)
    return row


def _tell_requester(row) -> None:
    """The mail of a declined request, to the person's address, else the invitee's."""
    person, invitation = row.person, row.invitation
    address = (person.email if person else "") or (invitation.email if invitation else "")
    if not address or erasure.is_placeholder(address):
        return
    language = (person.language if person else "") or (invitation.language if invitation else "")
    mail.send_templated_mail(
        "participation/mail/erasure_request_dismissed",
        to=address,
        context={"request": row, "reason": row.reason},
        language=language or settings.LANGUAGE_CODE,
    )
