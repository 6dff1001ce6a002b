"""Shapes of workshops and their invitations in the API. Serializers validate and represent;
the viewset hands validated data to the services (workshops.services, the base's audience
and invitation services), which hold the rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from participation.api.filters import MAX_ID
from participation.events.api import OrganisationNameSerializer
from participation.models import (
    AudienceEntry,
    Body,
    Invitation,
    Language,
    Organisation,
    OrganisationKind,
    OutboundMail,
    Person,
    Reply,
)
from participation.selectors import is_coordinator

from ..live.models import Activity, ActivityKind, Card
from ..models import AgendaItem, Workshop


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "09:30",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A time of day as the clock in the county shows it on the workshop's day: "09:30:00",
    without an offset (it differs between winter and summer). Not RFC 3339's `time`,
    which requires one; an offset sent along is refused rather than silently dropped."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%H:%M", "%H:%M:%S"], format="%H:%M:%S", **kwargs)


class AgendaItemSerializer(serializers.ModelSerializer):
    starts_at = WallClockTimeField(
        help_text="Local time (Europe/Berlin) on the workshop's day, e.g. 09:30."
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "starts_at", "title", "presenter"]


class WorkshopSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    reply_deadline = serializers.DateTimeField(read_only=True)
    invited_count = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Coordinators only: how many are invited."
    )
    accepted_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Coordinators only: how many accepted and have a place.",
    )
    own_reply = serializers.SerializerMethodField(
        help_text="Invitees only: the caller's own reply (empty: none yet)."
    )

    class Meta:
        model = Workshop
        fields = [
            "id",
            "title",
            "topic",
            "kind",
            "status",
            "description",
            "start",
            "end",
            "venue_name",
            "venue_address",
            "online_url",
            "capacity",
            "registration_deadline",
            "reply_deadline",
            "documentation_published",
            "agenda",
            "invited_count",
            "accepted_count",
            "own_reply",
            "created_at",
            "updated_at",
        ]
        # The status changes through the actions (publish, done, cancel); the documentation
        # flag through …/documentation/.
        read_only_fields = ["status", "documentation_published", "created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=Reply.choices, allow_null=True))
    def get_own_reply(self, workshop):
        return getattr(workshop, "own_reply", None)

    def to_representation(self, workshop):
        data = super().to_representation(workshop)
        request = self.context.get("request")
        if request is None or not is_coordinator(request.user):
            data["invited_count"] = data["accepted_count"] = None
        return data


class DocumentationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = ["results", "minutes", "documentation_published"]
        extra_kwargs = {
            "documentation_published": {
                "help_text": "True opens the documentation to the invitees; false closes it."
            }
        }


# --- audience --------------------------------------------------------------------------------


class AudienceEntrySerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)
    # Each entry fills only the field of its kind; the others are empty ("" or null).
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, allow_blank=True, read_only=True
    )
    email = serializers.EmailField(allow_blank=True, read_only=True)

    class Meta:
        model = AudienceEntry
        fields = [
            "id",
            "kind",
            "label",
            "body",
            "organisation_kind",
            "organisation",
            "person",
            "email",
            "name",
            "created_at",
        ]
        read_only_fields = fields


# Which field names the target of each kind of entry.
ENTRY_TARGET = {
    AudienceEntry.Kind.BODY: "body",
    AudienceEntry.Kind.ORGANISATION_KIND: "organisation_kind",
    AudienceEntry.Kind.ORGANISATION: "organisation",
    AudienceEntry.Kind.PERSON: "person",
    AudienceEntry.Kind.EMAIL: "email",
}


class AudienceEntryWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AudienceEntry.Kind.choices)
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.filter(is_active=True),
        required=False,
        help_text="For kind body: everyone with a seat in it on the day of sending.",
    )
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        required=False,
        help_text="For kind organisation_kind: the contacts of every active organisation "
        "of this kind.",
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="For kind organisation: its contact people.",
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, help_text="For kind person."
    )
    # Not an EmailField: the audience service checks the address and names it when invalid.
    email = serializers.CharField(
        required=False, allow_blank=True, help_text="For kind email: an external address."
    )
    name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="For kind email: a name."
    )

    def target(self) -> str:
        """The field naming the entry's target."""
        return ENTRY_TARGET[self.validated_data["kind"]]

    def entry_fields(self) -> dict:
        """The kind and its target only (a name for an address): fields of other kinds
        sent along are ignored."""
        data = self.validated_data
        kind = data["kind"]
        target = self.target()
        fields = {"kind": kind}
        if target in data:
            fields[target] = data[target]
        if kind == AudienceEntry.Kind.EMAIL:
            fields["name"] = data["name"]
        return fields


class RecipientSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    language = serializers.ChoiceField(choices=Language.choices)
    person = serializers.IntegerField(source="person.pk", allow_null=True, default=None)
    organisation = OrganisationNameSerializer(allow_null=True)
    sources = serializers.ListField(
        child=serializers.CharField(), help_text="The audience entries naming this recipient."
    )
    invited = serializers.BooleanField(help_text="Already has an invitation.")


class ProblemSerializer(serializers.Serializer):
    label = serializers.CharField()
    reason = serializers.CharField()


class AudienceSerializer(serializers.Serializer):
    entries = AudienceEntrySerializer(many=True)
    recipients = RecipientSerializer(
        many=True, help_text="Whom the entries name today, one per address."
    )
    problems = ProblemSerializer(many=True, help_text="What the entries name but cannot reach.")
    to_invite = serializers.IntegerField(
        help_text="Recipients without an invitation yet: send this number as `expected`."
    )
    invited_count = serializers.IntegerField()


# --- invitations -----------------------------------------------------------------------------


class SendInvitationsSerializer(serializers.Serializer):
    expected = serializers.IntegerField(
        min_value=0,
        help_text="`to_invite` from …/audience/ as you checked it. If the audience has "
        "changed meanwhile, nothing is sent and 400 says so.",
    )


class ResendSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only this invitation's failed mail; all failed ones if left out.",
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class QueuedCountSerializer(CountSerializer):
    delivery = serializers.ChoiceField(
        choices=["queued", "deferred"],
        help_text="`queued`: handed to the mail queue (200). `deferred` (202): saved, but the "
        "mail queue cannot be reached; the mails are sent as soon as it is back.",
    )
    detail = serializers.CharField(required=False, help_text="Only when deferred: says so.")


class DeliveryCountsSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()


class InvitationSerializer(serializers.ModelSerializer):
    organisation = OrganisationNameSerializer(allow_null=True)
    waitlisted = serializers.BooleanField(source="is_waitlisted")
    checked_in = serializers.BooleanField(source="attended")
    deputy_for_name = serializers.SerializerMethodField()
    delivery_status = serializers.ChoiceField(choices=OutboundMail.Status.choices)
    delivery_error = serializers.CharField(help_text="The mail server's reason when it failed.")
    delivery_attempts = serializers.IntegerField()
    reply_recorded_by = serializers.SlugRelatedField(
        slug_field="email",
        read_only=True,
        allow_null=True,
        help_text="The coordinator who recorded the reply for the invitee; null when the "
        "invitee replied themselves.",
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "name",
            "email",
            "person",
            "organisation",
            "language",
            "reply",
            "replied_at",
            "reply_recorded_by",
            "waitlisted",
            "waitlisted_at",
            "deputy_for",
            "deputy_for_name",
            "accessibility_needs",
            "dietary_wishes",
            "checked_in",
            "checked_in_at",
            "delivery_status",
            "delivery_error",
            "delivery_attempts",
            "created_at",
        ]
        read_only_fields = fields

    def get_deputy_for_name(self, invitation) -> str | None:
        principal = invitation.deputy_for
        return (principal.name or principal.email) if principal else None


class ReplyCountsSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="Accepted with a place.")
    waitlisted = serializers.IntegerField()
    tentative = serializers.IntegerField()
    declined = serializers.IntegerField()
    none = serializers.IntegerField(help_text="No reply yet.")
    checked_in = serializers.IntegerField()
    total = serializers.IntegerField()


