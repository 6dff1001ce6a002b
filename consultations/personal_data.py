"""The personal data consultations hold, for the records of processing and the download of
one's own data (the contract: `participation/privacy/inventory.py`). A statement is the
organisation's; who is responsible for it and who wrote it is personal."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import (
    PUBLIC_TASK,
    Declaration,
    NoPersonalData,
    authored,
)

DRAFT_TEXT = _("the draft the county puts to consultation; written for the county")


def _notice(key, model, *, purpose):
    return Declaration(
        key=key,
        model=model,
        fields=("person",),
        context=("consultation" if model != "consultations.ResultNotice" else "publication",)
        + ("organisation", "sent_at"),
        category=_("Notices to contact people"),
        purpose=purpose,
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators"),
        retention="records",
        subject=("person",),
    )


DECLARATIONS = [
    authored(
        "consultation_created",
        "consultations.Consultation",
        "created_by",
        context=("title", "created_at"),
        purpose=_("Knowing who set up a consultation"),
    ),
    NoPersonalData("consultations.ConsultationSection", DRAFT_TEXT),
    NoPersonalData("consultations.RevisedSection", DRAFT_TEXT),
    authored(
        "consultation_attachment",
        "consultations.Attachment",
        "uploaded_by",
        fields=("original_name",),
        context=("consultation", "title", "uploaded_at"),
        purpose=_("Knowing who uploaded a document"),
    ),
    Declaration(
        key="statement_responsible",
        model="consultations.Statement",
        fields=("responsible",),
        context=("consultation", "organisation", "status", "no_statement", "submitted_at"),
        category=_("Statements of organisations"),
        purpose=_("Who is responsible for releasing an organisation's statement"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators; members of the organisation"),
        retention="records",
        subject=("responsible",),
    ),
    authored(
        "statement_submitted",
        "consultations.Statement",
        "submitted_by",
        context=("consultation", "organisation", "submitted_at"),
        purpose=_("Knowing who released a statement"),
    ),
    authored(
        "statement_section_answer",
        "consultations.SectionAnswer",
        "updated_by",
        fields=("value",),
        context=("response", "question", "updated_at"),
        purpose=_("The statements a person wrote for their organisation"),
    ),
    authored(
        "statement_section_change",
        "consultations.SectionAnswerChange",
        "changed_by",
        fields=("old_value", "new_value"),
        context=("answer", "changed_at"),
        purpose=_("The history of a statement: who changed it, and how"),
    ),
    _notice(
        "statement_request",
        "consultations.StatementRequest",
        purpose=_("Asking an organisation's contact people for a statement"),
    ),
    Declaration(
        key="consultation_reminder",
        model="consultations.ConsultationReminder",
        fields=("person",),
        context=("consultation", "organisation", "kind", "sent_on"),
        category=_("Reminders"),
        purpose=_("Reminding contact people of a consultation's deadline"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators"),
        retention="records",
        subject=("person",),
    ),
    authored(
        "consultation_reminder_requested",
        "consultations.ConsultationReminder",
        "requested_by",
        context=("consultation", "organisation", "sent_on"),
        purpose=_("Knowing who sent a reminder"),
    ),
    authored(
        "weighing_point",
        "consultations.WeighingPoint",
        "updated_by",
        fields=("reply", "reasons"),
        context=("answer", "number", "updated_at"),
        purpose=_("Knowing who weighed a point of a statement"),
        exempt={"text": _("a point of an organisation's statement, as the organisation gave it")},
    ),
    authored(
        "consultation_publication",
        "consultations.Publication",
        "published_by",
        context=("consultation", "version", "published_at"),
        purpose=_("Knowing who published a result"),
    ),
    _notice(
        "result_notice",
        "consultations.ResultNotice",
        purpose=_("Telling contact people of a published result"),
    ),
]
