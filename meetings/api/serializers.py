"""Shapes of meeting series, meetings, decisions and tasks in the API. Serializers validate
and represent; the viewsets hand validated data to meetings.services, which hold the rules."""

import datetime

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from participation.models import Body, Organisation, Person

from .. import recurrence
from ..models import Decision, Meeting, MeetingSeries, Task, TaskStatus
from ..rescheduling import Scope

SCOPE_HELP = (
    '"this": only this meeting; "following": this and every later meeting of the series '
    '(the series is split: it ends the day before, a new series carries on); "all": every '
    "meeting of the series that has not begun."
)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "10:00",
    }
)
class WallClockTimeField(serializers.TimeField):
    """A time of day as the clock in the county shows it ("10:00:00"), without an offset
    (it differs between winter and summer)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%H:%M", "%H:%M:%S"], format="%H:%M:%S", **kwargs)


@extend_schema_field(
    {"type": "string", "anyOf": [{"format": "uri"}, {"enum": [""]}], "maxLength": 200}
)
class OptionalUrlField(serializers.URLField):
    """A link, or "" when there is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class MinutesField(serializers.IntegerField):
    """A duration as whole minutes."""

    def to_representation(self, value):
        return int(value.total_seconds() // 60)

    def run_validation(self, data=serializers.empty):
        minutes = super().run_validation(data)  # checked as a number of minutes
        return None if minutes is None else datetime.timedelta(minutes=minutes)


class SeriesSerializer(serializers.ModelSerializer):
    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.filter(is_active=True))
    start_time = WallClockTimeField(help_text="Local time (Europe/Berlin), e.g. 10:00.")
    duration_minutes = MinutesField(
        source="duration",
        min_value=5,
        max_value=24 * 60,
        help_text="How long each meeting lasts, in minutes.",
    )
    online_url = OptionalUrlField(help_text="For online or hybrid meetings; empty if none.")
    feed_url = serializers.SerializerMethodField(
        help_text="The body's calendar feed (RFC 5545) with this series' meetings."
    )
    rule_in_words = serializers.SerializerMethodField(
        help_text="The rule as a sentence in the request's language; the rule itself if the "
        "platform cannot describe its shape."
    )
    decision_code = serializers.RegexField(
        r"^[A-Za-z][A-Za-z0-9]{0,9}$",
        write_only=True,
        required=False,
        help_text="The body's code for decision numbers (e.g. LG); sets it for the body.",
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "id",
            "body",
            "title",
            "rule",
            "rule_in_words",
            "first_date",
            "start_time",
            "duration_minutes",
            "venue_name",
            "venue_address",
            "online_url",
            "agenda_template",
            "is_active",
            "sequence",
            "last_date",
            "continues",
            "feed_url",
            "decision_code",
        ]
        read_only_fields = ["sequence", "last_date", "continues"]
        extra_kwargs = {
            "last_date": {
                "help_text": "The day the series ends (split or its following meetings "
                "cancelled); null while it goes on."
            },
            "continues": {
                "help_text": 'The series this one carries on from (split at "this and following").'
            },
        }

    def get_rule_in_words(self, series) -> str:
        return recurrence.describe(series.rule)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_feed_url(self, series) -> str:
        path = reverse("meetings_api:body-calendar", args=[series.body_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MeetingSerializer(serializers.ModelSerializer):
    series = serializers.PrimaryKeyRelatedField(read_only=True)
    body = serializers.IntegerField(source="series.body_id", read_only=True)
    is_moved = serializers.BooleanField(read_only=True)
    online_url = OptionalUrlField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "body",
            "title",
            "status",
            "start",
            "end",
            "recurrence_id",
            "is_moved",
            "sequence",
            "venue_name",
            "venue_address",
            "online_url",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.THIS, help_text=SCOPE_HELP)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": "The end must be after the start."})
        return attrs


class CancelSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.THIS, help_text=SCOPE_HELP)


class ChangePreviewRequestSerializer(serializers.Serializer):
    """The change to preview: a move (with start and end) or a cancellation."""

    change = serializers.ChoiceField(choices=[("move", "move"), ("cancel", "cancel")])
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.THIS, help_text=SCOPE_HELP)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)

    def validate(self, attrs):
        if attrs["change"] == "move":
            missing = {
                name: self.fields[name].error_messages["required"]
                for name in ("start", "end")
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class PreviewChangeSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting.pk")
    old_start = serializers.DateTimeField()
    old_end = serializers.DateTimeField()
    new_start = serializers.DateTimeField(allow_null=True, help_text="Null when cancelled.")
    new_end = serializers.DateTimeField(allow_null=True)
    notified = serializers.BooleanField(source="notifies", help_text="Its invitees are told.")


class PreviewRecipientSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    meetings = serializers.SerializerMethodField()

    def get_meetings(self, recipient) -> list[int]:
        return [meeting.pk for meeting in recipient.meetings]


class ChangePreviewSerializer(serializers.Serializer):
    """What the change would do; nothing is written or sent."""

    scope = serializers.CharField()
    cancel = serializers.BooleanField()
    changes = PreviewChangeSerializer(many=True)
    recipients = PreviewRecipientSerializer(
        many=True, help_text="Everyone told, once each, with the meetings they hear about."
    )
    series_ends_on = serializers.DateField(source="last_date", allow_null=True)
    new_series = serializers.SerializerMethodField()

    def get_new_series(self, plan) -> bool:
        return not plan.cancel and plan.scope != Scope.THIS and not plan.in_place


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    body = serializers.IntegerField(source="meeting.series.body_id", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "reference",
            "year",
            "number",
            "body",
            "meeting",
            "title",
            "text",
            "decided_on",
            "votes_for",
            "votes_against",
            "abstentions",
            "created_at",
        ]
        read_only_fields = ["reference", "year", "number", "created_at"]


class TaskSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    decision = serializers.PrimaryKeyRelatedField(
        queryset=Decision.objects.all(), required=False, allow_null=True
    )
    owner_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    owner_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "description",
            "owner_person",
            "owner_organisation",
            "due_date",
            "status",
            "done_at",
        ]
        read_only_fields = ["done_at"]


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
