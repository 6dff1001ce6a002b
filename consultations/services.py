"""Writes for consultations: setting one up (sections, files, the organisations consulted),
opening it with one request per contact person, closing it, and each organisation's
statement through the base's organisation-response engine (`participation.responses`):
saving a section under the conflict rule, naming the responsible member, releasing or
declaring "no statement", reopening and extending one organisation's deadline."""

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation import responses
from participation.media_storage import storing
from participation.models import BodyMembership, Membership, Organisation
from participation.responses import AnswerConflict as AnswerConflict
from participation.responses import IncompleteResponse as IncompleteResponse
from participation.uploads import CONTENT_TYPES, check_upload, display_name

from .models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Position,
    SectionAnswer,
    Statement,
    StatementRequest,
)

ATTACHMENT_TYPES = ["pdf", "docx", "xlsx", "odt", "ods", "csv"]
ATTACHMENT_MAX_MB = 20
ATTACHMENT_MAX_BYTES = ATTACHMENT_MAX_MB * 1024 * 1024
TEXT_MAX_LENGTH = 10_000
ANSWER_PARTS = ("position", "comment", "wording")


# --- setting up --------------------------------------------------------------------------------


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _ensure_draft(consultation: Consultation):
    if consultation.status != Consultation.Status.DRAFT:
        raise ValidationError(
            _("The draft's sections and the organisations consulted are fixed once it is open.")
        )


def save_consultation(consultation: Consultation, *, actor) -> Consultation:
    """Create or change a consultation (title, purpose, deadline). A closed one stays as it
    was; an open one may move its deadline, but not into the past."""
    if consultation.pk:
        stored = Consultation.objects.get(pk=consultation.pk)
        if stored.status == Consultation.Status.CLOSED:
            raise ValidationError(_("A closed consultation cannot be changed."))
        if (
            stored.status == Consultation.Status.OPEN
            and consultation.deadline != stored.deadline
            and (consultation.deadline is None or consultation.deadline < timezone.localdate())
        ):
            raise ValidationError(
                {"deadline": _("The deadline of an open consultation cannot lie in the past.")}
            )
    else:
        consultation.created_by = actor
    with transaction.atomic(), set_actor(actor):
        consultation.full_clean()
        consultation.save()
    return consultation


def save_section(section: ConsultationSection, *, actor) -> ConsultationSection:
    """Save a section of a draft consultation; a new one is numbered after the last."""
    _ensure_draft(section.consultation)
    with transaction.atomic(), set_actor(actor):
        _locked(section.consultation)
        if not section.number:
            last = section.consultation.sections.aggregate(last=Max("number"))["last"]
            section.number = (last or 0) + 1
        clash = ConsultationSection.objects.filter(
            consultation=section.consultation, number=section.number
        ).exclude(pk=section.pk)
        if clash.exists():
            raise ValidationError({"number": _("Section %s exists already.") % section.number})
        section.full_clean()
        section.save()
    return section


def delete_section(section: ConsultationSection, *, actor):
    _ensure_draft(section.consultation)
    with transaction.atomic(), set_actor(actor):
        section.delete()


