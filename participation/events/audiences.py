"""An event's audience: the entries a coordinator chose (whole bodies, all organisations of
a kind, one organisation, single people, external addresses), resolved on the day of sending
to one recipient per e-mail address."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..audit import record_action
from ..models import (
    AudienceEntry,
    BodyMembership,
    BodyRole,
    Language,
    Membership,
    Organisation,
    Person,
)
from .selectors import entries_of, invitations_of


@dataclass
class Recipient:
    email: str
    name: str
    language: str = Language.GERMAN
    person: Person | None = None
    organisation: Organisation | None = None
    sources: list[str] = field(default_factory=list)
    # A seat's registered deputy (and nothing else in the audience): informed, and invited
    # when the principal (whose address this is) declines.
    deputy_of: str = ""

    @property
    def informed(self) -> bool:
        return bool(self.deputy_of)


@dataclass
class AudiencePreview:
    recipients: list[Recipient]
    problems: list[tuple[str, str]]


@dataclass
class AudienceState:
    """Whom the audience names today, and which of those addresses are invited already."""

    preview: AudiencePreview
    invited: set[str]

    @property
    def rows(self) -> list[tuple[Recipient, bool]]:
        return [(r, r.email in self.invited) for r in self.preview.recipients]

    @property
    def to_invite(self) -> list[Recipient]:
        """The recipients still to invite: the one rule the page, the API and sending share."""
        return [r for r in self.preview.recipients if r.email not in self.invited]

    @property
    def principals(self) -> list[Recipient]:
        """Who gets an invitation (everyone but the informed deputies)."""
        return [r for r in self.preview.recipients if not r.informed]

    @property
    def deputies(self) -> list[Recipient]:
        """The seats' registered deputies, who are informed and invited on a decline."""
        return [r for r in self.preview.recipients if r.informed]


def audience_state(event, *, extra_entries=()) -> AudienceState:
    """`extra_entries`: unsaved entries to preview as if they were added (a feature's
    default audience, before anybody saved it)."""
    invited = set(invitations_of(event).values_list(Lower("email"), flat=True))
    return AudienceState(
        preview=resolve_audience(event, extra_entries=extra_entries), invited=invited
    )


def add_audience_entry(
    event,
    *,
    actor,
    kind,
    body=None,
    organisation_kind="",
    organisation=None,
    person=None,
    email="",
    name="",
) -> AudienceEntry:
    """Add one line to the audience. An external address is checked here and named when
    invalid; the same line twice is kept once. The event's audit trail names who added it."""
    email = (email or "").strip().lower()
    if kind == AudienceEntry.Kind.EMAIL:
        check_address(email)
    entry = AudienceEntry(
        event_type=ContentType.objects.get_for_model(event),
        event_id=event.pk,
        kind=kind,
        body=body,
        organisation_kind=organisation_kind,
        organisation=organisation,
        person=person,
        email=email,
        name=name.strip(),
    )
    entry.full_clean(exclude=["event_type", "event_id"])
    existing = entries_of(event).filter(
        kind=kind,
        body=body,
        organisation_kind=organisation_kind,
        organisation=organisation,
        person=person,
        email=email,
    )
    return existing.first() or _saved(entry, event, actor)


def _saved(entry, event, actor):
    with transaction.atomic():
        entry.save()
        record_action(event, actor=actor, changes={"audience_added": [None, entry]})
    return entry


def check_address(email):
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            _("“%(email)s” is not a valid e-mail address."), params={"email": email}
        ) from error


def remove_audience_entry(entry: AudienceEntry, *, actor):
    with transaction.atomic():
        event = entry.event
        entry.delete()
        if event is not None:
            record_action(event, actor=actor, changes={"audience_removed": [entry, None]})


def resolve_audience(event, *, extra_entries=()) -> AudiencePreview:
    """Everyone the entries name today, one recipient per address (the first source decides
    name and organisation; every source is listed), and what could not be resolved."""
    recipients: dict[str, Recipient] = {}
    problems: list[tuple[str, str]] = []

    def add(
        email,
        name,
        *,
        source,
        person=None,
        organisation=None,
        language=Language.GERMAN,
        deputy_of="",
    ):
        email = (email or "").strip().lower()
        if not email:
            problems.append((name, _("no e-mail address in the registry")))
            return
        recipient = recipients.get(email)
        if recipient is None:
            recipients[email] = Recipient(
                email=email,
                name=name,
                language=language,
                person=person,
                organisation=organisation,
                sources=[source],
                deputy_of=deputy_of,
            )
            return
        if source not in recipient.sources:
            recipient.sources.append(source)
        recipient.organisation = recipient.organisation or organisation
        # Named in the audience in their own right too: invited, not only informed.
        if not deputy_of:
            recipient.deputy_of = ""

    for entry in [*entries_of(event), *extra_entries]:
        source = str(entry)
        if entry.kind == AudienceEntry.Kind.BODY:
            seats = BodyMembership.objects.current().filter(body=entry.body)
            seats = list(seats.select_related("person", "represents", "deputy_of__person"))
            current = {seat.pk for seat in seats}
            for seat in seats:
                principal = seat.deputy_of if seat.role == BodyRole.DEPUTY else None
                if principal is not None and principal.pk in current and principal.person.email:
                    # A registered deputy: informed now, invited if the principal declines.
                    _add_person(
                        add,
                        seat.person,
                        source,
                        seat.represents,
                        deputy_of=principal.person.email.strip().lower(),
                    )
                else:
                    _add_person(add, seat.person, source, seat.represents)
        elif entry.kind in (AudienceEntry.Kind.ORGANISATION_KIND, AudienceEntry.Kind.ORGANISATION):
            contacts = Membership.objects.current().filter(
                is_contact=True, organisation__is_active=True
            )
            if entry.kind == AudienceEntry.Kind.ORGANISATION:
                contacts = contacts.filter(organisation=entry.organisation)
            else:
                contacts = contacts.filter(organisation__kind=entry.organisation_kind)
            for membership in contacts.select_related("person", "organisation"):
                _add_person(add, membership.person, source, membership.organisation)
        elif entry.kind == AudienceEntry.Kind.PERSON:
            _add_person(add, entry.person, source, _organisation_of(entry.person))
        else:
            try:
                check_address(entry.email)
            except ValidationError as error:
                problems.append((entry.email, error.messages[0]))
                continue
            add(entry.email, entry.name or entry.email, source=source)
    ordered = sorted(recipients.values(), key=lambda r: (r.name.lower(), r.email))
    return AudiencePreview(recipients=ordered, problems=problems)


def _add_person(add, person, source, organisation, *, deputy_of=""):
    add(
        person.email,
        person.full_name,
        source=source,
        person=person,
        organisation=organisation,
        language=person.language,
        deputy_of=deputy_of,
    )


def _organisation_of(person):
    """The organisation a person is invited for when named singly: their current one (the
    contact role first)."""
    membership = (
        Membership.objects.current()
        .filter(person=person)
        .select_related("organisation")
        .order_by("-is_contact", "organisation__name")
        .first()
    )
    return membership.organisation if membership else None
