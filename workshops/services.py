"""Writes for workshops. Each validates, saves in one transaction and leaves an audit entry
naming the actor; what invitees must hear about (a new date or place, a cancellation, a
place freed by more capacity) goes out through the base's invitation pipeline."""

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.events import audiences, invitations, replies
from participation.media_storage import storing
from participation.models import AudienceEntry, EventStatus, Invitation
from participation.uploads import CONTENT_TYPES, check_upload, display_name

from .live import services as live
from .models import AgendaItem, Document, Workshop

DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "png", "jpg")
DOCUMENT_MAX_MB = min(20, settings.UPLOAD_MAX_MB)  # the server takes no larger upload
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MB * 1024 * 1024
# Changed by their own services (status, calendar, documentation), never by the edit form.
OWNED_ELSEWHERE = ("status", "sequence", "documentation_published", "results", "minutes")


def _ensure_status(workshop, allowed, message):
    if workshop.status not in allowed:
        raise ValidationError(message)


def save_workshop(workshop: Workshop, *, actor) -> Workshop:
    """Create or change a workshop. On a published one, a new date, time or place is sent
    to every invitee who has not declined (with a calendar update) and to the informed
    deputies (for their information), and more capacity moves people up from the
    waitlist."""
    with transaction.atomic(), set_actor(actor):
        before = None
        if workshop.pk:
            before = Workshop.objects.select_for_update().get(pk=workshop.pk)
            _ensure_status(
                before,
                [EventStatus.DRAFT, EventStatus.PUBLISHED],
                _("Only draft and published workshops can be changed."),
            )
            # Other actions own these; an edit begun before one of them must not undo it.
            for name in OWNED_ELSEWHERE:
                setattr(workshop, name, getattr(before, name))
        elif workshop.created_by_id is None and actor is not None:
            workshop.created_by = actor
        workshop.full_clean()
        workshop.save()
        if before is not None and before.status == EventStatus.PUBLISHED:
            if any(
                getattr(before, name) != getattr(workshop, name)
                for name in Workshop.SCHEDULE_FIELDS
            ):
                invitations.announce_change(workshop, actor=actor)
            if workshop.capacity != before.capacity:
                replies.fill_free_places(workshop)
    return workshop


def publish_workshop(workshop: Workshop, *, actor) -> Workshop:
    """Draft → published: from now on invitations can be sent. The workshop must say
    where it takes place and must not lie in the past."""
    with transaction.atomic(), set_actor(actor):
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        _ensure_status(workshop, [EventStatus.DRAFT], _("Only a draft can be published."))
        if workshop.start <= timezone.now():
            raise ValidationError(_("The workshop starts in the past; change its date first."))
        workshop.status = EventStatus.PUBLISHED
        workshop.full_clean()
        workshop.save()
    return workshop


def mark_done(workshop: Workshop, *, actor) -> Workshop:
    """Published → done, once it has begun: replies close; documentation follows."""
    with transaction.atomic(), set_actor(actor):
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        _ensure_status(
            workshop, [EventStatus.PUBLISHED], _("Only a published workshop can be marked done.")
        )
        if workshop.start > timezone.now():
            raise ValidationError(_("The workshop has not begun yet."))
        workshop.status = EventStatus.DONE
        workshop.save()
        live.end_for_workshop(workshop, actor=actor)
    return workshop


def cancel_workshop(workshop: Workshop, *, actor) -> int:
    """Draft or published → cancelled; everyone invited who has not declined gets a
    cancellation with a calendar CANCEL, an informed deputy one for their information.
    Returns how many are told."""
    with transaction.atomic(), set_actor(actor):
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        _ensure_status(
            workshop,
            [EventStatus.DRAFT, EventStatus.PUBLISHED],
            _("Only draft and published workshops can be cancelled."),
        )
        told = invitations.cancel_event(workshop, actor=actor)
        live.end_for_workshop(workshop, actor=actor)
    return told


# --- agenda ----------------------------------------------------------------------------------


def save_agenda_item(item: AgendaItem, *, actor) -> AgendaItem:
    with transaction.atomic(), set_actor(actor):
        _ensure_status(
            item.workshop, [EventStatus.DRAFT, EventStatus.PUBLISHED], _("The agenda is closed.")
        )
        item.full_clean()
        item.save()
    return item


def delete_agenda_item(item: AgendaItem, *, actor) -> None:
    with transaction.atomic(), set_actor(actor):
        _ensure_status(
            item.workshop, [EventStatus.DRAFT, EventStatus.PUBLISHED], _("The agenda is closed.")
        )
        item.delete()