def add_attachment(consultation: Consultation, *, actor, title, uploaded) -> Attachment:
    """Check an uploaded file by its content and size, store it under a random name and
    attach it to the consultation. Nothing is stored when it is refused."""
    if consultation.status == Consultation.Status.CLOSED:
        raise ValidationError(_("A closed consultation cannot be changed."))
    file_type = check_upload(uploaded, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    name = display_name(uploaded.name) or f"{title}.{file_type}"
    attachment = Attachment(
        consultation=consultation,
        title=(title or "").strip() or name,
        original_name=name,
        content_type=CONTENT_TYPES[file_type],
        size=uploaded.size,
        uploaded_by=actor,
    )
    attachment.file = uploaded
    try:
        with storing(), transaction.atomic(), set_actor(actor):
            attachment.save()
    except Exception:
        # The file was written before the row failed: do not keep an orphan.
        if attachment.file.name:
            default_storage.delete(attachment.file.name)
        raise
    return attachment


def delete_attachment(attachment: Attachment, *, actor):
    """Remove the attachment and, once that is committed, its file."""
    if attachment.consultation.status != Consultation.Status.DRAFT:
        raise ValidationError(_("The files of an open consultation stay as they were sent."))
    name = attachment.file.name
    with transaction.atomic(), set_actor(actor):
        attachment.delete()
        transaction.on_commit(lambda: default_storage.delete(name))


def organisations_chosen(*, kinds=(), bodies=(), organisations=()):
    """The active organisations of the given kinds, those represented in the given bodies
    today, and the ones named one by one."""
    represented = (
        BodyMembership.objects.current()
        .filter(body__in=bodies, represents__isnull=False)
        .values("represents_id")
    )
    by_kind = Organisation.objects.filter(kind__in=list(kinds), is_active=True)
    by_body = Organisation.objects.filter(pk__in=represented, is_active=True)
    named = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    return (by_kind | by_body | named).distinct()


def consult(consultation: Consultation, *, actor, kinds=(), bodies=(), organisations=()) -> int:
    """Add organisations to those consulted (by kind, by body, one by one). Returns how many
    were added."""
    _ensure_draft(consultation)
    chosen = organisations_chosen(kinds=kinds, bodies=bodies, organisations=organisations)
    new = list(chosen.exclude(pk__in=consultation.organisations.values("pk")))
    if not new:
        return 0
    with transaction.atomic(), set_actor(actor):
        consultation.organisations.add(*new)
    return len(new)


def stop_consulting(consultation: Consultation, organisation: Organisation, *, actor):
    _ensure_draft(consultation)
    with transaction.atomic(), set_actor(actor):
        consultation.organisations.remove(organisation)


def open_consultation(
    consultation: Consultation, *, actor, request_statements: bool = True
) -> Consultation:
    """Open the draft for statements and ask every consulted organisation's contact people
    (one request each, after commit; `request_statements=False` for the demo, which mails
    nobody). It needs sections, organisations and a deadline that is still ahead."""
    with transaction.atomic(), set_actor(actor):
        consultation = _locked(consultation)
        _ensure_draft(consultation)
        problems = []
        if not consultation.sections.exists():
            problems.append(_("Add at least one section of the draft."))
        if not consultation.organisations.exists():
            problems.append(_("Choose the organisations to consult."))
        if consultation.deadline is None or consultation.deadline <= timezone.localdate():
            problems.append(_("Set a deadline after today."))
        if problems:
            raise ValidationError(problems)
        consultation.status = Consultation.Status.OPEN
        consultation.opened_at = timezone.now()
        consultation.save(update_fields=["status", "opened_at", "updated_at"])
        if request_statements:
            send_requests(consultation)
    return consultation


def send_requests(consultation: Consultation) -> int:
    """Request a statement from every current contact person with an e-mail address of the
    consulted organisations, each once (held by the `StatementRequest` row). Returns how
    many were sent now."""
    return responses.mail_contacts_once(
        consultation.organisations.all(),
        claim=lambda membership: StatementRequest.objects.get_or_create(
            consultation=consultation,
            organisation=membership.organisation,
            person=membership.person,
        ),
        template="consultations/mail/request",
        context={
            "consultation": consultation,
            "deadline": consultation.deadline,
            "consultation_url": f"{settings.SITE_URL}{consultation.get_absolute_url()}",
        },
    )


def close_consultation(consultation: Consultation, *, actor) -> Consultation:
    """End the consultation once its deadline and every extension have passed: no statement
    changes any more."""
    with transaction.atomic(), set_actor(actor):
        consultation = _locked(consultation)
        if consultation.status != Consultation.Status.OPEN:
            raise ValidationError(_("Only an open consultation can be closed."))
        today = timezone.localdate()
        latest = consultation.statements.aggregate(latest=Max("deadline_extended_to"))["latest"]
        last_day = max(filter(None, [consultation.deadline, latest]))
        if last_day >= today:
            raise ValidationError(
                _("Statements are accepted until %s; close the consultation after that.")
                % formats.date_format(last_day, "SHORT_DATE_FORMAT")
            )
        consultation.status = Consultation.Status.CLOSED
        consultation.closed_at = timezone.now()
        consultation.save(update_fields=["status", "closed_at", "updated_at"])
    return consultation


# --- statements --------------------------------------------------------------------------------


def statement_for(consultation: Consultation, organisation: Organisation) -> Statement:
    """The organisation's one statement (created on first use). The caller has checked that
    the organisation is consulted and the user may answer for it."""
    if consultation.status == Consultation.Status.DRAFT:
        raise ValidationError(_("This consultation is not open for statements."))
    statement, _created = Statement.objects.get_or_create(
        consultation=consultation, organisation=organisation
    )
    return statement


def clean_section_answer(raw) -> dict | None:
    """A section's posted position, comment and proposed wording as the stored value; None
    when all three are empty. ValidationError for an unknown position or a text too long."""
    raw = raw or {}
    value = {part: str(raw.get(part) or "").strip() for part in ANSWER_PARTS}
    value["comment"] = value["comment"].replace("\r\n", "\n")
    value["wording"] = value["wording"].replace("\r\n", "\n")
    if value["position"] and value["position"] not in Position.values:
        raise ValidationError(_("Choose agree, agree with changes or disagree."))
    for part in ("comment", "wording"):
        if len(value[part]) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("A text may have at most %(max)s characters.") % {"max": TEXT_MAX_LENGTH}
            )
    if not any(value.values()):
        return None
    return value


