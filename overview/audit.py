"""Committee reports keep an audit trail: who asked for which period (the files and the
progress are the worker's bookkeeping)."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import CommitteeReport

auditlog.register(
    CommitteeReport,
    exclude_fields=untracked_fields(CommitteeReport)
    + ["progress", "pdf", "docx", "xlsx", "finished_at", "failure"],
)
