"""The personal data the base holds, and that of the third-party apps it installs (accounts,
e-mail addresses, second factors, sessions, API tokens, the audit trail, the admin's log),
declared for the records of processing and the download of one's own data (the contract:
`privacy/inventory.py`)."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Person, User
from .privacy.inventory import (
    CONSENT_SPECIAL,
    LEGAL_OBLIGATION,
    PUBLIC_TASK,
    Declaration,
    NoPersonalData,
)

SECRET = _("a secret that lets its holder sign in or open a link; it never leaves the platform")
COORDINATORS = _("coordinators")
THE_PERSON = _("the person themselves; coordinators")
REGISTRY = _("coordinators; members of the same organisation or body see name and function")
SECURITY = _("coordinators (security log); the person for their own account")


def _sessions(subject):
    """The sessions signed in to the subject's account. A session names its account only
    inside its signed data, so the unexpired ones are read."""
    if subject.user is None:
        return Session.objects.none()
    user_id = str(subject.user.pk)
    keys = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    return Session.objects.filter(pk__in=keys)


def _audit_about(subject):
    """Audit entries about the subject's account, registry person or invitations."""
    objects = [(User, [subject.user.pk] if subject.user else [])]
    objects.append((Person, [subject.person.pk] if subject.person else []))
    objects.append((Invitation, sorted(subject.invitation_ids)))
    entries = LogEntry.objects.none()
    for model, pks in objects:
        if pks:
            entries |= LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            )
    return entries


