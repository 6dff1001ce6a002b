"""The base's models: the registry, the mail outbox, personal links, events with their
invitations, and the abstract bases of an organisation's response."""

from .erasure import ErasureRequest
from .events import (
    AudienceEntry,
    Event,
    EventStatus,
    Invitation,
    InvitationMessage,
    Reply,
)
from .legal import BarrierReport, LegalPage, LegalPageKind, is_local_address
from .links import PersonalLink
from .outbox import OutboundMail
from .privacy import DataExport
from .records import CreatedRecord
from .registry import (
    FORMER_MEMBER,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Language,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Term,
    TermQuerySet,
    User,
    UserManager,
    ags_validator,
    current_term_q,
)
from .responses import AnswerHistoryEntry, ContactReminder, OrganisationResponse, RevisedAnswer
from .retention import RetentionRun
from .security import SecurityEvent, SecurityEventKind
from .tokens import ApiToken

__all__ = [
    "BarrierReport",
    "ApiToken",
    "CreatedRecord",
    "DataExport",
    "AnswerHistoryEntry",
    "ContactReminder",
    "OrganisationResponse",
    "RevisedAnswer",
    "AudienceEntry",
    "FORMER_MEMBER",
    "Body",
    "BodyKind",
    "BodyMembership",
    "BodyRole",
    "ErasureRequest",
    "Event",
    "EventStatus",
    "Invitation",
    "InvitationMessage",
    "Language",
    "LegalPage",
    "LegalPageKind",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "OutboundMail",
    "Person",
    "PersonalLink",
    "Reply",
    "RetentionRun",
    "SecurityEvent",
    "SecurityEventKind",
    "Term",
    "TermQuerySet",
    "User",
    "UserManager",
    "ags_validator",
    "is_local_address",
    "current_term_q",
]
