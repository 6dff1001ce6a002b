"""The base's models: the registry, the mail outbox, personal links, events with their
invitations, and the abstract bases of an organisation's response."""

from .events import (
    AudienceEntry,
    Event,
    EventStatus,
    Invitation,
    InvitationMessage,
    Reply,
)
from .legal import LegalPage, LegalPageKind
from .links import PersonalLink
from .outbox import OutboundMail
from .records import CreatedRecord
from .registry import (
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
from .security import SecurityEvent, SecurityEventKind
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "CreatedRecord",
    "AnswerHistoryEntry",
    "ContactReminder",
    "OrganisationResponse",
    "RevisedAnswer",
    "AudienceEntry",
    "Body",
    "BodyKind",
    "BodyMembership",
    "BodyRole",
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
    "SecurityEvent",
    "SecurityEventKind",
    "Term",
    "TermQuerySet",
    "User",
    "UserManager",
    "ags_validator",
    "current_term_q",
]