def save_section_answer(
    statement: Statement,
    section: ConsultationSection,
    raw,
    *,
    actor,
    base_revision: int,
    whole_form: bool = False,
) -> SectionAnswer:
    """Validate and store the statement on one section under the conflict rule
    (`responses.save_answer`): AnswerConflict if someone saved a different value since
    `base_revision`."""
    if section.consultation_id != statement.consultation_id:
        raise ValidationError(_("This section does not belong to this consultation."))
    statement.check_editable()
    value = clean_section_answer(raw)
    return responses.save_answer(
        statement,
        section,
        value,
        actor=actor,
        base_revision=base_revision,
        whole_form=whole_form,
    )


def sections_without_position(statement: Statement):
    """The sections the statement takes no position on yet: each needs one to release."""
    answered = {
        answer.question_id
        for answer in statement.answers.all()
        if answer.value and answer.value.get("position")
    }
    return [s for s in statement.consultation.sections.all() if s.pk not in answered]


def name_responsible(statement: Statement, person, *, actor) -> Statement:
    """Name the member who releases the statement: a current member of the organisation."""
    statement.check_editable()
    if (
        person is None
        or not Membership.objects.current()
        .filter(organisation=statement.organisation, person=person, person__user__isnull=False)
        .exists()
    ):
        raise ValidationError(
            {"responsible": _("Choose a current member of the organisation with an account.")}
        )
    with transaction.atomic(), set_actor(actor):
        statement.responsible = person
        statement.save(update_fields=["responsible"])
    return statement


def _ensure_responsible(statement: Statement, actor):
    if statement.responsible is None:
        raise ValidationError(_("First name the member responsible for the statement."))
    if statement.responsible.user_id != actor.pk:
        raise ValidationError(
            _(
                "Only the responsible member (%s) can release the statement or declare that "
                "none is given."
            )
            % statement.responsible.full_name
        )


def release_statement(statement: Statement, *, actor) -> Statement:
    """The responsible member releases the statement: it becomes read-only and counts as
    given. Every section needs a position (IncompleteResponse names the others)."""
    _ensure_responsible(statement, actor)
    return responses.submit(statement, actor=actor, missing=sections_without_position)


def declare_no_statement(statement: Statement, *, actor) -> Statement:
    """The responsible member declares that the organisation gives no statement."""
    _ensure_responsible(statement, actor)
    with transaction.atomic():
        statement = responses.submit(statement, actor=actor, missing=lambda _statement: [])
        with set_actor(actor):
            statement.no_statement = True
            statement.save(update_fields=["no_statement"])
    return statement


def reopen_statement(statement: Statement, *, actor) -> Statement:
    """The coordination opens a released statement (or a "no statement") for changes."""
    if statement.consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("This consultation is not open for statements."))
    with transaction.atomic():
        statement = responses.reopen(statement, actor=actor)
        with set_actor(actor):
            statement.no_statement = False
            statement.save(update_fields=["no_statement"])
    return statement


def extend_deadline(statement: Statement, *, actor, until) -> Statement:
    """Give one organisation more time than the consultation's deadline."""
    if statement.consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("This consultation is not open for statements."))
    return responses.extend_deadline(statement, actor=actor, until=until)
