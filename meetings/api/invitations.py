"""A meeting's invitations over the API (coordinators): the preview of who will be
notified, sending ("Einladungen versenden") through the base pipeline, the list of
invitations with their replies, recording a reply for an invitee, and sending the updated
agenda after it changed."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from participation.events.api import (
    RecordedReplySerializer,
    RecordReplySerializer,
    record_reply_response,
)
from participation.events.selectors import invitations_of

from .. import agenda_updates, selectors
from ..invitations import invitation_preview, send_meeting_invitations

NOT_FOUND = OpenApiResponse(description="No such meeting, or the caller may not send for it.")
INVALID = OpenApiResponse(description="The meeting takes no invitations (not published).")
INVALID_REPLY = OpenApiResponse(
    description="Not a possible reply (the event is over or cancelled, the deputy cannot be "
    "sent, the invitee is only informed); says why."
)
INVALID_UPDATE = OpenApiResponse(
    description="Nobody is invited, the meeting is not published, or the agenda has not "
    "changed since it was last sent; says why."
)


class MeetingRecipientSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    organisation = serializers.CharField(allow_null=True)


class MeetingInformedSerializer(MeetingRecipientSerializer):
    deputy_of = serializers.CharField(help_text="The principal's name.")


class MeetingInvitationPreviewSerializer(serializers.Serializer):
    invite = MeetingRecipientSerializer(many=True, help_text="Who gets an invitation.")
    inform = MeetingInformedSerializer(
        many=True,
        help_text="The seats' registered deputies: informed now, invited when the "
        "principal declines or names them.",
    )
    already_invited = MeetingRecipientSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())


class MeetingInvitationsSentSerializer(serializers.Serializer):
    invited = serializers.IntegerField()


class AgendaRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    duration = serializers.IntegerField(allow_null=True)


class AgendaRetitledSerializer(serializers.Serializer):
    item = AgendaRowSerializer()
    before = serializers.CharField(help_text="The title as it was sent.")


class AgendaUpdateSerializer(serializers.Serializer):
    invited = serializers.BooleanField(help_text="Whether anybody is invited yet.")
    update_due = serializers.BooleanField(
        help_text="People are invited and the agenda changed since it was last sent (or it "
        "is not recorded what was sent): the update can be sent."
    )
    last_sent_version = serializers.IntegerField(
        allow_null=True, help_text="0 for the agenda sent with the invitations."
    )
    last_sent_at = serializers.DateTimeField(allow_null=True)
    known = serializers.BooleanField(help_text="Whether the agenda as sent is recorded.")
    added = AgendaRowSerializer(many=True)
    removed = AgendaRowSerializer(many=True)
    retitled = AgendaRetitledSerializer(many=True)
    moved = AgendaRowSerializer(many=True)
    recipients = RecordedReplySerializer(
        many=True,
        help_text="Who the update goes to: invitees who have not declined, and the informed "
        "deputies (for their information).",
    )


class AgendaUpdateSentSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="How many are told.")


def agenda_update_data(meeting):
    state = agenda_updates.agenda_state(meeting)
    changes = state.changes
    return {
        "invited": state.invited,
        "update_due": state.may_send,
        "last_sent_version": state.last_sent.number if state.last_sent else None,
        "last_sent_at": state.last_sent.sent_at if state.last_sent else None,
        "known": changes is not None,
        "added": changes.added if changes else [],
        "removed": changes.removed if changes else [],
        "retitled": [{"item": item, "before": before} for item, before in changes.retitled]
        if changes
        else [],
        "moved": changes.moved if changes else [],
        "recipients": list(agenda_updates.update_recipients_of(meeting)),
    }


def _recipient(recipient, **extra):
    organisation = recipient.organisation
    return {
        "name": recipient.name,
        "email": recipient.email,
        "organisation": str(organisation) if organisation else None,
    } | extra


def preview_data(meeting):
    preview = invitation_preview(meeting)
    return {
        "invite": [_recipient(r) for r in preview.invite],
        "inform": [_recipient(r, deputy_of=principal) for r, principal in preview.inform],
        "already_invited": [_recipient(r) for r in preview.already],
        "problems": [f"{name}: {problem}" for name, problem in preview.problems],
    }


class MeetingInvitationsMixin:
    """Actions of the meetings' viewset; both for coordinators only (404 for others)."""

    @extend_schema(responses={200: MeetingInvitationPreviewSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="invitation-preview", pagination_class=None)
    def invitation_preview(self, request, pk=None):
        """Who sending the invitations would notify now: the body's seats (principals are
        invited, their registered deputies informed), and who is invited already."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        return Response(MeetingInvitationPreviewSerializer(preview_data(meeting)).data)

    @extend_schema(
        request=None,
        responses={200: MeetingInvitationsSentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="send-invitations")
    def send_invitations(self, request, pk=None):
        """Send the invitations (the body's seats, as the preview says); sending again
        invites only newcomers. Returns how many were invited now."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        invited = send_meeting_invitations(meeting, actor=request.user)
        return Response(MeetingInvitationsSentSerializer({"invited": invited}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reply", str, enum=["none", "accepted", "tentative", "declined"], required=False
            )
        ],
        responses={200: RecordedReplySerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def invitations(self, request, pk=None):
        """The meeting's invitations with their replies and who recorded a reply for the
        invitee (coordinators)."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        rows = selectors.meeting_invitations(meeting, reply=request.query_params.get("reply"))
        return Response(RecordedReplySerializer(rows, many=True).data)

    @extend_schema(
        request=RecordReplySerializer,
        responses={200: RecordedReplySerializer, 400: INVALID_REPLY, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"invitations/(?P<invitation_id>[0-9]+)/record-reply",
    )
    def record_reply(self, request, pk=None, invitation_id=None):
        """Record an invitee's reply for them (they phoned): accept, tentative, decline, or
        a deputy who comes instead; the same effects as their own reply, and the invitation
        shows who recorded it (coordinators)."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        invitation = get_object_or_404(invitations_of(meeting), pk=invitation_id)
        return record_reply_response(request, invitation)

    @extend_schema(responses={200: AgendaUpdateSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="agenda-update", pagination_class=None)
    def agenda_update(self, request, pk=None):
        """What changed in the agenda since it was last sent (items added, removed, renamed,
        moved) and who an update would go to (coordinators)."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        return Response(AgendaUpdateSerializer(agenda_update_data(meeting)).data)

    @extend_schema(
        request=None,
        responses={200: AgendaUpdateSentSerializer, 400: INVALID_UPDATE, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="send-agenda-update")
    def send_agenda_update(self, request, pk=None):
        """Send the updated agenda, changes marked, to every invitee who has not declined
        (with their reply link) and to the informed deputies; each gets each version once
        (coordinators)."""
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        version, sent = agenda_updates.send_agenda_update(meeting, actor=request.user)
        return Response(AgendaUpdateSentSerializer({"version": version.number, "sent": sent}).data)