# --- documents -------------------------------------------------------------------------------


def add_document(
    workshop: Workshop, *, actor, title, uploaded, for_documentation=False
) -> Document:
    """Check an uploaded file by its content and size, store it under a random name and
    attach it to the workshop. Nothing is stored when it is refused."""
    _ensure_status(
        workshop,
        [EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.DONE],
        _("Documents of a cancelled workshop cannot be changed."),
    )
    file_type = check_upload(uploaded, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    name = display_name(uploaded.name) or f"{title}.{file_type}"
    document = Document(
        workshop=workshop,
        title=title.strip() or name,
        original_name=name,
        content_type=CONTENT_TYPES[file_type],
        size=uploaded.size,
        for_documentation=for_documentation,
        uploaded_by=actor,
    )
    document.file = uploaded
    try:
        with storing(), transaction.atomic(), set_actor(actor):
            document.save()
    except Exception:
        # The file was written before the row failed: do not keep an orphan.
        if document.file.name:
            default_storage.delete(document.file.name)
        raise
    return document


def include_in_documentation(document: Document, *, actor, included: bool) -> Document:
    """Make the document part of the documentation (shown once that is shared), or
    material for the invitees again."""
    with transaction.atomic(), set_actor(actor):
        document = Document.objects.select_for_update().get(pk=document.pk)
        document.for_documentation = included
        document.save(update_fields=["for_documentation"])
    return document


def delete_document(document: Document, *, actor) -> None:
    """Remove the document and, once that is committed, its file."""
    stored = document.file.name
    with transaction.atomic(), set_actor(actor):
        document.delete()
        transaction.on_commit(lambda: default_storage.delete(stored))


# --- audience and invitations ----------------------------------------------------------------


def add_external_addresses(workshop: Workshop, *, actor, addresses) -> int:
    """Add external addresses ((email, name) pairs) to the audience, all or none: an
    invalid one is named and nothing is added. Returns how many lines were added."""
    problems = []
    for email, _name in addresses:
        try:
            audiences.check_address(email)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for email, name in addresses:
            audiences.add_audience_entry(
                workshop, actor=actor, kind=AudienceEntry.Kind.EMAIL, email=email, name=name
            )
    return len(addresses)


def send_invitations(workshop: Workshop, *, actor, expected: int) -> int:
    """Invite everyone the audience names who is not invited yet, if that is still the
    number the coordinator confirmed: an audience that changed meanwhile is shown again."""
    _ensure_status(
        workshop, [EventStatus.PUBLISHED], _("Publish the workshop before sending invitations.")
    )
    if expected != len(uninvited_recipients(workshop)):
        raise ValidationError(
            _("The list of recipients has changed meanwhile. Please check it and confirm again.")
        )
    return invitations.send_invitations(workshop, actor=actor)


def uninvited_recipients(workshop: Workshop):
    """The recipients the audience names today who have no invitation yet."""
    return audiences.audience_state(workshop).to_invite


# --- the day itself and afterwards -----------------------------------------------------------


def set_checked_in(invitation: Invitation, *, actor, present: bool) -> Invitation:
    """Record that an invitee came (or undo a mistaken check-in)."""
    workshop = invitation.event
    _ensure_status(
        workshop,
        [EventStatus.PUBLISHED, EventStatus.DONE],
        _("Attendance can only be recorded for a published or done workshop."),
    )
    with transaction.atomic(), set_actor(actor):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if present and invitation.checked_in_at is None:
            invitation.checked_in_at = timezone.now()
        elif not present:
            invitation.checked_in_at = None
        invitation.save(update_fields=["checked_in_at"])
    return invitation


def save_documentation(workshop: Workshop, *, actor) -> Workshop:
    """Save results and minutes."""
    with transaction.atomic(), set_actor(actor):
        _ensure_status(
            workshop,
            [EventStatus.PUBLISHED, EventStatus.DONE],
            _("A cancelled or draft workshop has no documentation."),
        )
        workshop.full_clean()
        workshop.save(update_fields=["results", "minutes", "updated_at"])
    return workshop


def share_documentation(workshop: Workshop, *, actor, shared: bool) -> Workshop:
    """Open the documentation page (and its documents) to the invitees, or close it again."""
    with transaction.atomic(), set_actor(actor):
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        if shared:
            _ensure_status(
                workshop,
                [EventStatus.PUBLISHED, EventStatus.DONE],
                _("A cancelled or draft workshop has no documentation."),
            )
        workshop.documentation_published = shared
        workshop.save(update_fields=["documentation_published", "updated_at"])
    return workshop
