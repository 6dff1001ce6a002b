"""A meeting's invitations over the API (coordinators): the preview of who will be
notified, and sending ("Einladungen versenden") through the base pipeline."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors
from ..invitations import invitation_preview, send_meeting_invitations

NOT_FOUND = OpenApiResponse(description="No such meeting, or the caller may not send for it.")
INVALID = OpenApiResponse(description="The meeting takes no invitations (not published).")


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
