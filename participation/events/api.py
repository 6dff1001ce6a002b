"""The invitee's reply over the API, without an account: the personal token from the
invitation mail goes in the header `Authorization: Invitation <token>`, never in the address,
so it does not end up in server or proxy logs. A malformed, unknown, expired or cancelled
token answers the same 404 as a missing one; calls are throttled per client address.

Any kind of event works here (the base never imports the feature apps): the answer shows the
facts every event has."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import rate_limits
from ..downloads import private_download
from ..models import EventStatus, Invitation, Person
from ..personal_link_auth import PersonalLinkAuthentication, personal_link_scheme
from . import calendar, links, replies

KEYWORD = "Invitation"
NO_INVITATION = OpenApiResponse(
    description="No usable token: missing, malformed, unknown, expired or the event "
    "cancelled; all answer alike."
)
THROTTLED = OpenApiResponse(description="Too many calls from this address; try again later.")


class InvitationTokenAuthentication(PersonalLinkAuthentication):
    """`Authorization: Invitation <token>`: the caller holds one invitation's personal link;
    `request.auth` is the invitation."""

    keyword = KEYWORD

    def resolve(self, token):
        return links.invitation_for_token(token)


class InvitationTokenScheme(OpenApiAuthenticationExtension):
    target_class = InvitationTokenAuthentication
    name = "invitationToken"

    def get_security_definition(self, auto_schema):
        return personal_link_scheme(KEYWORD, "an invitation mail's link")


class ProgrammeRowSerializer(serializers.Serializer):
    time = serializers.CharField(help_text="As the invitation shows it, e.g. 09:30.")
    item = serializers.CharField()


class EventFactsSerializer(serializers.Serializer):
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=EventStatus.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    venue_name = serializers.CharField()
    venue_address = serializers.CharField()
    online_url = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True, help_text="Null for no limit.")
    reply_deadline = serializers.DateTimeField(
        help_text="Replies are accepted until then (the registration deadline or the start)."
    )
    closed_reason = serializers.SerializerMethodField(
        help_text="Why replies are no longer taken (naming the deadline once it has passed); "
        "null while they are."
    )
    programme = serializers.SerializerMethodField(
        help_text="The event's programme (times in the language asked for); empty if it has none."
    )

    def get_closed_reason(self, event) -> str | None:
        return replies.closed_reason(event)

    @extend_schema_field(ProgrammeRowSerializer(many=True))
    def get_programme(self, event):
        rows = event.invitation_programme()
        return [{"time": time, "item": item} for time, item in rows]


class PersonNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class DeputyCandidateSerializer(PersonNameSerializer):
    registered_deputy = serializers.BooleanField(
        source="is_registered",
        default=False,
        help_text="The seat's registered deputy (listed first).",
    )


class OrganisationNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TokenInvitationSerializer(serializers.ModelSerializer):
    event = EventFactsSerializer()
    organisation = OrganisationNameSerializer(
        allow_null=True, help_text="The organisation the invitee comes for."
    )
    waitlisted = serializers.BooleanField(source="is_waitlisted")
    waitlist_position = serializers.SerializerMethodField()
    deputies = serializers.SerializerMethodField()
    deputy_candidates = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "name",
            "email",
            "organisation",
            "event",
            "reply",
            "replied_at",
            "waitlisted",
            "waitlist_position",
            "accessibility_needs",
            "dietary_wishes",
            "informed",
            "deputies",
            "deputy_candidates",
        ]
        read_only_fields = fields

    def get_waitlist_position(self, invitation) -> int | None:
        return replies.waitlist_position(invitation)

    def get_deputies(self, invitation) -> list[str]:
        return [deputy.name or deputy.email for deputy in invitation.deputies.all()]

    @extend_schema_field(DeputyCandidateSerializer(many=True))
    def get_deputy_candidates(self, invitation):
        return DeputyCandidateSerializer(replies.deputy_candidates(invitation), many=True).data


@extend_schema_field(OpenApiTypes.INT)
class DeputyField(serializers.PrimaryKeyRelatedField):
    """A person by id among those who may stand in for the invitation in the context; any
    other id fails alike, so the registry cannot be probed through a token."""

    def get_queryset(self):
        invitation = self.context.get("invitation")
        return replies.deputy_candidates(invitation) if invitation else Person.objects.none()


class TokenReplySerializer(serializers.Serializer):
    reply = serializers.ChoiceField(
        choices=[(answer.value, answer.label) for answer in replies.ANSWERS],
        required=False,
        help_text="May be left out when naming a deputy.",
    )
    accessibility_needs = serializers.CharField(required=False, allow_blank=True, default="")
    dietary_wishes = serializers.CharField(required=False, allow_blank=True, default="")
    deputy_person_id = DeputyField(
        required=False,
        allow_null=True,
        help_text="Send this colleague (one of deputy_candidates) instead: they get an "
        "invitation of their own and your reply becomes a decline.",
    )

    def validate(self, data):
        if not data.get("reply") and not data.get("deputy_person_id"):
            raise serializers.ValidationError(
                {"reply": [self.fields["reply"].error_messages["required"]]}
            )
        return data


class InvitationReplyThrottle(ScopedRateThrottle):
    """The scope's rate (setting DEFAULT_THROTTLE_RATES) per client, counted by the same
    address as the web's personal-link limit (proxy set-up, IPv6 /64)."""

    def get_ident(self, request):
        return rate_limits.client_address(request)