DECLARATIONS = [
    Declaration(
        key="account",
        model="participation.User",
        fields=("email",),
        context=("is_coordinator", "is_active", "date_joined", "last_login"),
        withheld={"password": SECRET},
        category=_("Account"),
        purpose=_("Signing in to the platform and the rights of a coordinator"),
        legal_basis=PUBLIC_TASK,
        visible_to=THE_PERSON,
        retention="account",
        subject=("pk",),
    ),
    Declaration(
        key="person",
        model="participation.Person",
        fields=(
            "title",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "user",
            "notes",
        ),
        context=("created_at", "updated_at"),
        category=_("Registry of people"),
        purpose=_("Knowing who belongs to the organisations and bodies, and how to reach them"),
        legal_basis=PUBLIC_TASK,
        visible_to=REGISTRY,
        retention="account",
        subject=("pk",),
    ),
    Declaration(
        key="membership",
        model="participation.Membership",
        fields=("person", "function", "is_contact"),
        context=("organisation", "valid_from", "valid_until"),
        category=_("Memberships in organisations"),
        purpose=_("Who speaks and answers for an organisation"),
        legal_basis=PUBLIC_TASK,
        visible_to=REGISTRY,
        retention="account",
        subject=("person",),
    ),
    Declaration(
        key="body_membership",
        model="participation.BodyMembership",
        fields=("person", "role"),
        context=("body", "represents", "valid_from", "valid_until"),
        category=_("Seats in bodies"),
        purpose=_("Who sits in a committee or working group, for invitations and attendance"),
        legal_basis=PUBLIC_TASK,
        visible_to=REGISTRY,
        retention="account",
        subject=("person",),
    ),
    NoPersonalData(
        "participation.Organisation",
        _("an organisation's name and general contact details; people are kept in Person"),
    ),
    NoPersonalData("participation.Body", _("a body's name and description")),
    Declaration(
        key="mail",
        model="participation.OutboundMail",
        fields=("to", "subject", "body_text", "body_html"),
        context=("status", "created_at", "sent_at"),
        category=_("E-mail sent by the platform"),
        purpose=_("Delivering invitations, reminders and notices, and proving they were sent"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="mail_bodies",
        subject=("to",),
    ),
    Declaration(
        key="audience_entry",
        model="participation.AudienceEntry",
        fields=("person", "email", "name"),
        context=("kind", "event_type", "event_id", "created_at"),
        category=_("Invitation lists of events"),
        purpose=_("Whom an event invites"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="external_replies",
        subject=("person", "email"),
    ),
    Declaration(
        key="invitation",
        model="participation.Invitation",
        fields=("person", "email", "name", "language", "reply", "replied_at", "checked_in_at"),
        context=("event_type", "event_id", "organisation", "informed", "waitlisted_at"),
        category=_("Invitations and replies"),
        purpose=_("Inviting to workshops and meetings, places, attendance"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators; the invitee"),
        retention="external_replies",
        subject=("pk",),
    ),
    Declaration(
        key="invitation_needs",
        model="participation.Invitation",
        fields=("accessibility_needs", "dietary_wishes"),
        context=("event_type", "event_id"),
        category=_("Accessibility needs and dietary wishes"),
        purpose=_("Preparing an event so that everyone invited can take part"),
        legal_basis=CONSENT_SPECIAL,
        visible_to=_("coordinators of the event; the invitee"),
        retention="event_needs",
        subject=("pk",),
    ),
    Declaration(
        key="invitation_recorded",
        model="participation.Invitation",
        fields=("reply_recorded_by",),
        context=("replied_at",),
        category=_("Replies recorded for an invitee"),
        purpose=_("Knowing who entered a reply given by telephone"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="external_replies",
        subject=("reply_recorded_by",),
    ),
    Declaration(
        key="invitation_link",
        model="participation.InvitationMessage",
        fields=("invitation", "purpose"),
        context=("created_at", "expires_at", "used_at", "revoked_at"),
        withheld={"token_hash": SECRET},
        category=_("Personal links"),
        purpose=_("Letting invitees without an account reply"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("nobody; the platform checks them"),
        retention="external_replies",
        subject=("invitation",),
    ),
    Declaration(
        key="legal_page",
        model="participation.LegalPage",
        fields=("updated_by",),
        context=("kind", "updated_at"),
        category=_("Authors of records"),
        purpose=_("Knowing who last changed a legal page"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="records",
        subject=("updated_by",),
    ),
    Declaration(
        key="barrier_report",
        model="participation.BarrierReport",
        fields=("name", "email", "description", "page"),
        context=("created_at", "answered_at"),
        category=_("Reported barriers"),
        purpose=_("Removing a barrier someone met and answering them (§ 10b BGG NRW)"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="barrier_reports",
        subject=("email",),
    ),
    Declaration(
        key="barrier_report_answer",
        model="participation.BarrierReport",
        fields=("answered_by",),
        context=("created_at", "answered_at"),
        category=_("Authors of records"),
        purpose=_("Knowing who answered a reported barrier"),
        legal_basis=PUBLIC_TASK,
        visible_to=COORDINATORS,
        retention="barrier_reports",
        subject=("answered_by",),
    ),
    Declaration(
        key="erasure_request",
        model="participation.ErasureRequest",
        fields=("person", "invitation"),
        context=("channel", "requested_at", "done_at"),
        category=_("Requests for erasure"),
        purpose=_("Carrying out a person's request to erase their data (Art. 17 GDPR)"),
        legal_basis=_("Art. 6(1)(c) GDPR with Art. 17 GDPR"),
        visible_to=COORDINATORS,
        retention="account",
        subject=("person", "invitation"),
    ),
    Declaration(
        key="erasure_request_done_by",
        model="participation.ErasureRequest",
        fields=("done_by",),
        context=("requested_at", "done_at"),
        category=_("Authors of records"),
        purpose=_("Knowing who carried out an erasure"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=COORDINATORS,
        retention="account",
        subject=("done_by",),
    ),
    NoPersonalData(
        "participation.RetentionRun", _("when the nightly purge ran and how much it removed")
    ),
    Declaration(
        key="security_event",
        model="participation.SecurityEvent",
        fields=("user", "address", "path", "detail"),
        context=("kind", "at"),
        category=_("Security log"),
        purpose=_("Detecting and clearing up attacks on accounts and misuse"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=SECURITY,
        retention="security_log",
        subject=("user",),
    ),
    Declaration(
        key="security_event_actor",
        model="participation.SecurityEvent",
        fields=("actor",),
        context=("kind", "at"),
        category=_("Security log"),
        purpose=_("Knowing who changed a role, exported or erased data"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=SECURITY,
        retention="security_log",
        subject=("actor",),
    ),
    Declaration(
        key="data_export",
        model="participation.DataExport",
        fields=("user", "invitation"),
        context=("status", "created_at", "finished_at", "expires_at", "downloaded_at"),
        withheld={"archive": _("the download itself; it holds the data listed here")},
        category=_("Downloads of one's own data"),
        purpose=_("Giving people their data (Art. 15 and 20 GDPR)"),
        legal_basis=_("Art. 6(1)(c) GDPR with Art. 15 and 20 GDPR"),
        visible_to=_("the person themselves"),
        retention="data_exports",
        subject=("user", "invitation"),
    ),
    # The third-party apps the base installs.
    Declaration(
        key="admin_log",
        model="admin.LogEntry",
        fields=("user",),
        context=("action_time", "action_flag", "content_type", "change_message"),
        category=_("Audit trail"),
        purpose=_("Tracing changes made in the administration"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=_("administrators"),
        retention="audit",
        subject=("user",),
    ),
    NoPersonalData("auth.Permission", _("the rights a role may hold")),
    NoPersonalData("auth.Group", _("the names of groups of rights")),
    NoPersonalData("contenttypes.ContentType", _("the names of the platform's models")),
    Declaration(
        key="session",
        model="sessions.Session",
        fields=(),
        context=("expire_date",),
        withheld={"session_key": SECRET, "session_data": SECRET},
        category=_("Sessions"),
        purpose=_("Keeping a person signed in"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("nobody; the platform checks them"),
        retention="account",
        find=_sessions,
    ),
    Declaration(
        key="email_address",
        model="account.EmailAddress",
        fields=("user", "email", "verified", "primary"),
        category=_("Account"),
        purpose=_("Signing in and resetting the password"),
        legal_basis=PUBLIC_TASK,
        visible_to=THE_PERSON,
        retention="account",
        subject=("user",),
    ),
    Declaration(
        key="email_confirmation",
        model="account.EmailConfirmation",
        fields=("email_address",),
        context=("created", "sent"),
        withheld={"key": SECRET},
        category=_("Account"),
        purpose=_("Confirming an e-mail address"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("nobody; the platform checks them"),
        retention="account",
        subject=("email_address__user",),
    ),
    Declaration(
        key="second_factor",
        model="mfa.Authenticator",
        fields=("user", "type"),
        context=("created_at", "last_used_at"),
        withheld={"data": SECRET},
        category=_("Second factor"),
        purpose=_("Protecting accounts by a second factor"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=THE_PERSON,
        retention="account",
        subject=("user",),
    ),
    Declaration(
        key="api_token",
        model="participation.ApiToken",
        fields=("user", "name"),
        context=("prefix", "created_at", "expires_at", "last_used_at", "revoked_at"),
        withheld={"key_hash": SECRET},
        category=_("API tokens"),
        purpose=_("Access for programs acting for the person"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("the person themselves"),
        retention="account",
        subject=("user",),
    ),
    Declaration(
        key="audit_actor",
        model="auditlog.LogEntry",
        fields=("actor", "actor_email", "remote_addr"),
        context=("timestamp", "action", "content_type", "object_pk"),
        category=_("Audit trail"),
        purpose=_("Tracing who changed which record"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=_("coordinators (a record's history); administrators"),
        retention="audit",
        subject=("actor",),
    ),
    Declaration(
        key="audit_about",
        model="auditlog.LogEntry",
        fields=("object_repr", "changes", "changes_text", "serialized_data"),
        context=("timestamp", "action", "content_type", "object_pk"),
        category=_("Audit trail"),
        purpose=_("Tracing changes to a person's records"),
        legal_basis=LEGAL_OBLIGATION,
        visible_to=_("coordinators (a record's history); administrators"),
        retention="audit",
        find=_audit_about,
    ),
    *(
        NoPersonalData(f"django_celery_beat.{name}", _("the schedule of the platform's tasks"))
        for name in (
            "SolarSchedule",
            "IntervalSchedule",
            "ClockedSchedule",
            "CrontabSchedule",
            "PeriodicTasks",
            "PeriodicTask",
        )
    ),
]
