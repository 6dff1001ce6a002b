"""Meetings of the standing bodies: a series per body with its recurrence rule, the
occurrences (each an `Event` of the base, so invitations, replies, calendar files and
reminders are the pipeline's), the body's numbered decisions and the tasks agreed."""

from .calendars import CalendarSubscription
from .decisions import Decision, DecisionCounter, DecisionRegister
from .minutes import (
    AgendaDocument,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AgendaVersion,
    Attendance,
    AttendanceStatus,
    MeetingRecord,
    MinutesChange,
    MinutesStatus,
    OutcomeKind,
    agenda_document_path,
)
from .polls import DatePoll, PollAnswer, PollInvitee, PollSlot, PollStatus, PollVote
from .series import Meeting, MeetingSeries
from .tasks import Task, TaskLink, TaskNotice, TaskNoticeKind, TaskStatus

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "AgendaItemKind",
    "AgendaItemStatus",
    "AgendaVersion",
    "Attendance",
    "AttendanceStatus",
    "CalendarSubscription",
    "DatePoll",
    "Decision",
    "DecisionCounter",
    "DecisionRegister",
    "Meeting",
    "MeetingRecord",
    "MeetingSeries",
    "MinutesChange",
    "MinutesStatus",
    "OutcomeKind",
    "PollAnswer",
    "PollInvitee",
    "PollSlot",
    "PollStatus",
    "PollVote",
    "Task",
    "TaskLink",
    "TaskNotice",
    "TaskNoticeKind",
    "TaskStatus",
    "agenda_document_path",
]
