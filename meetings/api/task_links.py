"""Task owners without an account over the API: the token of the mailed link goes in the
header `Authorization: TaskLink <token>` (never in the address); the caller reads the task
and sets its status, nothing else. Any unusable token answers 404; calls are throttled per
client address like the invitation reply. Coordinators revoke a task's links or send a new
one."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation import personal_links
from participation.api.views import AUTHENTICATION
from participation.events.api import InvitationReplyThrottle
from participation.personal_link_auth import PersonalLinkAuthentication, personal_link_scheme

from .. import selectors, task_links
from ..models import TaskLink, TaskStatus
from .serializers import TaskStatusSerializer

KEYWORD = "TaskLink"
NO_LINK = OpenApiResponse(
    description="No usable token: missing, malformed, unknown, revoked or expired; all alike."
)


class TaskLinkAuthentication(PersonalLinkAuthentication):
    """`Authorization: TaskLink <token>`: the caller holds a task owner's personal link;
    `request.auth` is the link."""

    keyword = KEYWORD

    def resolve(self, token):
        return personal_links.resolve(
            TaskLink.objects.select_related("task__meeting__series__body", "person"), token
        )


class TaskLinkScheme(OpenApiAuthenticationExtension):
    target_class = TaskLinkAuthentication
    name = "taskLinkToken"

    def get_security_definition(self, auto_schema):
        return personal_link_scheme(KEYWORD, "a task owner's mailed link")


class OwnTaskSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    body = serializers.CharField(source="meeting.series.body.name")
    meeting = serializers.CharField(source="meeting.title")
    meeting_start = serializers.DateTimeField(source="meeting.start")
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)


@extend_schema(tags=["meetings"])
class OwnTaskView(APIView):
    """The task a personal link was sent for."""

    authentication_classes = [TaskLinkAuthentication]
    permission_classes = []
    throttle_classes = [InvitationReplyThrottle]
    throttle_scope = "invitation_reply"

    def link(self):
        if not isinstance(self.request.auth, TaskLink):
            raise NotFound
        return self.request.auth

    @extend_schema(responses={200: OwnTaskSerializer, 404: NO_LINK})
    def get(self, request):
        return Response(OwnTaskSerializer(self.link().task).data)

    @extend_schema(
        request=TaskStatusSerializer,
        responses={200: OwnTaskSerializer, 400: OpenApiResponse(), 404: NO_LINK},
    )
    def post(self, request):
        """Set the status: open, in progress or done."""
        link = self.link()
        serializer = TaskStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            task = task_links.set_status_by_link(link, serializer.validated_data["status"])
        except ValidationError as error:
            raise DrfValidationError(error.message_dict) from None
        return Response(OwnTaskSerializer(task).data)


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField()


@extend_schema(tags=["meetings"])
class TaskLinksRevokeView(APIView):
    """End every personal link of a task (coordinators)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: RevokedSerializer, 404: OpenApiResponse()})
    def post(self, request, pk):
        task = selectors.get_task_for_user(request.user, pk, write=True)
        return Response({"revoked": task_links.revoke_links(task, actor=request.user)})


@extend_schema(tags=["meetings"])
class TaskLinkResendView(APIView):
    """Revoke the task's links and mail its owner a new one (coordinators)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(description="Sent."),
            400: OpenApiResponse(description="The owner is no person with an e-mail address."),
            404: OpenApiResponse(),
        },
    )
    def post(self, request, pk):
        task = selectors.get_task_for_user(request.user, pk, write=True)
        if not task_links.send_new_link(task, actor=request.user):
            raise DrfValidationError(
                {
                    "owner_person": [
                        _("Only a person with an e-mail address can get a personal link.")
                    ]
                }
            )
        return Response(status=status.HTTP_202_ACCEPTED)
