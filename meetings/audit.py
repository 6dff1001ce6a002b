"""Series, meetings, decisions and tasks keep an audit trail (who changed what, when)."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import DatePoll, Decision, DecisionRegister, Meeting, MeetingSeries, Task

# The calendar sequence rises with every change; the change itself says more.
auditlog.register(MeetingSeries, exclude_fields=untracked_fields(MeetingSeries) + ["sequence"])
auditlog.register(Meeting, exclude_fields=untracked_fields(Meeting) + ["sequence"])
auditlog.register(DecisionRegister, exclude_fields=untracked_fields(DecisionRegister))
auditlog.register(Decision, exclude_fields=untracked_fields(Decision))
auditlog.register(Task, exclude_fields=untracked_fields(Task) + ["done_at"])

# Date polls: the poll itself (its answers are recorded as actions on it).
auditlog.register(DatePoll, exclude_fields=untracked_fields(DatePoll))

# Agenda and minutes: the minutes' text is saved by one UPDATE (revision check) and
# recorded with record_action; its history is MinutesChange.
from .models import AgendaDocument, AgendaItem, Attendance, MeetingRecord  # noqa: E402

auditlog.register(AgendaItem, exclude_fields=untracked_fields(AgendaItem) + ["revision"])
auditlog.register(AgendaDocument, exclude_fields=untracked_fields(AgendaDocument))
auditlog.register(Attendance, exclude_fields=untracked_fields(Attendance))
auditlog.register(MeetingRecord, exclude_fields=untracked_fields(MeetingRecord))
