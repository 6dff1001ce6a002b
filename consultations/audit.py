"""A consultation's set-up and each statement's status keep an audit trail; the answers per
section keep their own history (SectionAnswerChange) with old and new value."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import (
    Consultation,
    ConsultationSection,
    Publication,
    RevisedSection,
    Statement,
    WeighingPoint,
)

for model in (Consultation, ConsultationSection, Statement):
    auditlog.register(model, exclude_fields=untracked_fields(model) + ["last_activity_at"])

for model in (WeighingPoint, RevisedSection, Publication):
    auditlog.register(model, exclude_fields=untracked_fields(model))