class AttendeeInvitationSerializer(serializers.ModelSerializer):
    waitlisted = serializers.BooleanField(source="is_waitlisted")
    checked_in = serializers.BooleanField(source="attended")

    class Meta:
        model = Invitation
        fields = ["id", "name", "email", "reply", "waitlisted", "checked_in", "checked_in_at"]
        read_only_fields = fields


class AttendeeSerializer(serializers.Serializer):
    invitation = AttendeeInvitationSerializer()
    represented_by = AttendeeInvitationSerializer(
        many=True, help_text="Deputies the invitee sent in their stead."
    )


class OrganisationGroupSerializer(serializers.Serializer):
    organisation = OrganisationNameSerializer(
        allow_null=True, help_text="Null for those who come for no organisation."
    )
    expected = serializers.IntegerField(help_text="Accepted with a place.")
    checked_in = serializers.IntegerField()
    attendees = AttendeeSerializer(many=True)


class AttendanceSerializer(serializers.Serializer):
    counts = ReplyCountsSerializer()
    organisations = OrganisationGroupSerializer(many=True)


class CheckInSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The invitation's id."
    )
    present = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="True checks in, false undoes a check-in; left out, it toggles.",
    )


# --- live session results ----------------------------------------------------------------------


class LiveCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Card
        fields = ["id", "text", "category", "hidden"]


class LiveClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="Empty for the cards that are in no cluster."
    )
    title = serializers.CharField()
    cards = LiveCardSerializer(many=True)


class LiveOptionCountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The option's key (a mood scale: the value, 1 to 5).")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Dots, answers or mood entries.")
    cluster = serializers.IntegerField(
        allow_null=True,
        help_text="A dot vote on a card collection's clusters: the cluster voted on.",
    )


class LiveQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    author = serializers.CharField(
        allow_null=True, help_text="The asker's display name; empty if asked anonymously."
    )
    upvotes = serializers.IntegerField()
    answered = serializers.BooleanField(source="question.answered")
    pinned = serializers.BooleanField(source="question.pinned")
    hidden = serializers.BooleanField(source="question.hidden")


class LiveWordCountSerializer(serializers.Serializer):
    word = serializers.CharField()
    count = serializers.IntegerField()


class LiveResultsSerializer(serializers.Serializer):
    """Only the fields of the activity's kind hold entries; the others are empty lists."""

    participants = serializers.IntegerField(
        help_text="How many took part: voted, answered, wrote a card, asked or gave a mood."
    )
    clusters = LiveClusterSerializer(
        many=True, help_text="Card collection: the cards by cluster, in the clusters' order."
    )
    options = LiveOptionCountSerializer(
        many=True,
        help_text="Dot vote and poll: each option (or cluster) with its dots or answers; "
        "mood on the scale: each value from 1 to 5 with its entries.",
    )
    questions = LiveQuestionSerializer(
        many=True, help_text="Questions: pinned first, then by upvotes."
    )
    words = LiveWordCountSerializer(
        many=True, help_text="Mood in one word: each word (ignoring case), most frequent first."
    )


class LiveActivitySerializer(serializers.Serializer):
    """One activity of the workshop's live session with its results."""

    id = serializers.IntegerField(source="activity.pk")
    kind = serializers.ChoiceField(choices=ActivityKind.choices, source="activity.kind")
    title = serializers.CharField(source="activity.title")
    status = serializers.ChoiceField(choices=Activity.Status.choices, source="activity.status")
    revealed = serializers.BooleanField(
        source="activity.revealed", help_text="Whether the participants saw the results."
    )
    position = serializers.IntegerField(source="activity.position")
    config = serializers.JSONField(
        source="activity.config",
        help_text="The kind's settings, as docs/live-protocol.md describes them.",
    )
    opened_at = serializers.DateTimeField(source="activity.opened_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="activity.closed_at", allow_null=True)
    results = LiveResultsSerializer(source="*")
