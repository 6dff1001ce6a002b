"""Erasure of a person's personal data (Art. 17 GDPR).

`erase_person` removes name, e-mail address and phone number from the person and their
account, ends every way in (sessions, API tokens, e-mail addresses, second factors, personal
links, calendar feeds) and withdraws their open invitations. What they wrote for their
organisation stays with the organisation: the person row is kept, so answers, statements and
their history name "former member" (`Person.full_name`), and seats and memberships keep the
role. Where a name was written into a text (minutes, decisions, mails, the audit trail) it is
replaced by the person's role, an e-mail address by a placeholder at the reserved domain
`invalid`.

**The last name standing alone** ("Weber berichtet", "Webers Bericht") is the person too, in
free text only, and is matched as the registry writes it: case-sensitively ("weber" is
another word), as a whole word with an optional genitive "s", and not joined by a hyphen to
another word ("Weber-Stiftung", "Schmidt-Weber" name someone or something else; a double
name of the person's own is matched whole). The full forms of the name (first and last
name, a title or salutation with the last name) are replaced everywhere, ignoring case.
Free text is every text and JSON column (minutes, decisions, comments, mails, the audit
trail, answers) and the content of uploads, except where the registry names things:

- every column of a model declared `NoPersonalData` (organisations, bodies, survey and
  consultation texts the county wrote: `personal_data.py` of each app);
- the columns that name a record or a place (`NAMING_COLUMNS`: name, short name, title,
  venue, address), so an event, document or decision title, a place and another person
  with the same last name keep theirs;
- inside free text, a name of the registry (those columns, and the names a declaration
  exempts as naming no person: a social space, a venue) that holds the last name with
  other words stays whole: with an organisation "Gemeinde Much", "die Gemeinde Much
  berichtet" keeps it while "Much berichtet" gives way to the role. A registry name that
  is the last name alone does not protect it: the person goes first.

A surname that is also a common noun ("Koch") is replaced where it stands alone as a noun
too; that is the price of finding the person.

The base never imports a feature app: each installed app may have a module `erasure.py`
with `erase_person(erasure)`, gathered through the app registry, that takes the person out of
its own records (live-session names, minutes, tasks, poll answers, statements, reports) with
the helpers of the `Erasure` it is given. Last, a sweep over every text column of every model
replaces what a hook missed, so a record added later is covered before its app writes a hook.

Uploaded files (`erasure_files`): a text upload (any UTF-8 file) and an office file (a ZIP of
XML: DOCX, XLSX, PPTX, ODT, ODS) have the person replaced in their content; a PDF or an image
is the organisation's record and is kept unchanged. The files a coordinator should check by
hand are listed on the erasure's request (`ErasureRequest.files_to_check`), shown on its
page and in the API's answer. Stored file names are generated and never carry a name; the
original name shown for a download is a text column and is swept like any other."""

import dataclasses
import functools
import re
import secrets
from xml.sax.saxutils import escape as xml_escape

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import pgettext

from . import erasure_files, security_log
from .hooks import app_modules
from .models import (
    FORMER_MEMBER,
    ApiToken,
    AudienceEntry,
    BodyMembership,
    DataExport,
    ErasureRequest,
    Invitation,
    InvitationMessage,
    Membership,
    Person,
)
from .selectors import sessions_of

HOOK_MODULE = "erasure"
PLACEHOLDER_DOMAIN = "invalid"
# A last name after one of these is the person too ("Frau Weber berichtet").
SALUTATIONS = ("Frau", "Herr", "Fr.", "Hr.", "Dr.", "Prof.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms")
# Columns that name a record or a place, where a last name alone is not the person.
NAMING_COLUMNS = frozenset(
    {"name", "short_name", "title", "venue_name", "venue_address", "address"}
)


def placeholder_email() -> str:
    return f"erased-{secrets.token_hex(6)}@{PLACEHOLDER_DOMAIN}"


