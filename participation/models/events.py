"""Events people are invited to, whatever their kind (a workshop, a meeting): the facts every
invitation and calendar entry needs, the audience as chosen, one invitation per invitee, and
every message sent about it.

An event model of a feature app inherits `Event` (abstract), gives `get_absolute_url` and may
add lines (`invitation_details`) and a programme (`invitation_programme`) to its invitations;
invitations point at it generically, so the base never imports the feature apps."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .links import PersonalLink
from .outbox import OutboundMail
from .registry import Body, Language, Organisation, OrganisationKind, Person


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Dates outside these years are typing errors ("0044", "20277"); they are refused. Before
# time zones were standardised a zone's offset was its local mean time (Berlin +00:53:28).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099


def validate_event_date(value):
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="implausible_year",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


class Event(models.Model):
    """Date, place, capacity and registration deadline of something people are invited to.

    `uid` and `sequence` are the calendar identity (RFC 5545): the UID never changes, the
    sequence rises with every change that invitees must hear about."""

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    start = models.DateTimeField(_("start"), validators=[validate_event_date])
    end = models.DateTimeField(_("end"), validators=[validate_event_date])
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("For online or hybrid events.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places available; empty for no limit. Further acceptances join a waitlist."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        validators=[validate_event_date],
        help_text=_("Replies are accepted until then; empty means until the start."),
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    invitations = GenericRelation(
        "participation.Invitation", content_type_field="event_type", object_id_field="event_id"
    )
    audience_entries = GenericRelation(
        "participation.AudienceEntry", content_type_field="event_type", object_id_field="event_id"
    )

    # Changes to these fields are news for every invitee: a calendar update goes out.
    SCHEDULE_FIELDS = ("start", "end", "venue_name", "venue_address", "online_url")

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The coordinators' page of the event."""
        raise NotImplementedError(f"{type(self).__name__} must define get_absolute_url")

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            raise ValidationError(
                {"registration_deadline": _("The registration deadline must be before the start.")}
            )

    @property
    def reply_deadline(self):
        return self.registration_deadline or self.start

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def is_in_person(self):
        return bool(self.venue_name or self.venue_address)

    @property
    def is_hybrid(self):
        return self.is_online and self.is_in_person

    def replies_open(self, now=None):
        now = now or timezone.now()
        return self.status == EventStatus.PUBLISHED and now <= self.reply_deadline

    def links_expire_at(self):
        """Personal links stop working once the event is over (end of its last day)."""
        return self.end

    def links_usable(self, now=None) -> bool:
        """Whether the personal links of its invitations work: not once it is cancelled or
        over."""
        now = now or timezone.now()
        return self.status != EventStatus.CANCELLED and now <= self.links_expire_at()

    def invitation_details(self) -> list[str]:
        """Lines the invitation mail and the reply page add to date and place (rendered in
        the recipient's language); none by default."""
        return []

    def calendar_identity(self) -> tuple[str, datetime.datetime | None] | None:
        """The calendar UID and RECURRENCE-ID of an event that is one occurrence of a
        series (so calendar programs update that occurrence); None for an event of its
        own, which has its own UID."""
        return None

    def invitation_programme(self) -> list[tuple[str, str]]:
        """The programme as (time, item) rows, formatted in the active language, which the
        invitation mail and the reply page show as a table; none by default."""
        return []

    def programme_update(self, key) -> tuple[list[tuple[str, str, str]], list[str]]:
        """The programme as the update named `key` sends it: (time, item, change) rows,
        the change empty for an unchanged item, and the items removed since the update
        before, in the active language. By default the current programme, unmarked."""
        return [(time, item, "") for time, item in self.invitation_programme()], []