class InvitationTokenView(APIView):
    """A call for whoever holds one invitation's personal link."""

    authentication_classes = [InvitationTokenAuthentication]
    # No permission check: a call without a usable token answers 404 in `invitation()`,
    # after the throttle has counted it, so guessing tokens is slowed down as well.
    permission_classes = []
    throttle_classes = [InvitationReplyThrottle]
    throttle_scope = "invitation_reply"

    def invitation(self):
        if not isinstance(self.request.auth, Invitation):
            raise NotFound
        return Invitation.objects.select_related("organisation").get(pk=self.request.auth.pk)


@extend_schema(tags=["invitation-reply"])
class InvitationReplyView(InvitationTokenView):
    """One invitation, for whoever holds its personal link."""

    def answer(self, invitation):
        return Response(TokenInvitationSerializer(invitation).data)

    @extend_schema(
        responses={200: TokenInvitationSerializer, 404: NO_INVITATION, 429: THROTTLED},
    )
    def get(self, request):
        """The invitation with the event's facts, the reply so far, the waitlist position and
        who may be sent as a deputy."""
        return self.answer(self.invitation())

    @extend_schema(
        request=TokenReplySerializer,
        responses={
            200: TokenInvitationSerializer,
            400: OpenApiResponse(
                description="Not a possible reply: after the deadline (the message names it), "
                "the event no longer takes replies, or the deputy cannot be sent."
            ),
            404: NO_INVITATION,
            429: THROTTLED,
        },
    )
    def post(self, request):
        """Accept, answer tentatively or decline, with accessibility needs and dietary
        wishes; or send a colleague instead. An acceptance when every place is taken joins
        the waitlist (`waitlisted`)."""
        invitation = self.invitation()
        data = TokenReplySerializer(data=request.data, context={"invitation": invitation})
        data.is_valid(raise_exception=True)
        deputy = data.validated_data.get("deputy_person_id")
        if deputy is not None:
            replies.name_deputy(invitation, person=deputy)
        else:
            replies.reply_to_invitation(
                invitation,
                reply=data.validated_data["reply"],
                accessibility_needs=data.validated_data["accessibility_needs"],
                dietary_wishes=data.validated_data["dietary_wishes"],
            )
        return self.answer(Invitation.objects.select_related("organisation").get(pk=invitation.pk))


class IcsRenderer(BaseRenderer):
    """Lets a client ask for `text/calendar`; whatever reaches a renderer is an error, sent
    as JSON like any other call's."""

    media_type = "text/calendar"
    format = "ics"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


@extend_schema(tags=["invitation-reply"])
class InvitationCalendarView(InvitationTokenView):
    """The event as a calendar entry, for whoever holds the invitation's personal link."""

    renderer_classes = [JSONRenderer, IcsRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(response.accepted_renderer, IcsRenderer):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        responses={
            (200, IcsRenderer.media_type): OpenApiTypes.BINARY,
            (404, JSONRenderer.media_type): NO_INVITATION,
            (429, JSONRenderer.media_type): THROTTLED,
        },
    )
    def get(self, request):
        """The event as an iCalendar file (METHOD:PUBLISH, the county's local time with
        TZID Europe/Berlin), as the reply page offers it for download."""
        invitation = self.invitation()
        with translation.override(invitation.language):
            page_url = settings.SITE_URL + reverse(
                "participation:invitation_reply", args=[invitation.pk]
            )
            ics = calendar.ics_for(invitation, page_url=page_url, publish=True)
        response = HttpResponse(ics, content_type=f"{calendar.ICS_MIMETYPE}; charset=utf-8")
        return private_download(response, calendar.ics_filename(invitation.event))


# --- coordinators record a reply for an invitee (the feature apps' invitation endpoints) ---


class RecordReplySerializer(serializers.Serializer):
    reply = serializers.ChoiceField(
        choices=[
            *((answer.value, answer.label) for answer in replies.ANSWERS),
            (replies.DEPUTY, "Sends a deputy"),
        ],
        help_text="The invitee's answer as they gave it (by telephone), or `deputy` with "
        "`deputy_person_id`.",
    )
    deputy_person_id = DeputyField(
        required=False,
        allow_null=True,
        help_text="With `deputy`: the seat's registered deputy or a member of the invitee's "
        "organisation; they get an invitation of their own.",
    )

    def validate(self, data):
        if data["reply"] == replies.DEPUTY and not data.get("deputy_person_id"):
            raise serializers.ValidationError(
                {"deputy_person_id": ["Choose the deputy who comes instead."]}
            )
        return data


class RecordedReplySerializer(serializers.ModelSerializer):
    """An invitation as the coordinators' lists show it, with who recorded the reply."""

    reply_recorded_by = serializers.SlugRelatedField(
        slug_field="email",
        read_only=True,
        allow_null=True,
        help_text="The coordinator who recorded the reply for the invitee; null when the "
        "invitee replied themselves.",
    )
    organisation = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "name",
            "email",
            "organisation",
            "reply",
            "replied_at",
            "reply_recorded_by",
            "informed",
            "deputy_for",
        ]
        read_only_fields = fields


def record_reply_response(request, invitation) -> Response:
    """Validate a coordinator's POST, record the reply through `replies.record_reply` and
    answer with the invitation; the caller has checked access and found the invitation."""
    data = RecordReplySerializer(data=request.data, context={"invitation": invitation})
    data.is_valid(raise_exception=True)
    replies.record_reply(
        invitation,
        actor=request.user,
        reply=data.validated_data["reply"],
        deputy=data.validated_data.get("deputy_person_id"),
    )
    invitation = Invitation.objects.select_related("organisation", "reply_recorded_by").get(
        pk=invitation.pk
    )
    return Response(RecordedReplySerializer(invitation).data)
