"""Workshops, their agenda and documents keep an audit trail (who changed what, when),
including every status change."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import AgendaItem, Document, Workshop

# The calendar sequence rises with every announced change; the status change says more.
auditlog.register(Workshop, exclude_fields=untracked_fields(Workshop) + ["sequence"])
auditlog.register(AgendaItem, exclude_fields=untracked_fields(AgendaItem))
auditlog.register(Document, exclude_fields=untracked_fields(Document) + ["uploaded_at"])