class AudienceEntry(models.Model):
    """One line of an event's audience as the coordinator chose it; resolved to people when
    invitations are sent, so a body's seats are read on that day."""

    class Kind(models.TextChoices):
        BODY = "body", _("Whole body")
        ORGANISATION_KIND = "organisation_kind", _("All organisations of a kind")
        ORGANISATION = "organisation", _("One organisation")
        PERSON = "person", _("One person")
        EMAIL = "email", _("External e-mail address")

    event_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    event_id = models.PositiveBigIntegerField()
    event = GenericForeignKey("event_type", "event_id")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    body = models.ForeignKey(
        Body, verbose_name=_("body"), null=True, blank=True, on_delete=models.CASCADE
    )
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event_type", "event_id"])]
        verbose_name = _("audience entry")
        verbose_name_plural = _("audience entries")

    def __str__(self):
        target = {
            self.Kind.BODY: self.body,
            self.Kind.ORGANISATION_KIND: self.get_organisation_kind_display(),
            self.Kind.ORGANISATION: self.organisation,
            self.Kind.PERSON: self.person,
            self.Kind.EMAIL: self.email,
        }.get(self.kind)
        return f"{self.get_kind_display()}: {target}"

    def clean(self):
        required = {
            self.Kind.BODY: ("body", self.body_id),
            self.Kind.ORGANISATION_KIND: ("organisation_kind", self.organisation_kind),
            self.Kind.ORGANISATION: ("organisation", self.organisation_id),
            self.Kind.PERSON: ("person", self.person_id),
            self.Kind.EMAIL: ("email", self.email),
        }.get(self.kind)
        if required and not required[1]:
            raise ValidationError({required[0]: _("This field is required.")})


class Reply(models.TextChoices):
    NONE = "", _("No reply yet")
    ACCEPTED = "accepted", _("Accepted")
    TENTATIVE = "tentative", _("Tentative")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """One invitee of one event: their reply, place (or waitlist position) and attendance.

    The invitee is a registry person or an external address; `organisation` is whom they
    come for, which decides who may stand in for them."""

    Reply = Reply

    event_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    event_id = models.PositiveBigIntegerField()
    event = GenericForeignKey("event_type", "event_id")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    reply = models.CharField(
        _("reply"), max_length=16, choices=Reply.choices, default=Reply.NONE, blank=True
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(
        _("on the waitlist since"),
        null=True,
        blank=True,
        help_text=_("Set while an acceptance waits for a free place; the earliest moves up first."),
    )
    deputy_for = models.ForeignKey(
        "self",
        verbose_name=_("deputy for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
    )
    informed = models.BooleanField(
        _("informed only"),
        default=False,
        help_text=_(
            "A seat's registered deputy who is told about the event and invited when the "
            "principal declines; no reply is expected until then."
        ),
    )
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The coordinator who recorded the reply for the invitee (by telephone)."),
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    dietary_wishes = models.TextField(_("dietary wishes"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["event_type", "event_id", "reply"])]
        constraints = [
            models.UniqueConstraint(
                "event_type",
                "event_id",
                Lower("email"),
                name="invitation_one_per_address",
                violation_error_message=_("This address is already invited."),
            ),
            models.CheckConstraint(
                condition=Q(waitlisted_at__isnull=True) | Q(reply=Reply.ACCEPTED),
                name="invitation_waitlist_only_accepted",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    @property
    def has_place(self):
        return self.reply == Reply.ACCEPTED and self.waitlisted_at is None

    @property
    def is_waitlisted(self):
        return self.waitlisted_at is not None

    @property
    def attended(self):
        return self.checked_in_at is not None


class InvitationMessage(PersonalLink):
    """One message about one invitation (the invitation itself, an update, a reminder …).

    `key` names the message so that it exists once: a retried, duplicated or restarted task
    finds the row and does not write a second mail. Each message but a cancellation carries
    its own personal link, which works as long as the event's links do."""

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        UPDATE = "update", _("Update")
        CANCELLATION = "cancellation", _("Cancellation")
        REMINDER = "reminder", _("Reminder")
        PROMOTION = "promotion", _("Place from the waitlist")
        INFORMATION = "information", _("Information for a deputy")
        PROGRAMME = "programme", _("Programme update")

    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    key = models.CharField(_("key"), max_length=64)
    mail = models.OneToOneField(
        OutboundMail,
        verbose_name=_("e-mail"),
        on_delete=models.PROTECT,
        related_name="invitation_message",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation message")
        verbose_name_plural = _("invitation messages")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "key"], name="invitation_message_once"),
        ]

    def __str__(self):
        return f"{self.invitation}: {self.key}"

    def link_usable(self, *, now) -> bool:
        event = self.invitation.event
        return super().link_usable(now=now) and event is not None and event.links_usable(now)