@dataclasses.dataclass
class Erasure:
    """The person being erased and what finds them in a text. Names and addresses are taken
    before anything changes; hooks use `scrub` for their text columns and `replace` for a
    single text."""

    person: Person
    user: object
    names: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    role: str
    last_name: str = ""
    invitation_ids: tuple[int, ...] = ()
    actor: object = None
    changed: dict = dataclasses.field(default_factory=dict)
    # Kept files a coordinator checks by hand (`erasure_files`).
    files_to_check: list = dataclasses.field(default_factory=list)

    @property
    def former_member(self) -> str:
        """ "former member" as a record stores it, in the site's language."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(FORMER_MEMBER)

    @functools.cached_property
    def needles(self) -> list[str]:
        """What a row must contain to be looked at: the last name finds every form of the
        name (the patterns then decide), the addresses and phone numbers themselves."""
        last = self.person.last_name.strip()
        names = [name for name in self.names if not last or last.lower() not in name.lower()]
        return [n for n in (last, *names, *self.emails, *self.phones) if len(n) >= 3]

    @functools.cached_property
    def forms(self) -> list[str]:
        return sorted({*self.names, *self.emails, *self.phones}, key=len, reverse=True)

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        # The parts of a name may be joined by spaces, underscores or hyphens (a file name);
        # an underscore ends a word here too.
        forms = ("[\\s_-]+".join(map(re.escape, form.split())) for form in self.forms)
        return re.compile(r"(?<![^\W_])(" + "|".join(forms) + r")(?![^\W_])", re.IGNORECASE)

    @functools.cached_property
    def surname_pattern(self) -> re.Pattern | None:
        """The last name alone (see the module's docstring); a registry name holding it with
        other words comes first in the alternation and is kept."""
        last = self.last_name
        if len(last) < 2:
            return None
        word = rf"(?<![^\W_])(?<!-){re.escape(last)}s?(?![^\W_])(?!-)"
        kept = sorted(_registry_names_with(last, word), key=len, reverse=True)
        # With nothing to keep, the group is one that never matches.
        return re.compile("(?P<kept>" + ("|".join(map(re.escape, kept)) or "(?!)") + ")|" + word)

    def replace(self, text: str, *, free_text: bool = True, markup: bool = False) -> str:
        """`text` without the person: in free text also their last name alone. In `markup`
        (the XML of an office file) the role is escaped."""
        role = xml_escape(self.role) if markup else self.role
        text = self._replace_forms(text, role)
        if free_text and text and self.surname_pattern is not None:
            text = self.surname_pattern.sub(lambda match: match.group("kept") or role, text)
        return text

    def _replace_forms(self, text: str, role: str) -> str:
        if not text or not self.forms:
            return text
        emails = {email.lower() for email in self.emails}

        def substitute(match):
            found = match.group(0)
            if "@" in found and found.lower() in emails:
                return f"erased@{PLACEHOLDER_DOMAIN}"
            if any(character.isdigit() for character in found):
                return "–"  # a phone number
            return role

        return self.pattern.sub(substitute, text)

    def replace_value(self, value, *, free_text: bool = True):
        """`replace` through a JSON value (the strings inside lists and objects)."""
        if isinstance(value, str):
            return self.replace(value, free_text=free_text)
        if isinstance(value, list):
            return [self.replace_value(item, free_text=free_text) for item in value]
        if isinstance(value, dict):
            return {
                key: self.replace_value(item, free_text=free_text) for key, item in value.items()
            }
        return value

    def scrub(self, queryset, *field_names) -> int:
        """Replace the person's name, addresses and phone numbers in the text, e-mail and JSON
        columns `field_names` of the rows of `queryset`; an e-mail column that held only the
        address gets a placeholder of its own (unique constraints hold). Returns the number
        of rows changed."""
        if not self.needles:
            return 0
        model = queryset.model
        fields = [model._meta.get_field(name) for name in field_names]
        condition = Q(pk__in=[])
        for field in fields:
            for needle in self.needles:
                condition |= Q(**{f"{field.attname}__icontains": needle})
        changed = 0
        for row in queryset.filter(condition).only("pk", *field_names).iterator():
            values = {}
            for field in fields:
                before = getattr(row, field.attname)
                if isinstance(field, models.EmailField) and before and self._is_own(before):
                    after = placeholder_email()
                else:
                    after = self.replace_value(before, free_text=is_free_text(field))
                    if isinstance(after, str) and getattr(field, "max_length", None):
                        after = after[: field.max_length]
                if after != before:
                    values[field.attname] = after
            if values:
                model._base_manager.filter(pk=row.pk).update(**values)
                changed += 1
        if changed:
            label = model._meta.label
            self.changed[label] = self.changed.get(label, 0) + changed
        return changed

    def _is_own(self, address: str) -> bool:
        return address.strip().lower() in {email.lower() for email in self.emails}


def is_free_text(field) -> bool:
    """Whether the last name alone is the person in `field` (see the module's docstring)."""
    return field.name not in NAMING_COLUMNS and field.model._meta.label_lower not in (
        _registry_models()
    )


@functools.cache
def _registry_models() -> frozenset[str]:
    """The models declared to hold no personal data: the registry's and the county's texts."""
    from .privacy.inventory import NoPersonalData, all_entries  # noqa: PLC0415 - app hooks

    return frozenset(
        entry.model.lower() for entry in all_entries() if isinstance(entry, NoPersonalData)
    )


@functools.cache
def _registry_name_columns() -> tuple[tuple[str, str], ...]:
    """(model, column) of the names the registry gives things: the naming columns of the
    models `_registry_models` lists, and the text columns a declaration exempts as naming
    no person (a place, a figure, a venue)."""
    from .privacy.inventory import Declaration, all_entries  # noqa: PLC0415 - app hooks

    columns = set()
    for model in apps.get_models():
        if model._meta.label_lower in _registry_models():
            columns |= {(model._meta.label_lower, name) for name in NAMING_COLUMNS}
    for entry in all_entries():
        if isinstance(entry, Declaration):
            columns |= {(entry.model.lower(), name) for name in entry.exempt}
    return tuple(sorted(columns))


def _registry_names_with(last: str, word: str) -> set[str]:
    """The names in the registry (`_registry_name_columns`) that hold the last name `last`
    as the word `word` beside other words."""
    found = set()
    pattern = re.compile(word)
    for label, name in _registry_name_columns():
        model = apps.get_model(label)
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.CharField) or field.choices:
            continue
        values = model._base_manager.filter(**{f"{field.attname}__contains": last})
        for value in values.values_list(field.attname, flat=True).distinct():
            value = " ".join(value.split())
            if value != last and pattern.search(value):
                found.add(value)
    return found


def erase_person(person, *, actor=None, request=None) -> Erasure:
    """Erase `person` (and their account). Harmless on a person already erased. One
    transaction: either everything is gone or nothing changed."""
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        first_time = person.erased_at is None
        erasure = _collect(person, actor=actor)
        now = timezone.now()
        # Updates, not saves: a save would write the old values into a new audit entry.
        Person.objects.filter(pk=person.pk).update(
            title="",
            first_name="",
            last_name="",
            email="",
            phone="",
            notes="",
            erased_at=person.erased_at or now,
        )
        _erase_base(erasure)
        # Before the hooks: whether a document's record named the person says its file
        # may too.
        erasure.files_to_check = erasure_files.scrub_files(erasure)
        for hook in _hooks():
            hook.erase_person(erasure)
        _sweep(erasure)
        _record_request(erasure, first_time=first_time, now=now)
        if first_time:
            security_log.record(
                security_log.Kind.ERASED,
                request=request,
                user=erasure.user,
                actor=actor,
                person=person.pk,
                rows=sum(erasure.changed.values()),
            )
    return erasure


def _record_request(erasure: Erasure, *, first_time, now) -> None:
    """The open request is done; an erasure on a coordinator's own word is recorded as a
    request done at once. Either keeps the files to check by hand."""
    done = {"done_at": now, "done_by": erasure.actor, "files_to_check": erasure.files_to_check}
    person = erasure.person
    recorded = ErasureRequest.objects.open().filter(person=person).update(**done)
    if not recorded and first_time:
        ErasureRequest.objects.create(
            person=person, channel=ErasureRequest.Channel.COORDINATOR, **done
        )


def _hooks():
    """The `erasure` modules of the installed apps, in the order of INSTALLED_APPS."""
    return [
        module
        for config, module in app_modules(HOOK_MODULE)
        # This module is the base's own `erasure`: its `erase_person` is the caller.
        if config.name != __package__ and hasattr(module, "erase_person")
    ]


def _collect(person, *, actor) -> Erasure:
    user = person.user
    names = set()
    if person.erased_at is None and person.last_name:
        first, last, title = person.first_name.strip(), person.last_name.strip(), person.title
        names |= {f"{first} {last}", f"{last}, {first}", f"{last} {first}"}
        if title:
            names |= {f"{title} {first} {last}", f"{title} {last}"}
        names |= {f"{salutation} {last}" for salutation in SALUTATIONS}
    invitations = Invitation.objects.filter(person=person)
    names |= {name.strip() for name in invitations.values_list("name", flat=True) if name}
    audience = AudienceEntry.objects.filter(person=person)
    names |= {name.strip() for name in audience.values_list("name", flat=True) if name}
    names = {" ".join(name.split()) for name in names} - {""}
    emails = {person.email} | set(invitations.values_list("email", flat=True))
    emails |= set(audience.values_list("email", flat=True))
    if user is not None:
        emails.add(user.email)
        emails |= set(_email_addresses(user).values_list("email", flat=True))
    emails = {email.strip() for email in emails if email and not is_placeholder(email)}
    phones = {person.phone.strip()} - {""}
    return Erasure(
        person=person,
        user=user,
        names=tuple(sorted(names)),
        emails=tuple(sorted(emails)),
        phones=tuple(sorted(phones)),
        role=role_of(person),
        last_name=person.last_name.strip() if person.erased_at is None else "",
        invitation_ids=tuple(invitations.values_list("pk", flat=True)),
        actor=actor,
    )


def role_of(person) -> str:
    """What stands in a text for an erased person: their seat in a body, else their function
    in an organisation, else "former member". Written into records, so in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        seat = (
            BodyMembership.objects.filter(person=person)
            .select_related("body")
            .order_by("-valid_from")
            .first()
        )
        if seat is not None:
            return pgettext("an erased person's role", "%(role)s (%(body)s)") % {
                "role": seat.get_role_display(),
                "body": seat.body.short_name or seat.body.name,
            }
        membership = (
            Membership.objects.filter(person=person)
            .select_related("organisation")
            .order_by("-valid_from")
            .first()
        )
        if membership is not None:
            return pgettext("an erased person's role", "%(role)s (%(body)s)") % {
                "role": membership.function or str(FORMER_MEMBER),
                "body": membership.organisation.short_name or membership.organisation.name,
            }
        return str(FORMER_MEMBER)


def is_placeholder(email) -> bool:
    return email.lower().endswith(f"@{PLACEHOLDER_DOMAIN}")


def _email_addresses(user):
    from allauth.account.models import EmailAddress  # noqa: PLC0415 - allauth's models load late

    return EmailAddress.objects.filter(user=user)


def _erase_base(erasure: Erasure) -> None:
    person, user = erasure.person, erasure.user
    now = timezone.now()
    # Open invitations are withdrawn: an event still to come loses the invitee (their links
    # with it); one that is over keeps the row, anonymous, for its attendance figures.
    invitations = list(Invitation.objects.filter(person=person))
    DataExport.objects.filter(invitation__in=[i.pk for i in invitations]).delete()
    ended = {invitation.pk for invitation in invitations if _event_over(invitation, now)}
    Invitation.objects.filter(pk__in=[i.pk for i in invitations if i.pk not in ended]).delete()
    InvitationMessage.objects.filter(invitation__in=ended, revoked_at=None).update(revoked_at=now)
    for pk in ended:
        Invitation.objects.filter(pk=pk).update(
            name="", email=placeholder_email(), accessibility_needs="", dietary_wishes=""
        )
    AudienceEntry.objects.filter(person=person).delete()
    if user is not None:
        _end_account(user, now=now)
    _redact_audit_entries(erasure)


def _event_over(invitation, now) -> bool:
    event = invitation.event
    return event is not None and event.end < now


def _end_account(user, *, now) -> None:
    from allauth.mfa.models import Authenticator  # noqa: PLC0415 - allauth's models load late

    sessions_of(user, now=now).delete()
    ApiToken.objects.filter(user=user).delete()
    # A download of their own data holds everything erasure removes.
    DataExport.objects.filter(user=user).delete()
    _email_addresses(user).delete()
    Authenticator.objects.filter(user=user).delete()
    if user.erased_at is None:
        user.set_unusable_password()
        type(user).objects.filter(pk=user.pk).update(
            email=placeholder_email(),
            password=user.password,
            is_active=False,
            is_coordinator=False,
            is_staff=False,
            is_superuser=False,
            erased_at=now,
        )
        user.groups.clear()
        user.user_permissions.clear()


def _redact_audit_entries(erasure: Erasure) -> None:
    """The audit trail of the person's own records holds their name in pieces (a first name
    alone, a phone number): every such value goes, not only the whole name. Entries they
    made keep the account as actor, not its address."""
    from auditlog.models import LogEntry  # noqa: PLC0415 - auditlog's models load late
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415 - same

    person = erasure.person
    own = {
        person.title,
        person.first_name,
        person.last_name,
        person.notes,
        *erasure.names,
        *erasure.emails,
        *erasure.phones,
    }
    own = {value.strip().lower() for value in own if value and value.strip()}

    def redact(value):
        if isinstance(value, str):
            return "–" if value.strip().lower() in own else erasure.replace(value)
        if isinstance(value, list):
            return [redact(item) for item in value]
        if isinstance(value, dict):
            return {key: redact(item) for key, item in value.items()}
        return value

    condition = Q(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk)
    if erasure.user is not None:
        user_type = ContentType.objects.get_for_model(erasure.user)
        condition |= Q(content_type=user_type, object_id=erasure.user.pk)
    for entry in LogEntry.objects.filter(condition).iterator():
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=str(FORMER_MEMBER),
            changes=redact(entry.changes),
            changes_text=redact(entry.changes_text),
            serialized_data=redact(entry.serialized_data),
            additional_data=redact(entry.additional_data),
        )
    if erasure.user is not None:
        LogEntry.objects.filter(actor=erasure.user).update(actor_email="")


def _sweep(erasure: Erasure) -> None:
    """Every text, e-mail and JSON column of every model: what a hook did not take out."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model is Session:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
            and not field.choices
            and not field.primary_key
        ]
        if fields:
            erasure.scrub(model._base_manager.all(), *fields)
