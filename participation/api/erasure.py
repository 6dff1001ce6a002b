"""Erasure over the API: a signed-in person asks for it (password), an invitee through their
personal link's header; coordinators list the requests and erase (a person directly or a
request) or decline a request with a reason. Anyone else: 403 on the list, 404 on a request
or a person they cannot see."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import erasure_requests
from ..events.api import NO_INVITATION, THROTTLED, InvitationTokenView
from ..models import ErasureRequest
from ..selectors import is_coordinator
from .serializers import ErasedSerializer
from .views import AUTHENTICATION, erased_response


class ErasureRequestSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = ErasureRequest
        fields = [
            "id",
            "person",
            "name",
            "channel",
            "requested_at",
            "state",
            "done_at",
            "dismissed_at",
            "reason",
        ]
        read_only_fields = fields
        extra_kwargs = {"reason": {"help_text": "Why the request was declined, if it was."}}

    def get_name(self, row) -> str:
        return str(row.subject or "")

    @extend_schema_field(serializers.ChoiceField(choices=["open", "erased", "dismissed"]))
    def get_state(self, row) -> str:
        return row.state


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why the request is declined; sent to the requester with their right to "
        "complain to the supervisory authority (Art. 12(4) GDPR)."
    )


class AskForErasureSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)


@extend_schema(tags=["erasure"])
class ErasureRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for erasure (Art. 17 GDPR)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = ErasureRequestSerializer
    queryset = ErasureRequest.objects.none()

    def get_queryset(self):
        return erasure_requests.requests_for_coordinator(self.request.user)

    def list(self, request, *args, **kwargs):
        """The coordinators' queue, open requests first."""
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=AskForErasureSerializer,
        responses={
            201: ErasureRequestSerializer,
            200: OpenApiResponse(ErasureRequestSerializer, description="Asked already."),
            400: OpenApiResponse(description="Wrong password, or erased already."),
        },
    )
    def create(self, request):
        """Ask for the erasure of one's own data; the password confirms it. The request
        waits for a coordinator."""
        data = AskForErasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.check_password(data.validated_data["password"]):
            raise ValidationError({"password": [_("The password is not correct.")]})
        person = erasure_requests.person_of_account(
            request.user
        ) or erasure_requests.record_person_of_account(request.user)
        try:
            row, created = erasure_requests.request_erasure(person=person)
        except erasure_requests.AlreadyErased as error:
            raise ValidationError({"detail": [str(error)]}) from error
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ErasureRequestSerializer(row).data, status=code)

    @extend_schema(
        request=None,
        responses={
            200: ErasedSerializer,
            400: OpenApiResponse(description="The request was declined."),
        },
    )
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Carry out the request (coordinators): the person's data is erased."""
        row = self.get_object()
        if row.is_dismissed:
            raise ValidationError(
                {"detail": [_("This request was declined; erase the person directly if needed.")]}
            )
        person = erasure_requests.erase_request(row, actor=request.user, http_request=request)
        return erased_response(person)

    @extend_schema(
        request=DismissSerializer,
        responses={
            200: ErasureRequestSerializer,
            400: OpenApiResponse(description="No reason given, or the request is not open."),
            404: OpenApiResponse(description="No such request, or not a coordinator."),
        },
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Decline the request with a reason (coordinators; Art. 12(4) GDPR): the requester
        is told the reason and their right to complain to the supervisory authority, and
        may ask again."""
        row = self.get_object()
        data = DismissSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = erasure_requests.dismiss_request(
                row, reason=data.validated_data["reason"], actor=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError({"reason": error.messages}) from error
        return Response(ErasureRequestSerializer(row).data)


@extend_schema(tags=["invitation-reply"])
class InvitationErasureView(InvitationTokenView):
    """The invitee asks, through their personal link, for their data to be erased."""

    @extend_schema(
        request=None,
        responses={
            201: ErasureRequestSerializer,
            200: OpenApiResponse(ErasureRequestSerializer, description="Asked already."),
            404: NO_INVITATION,
            429: THROTTLED,
        },
    )
    def post(self, request):
        invitation = self.invitation()
        existing = erasure_requests.open_request_of_invitee(invitation)
        if existing is not None:
            return Response(ErasureRequestSerializer(existing).data)
        try:
            row, _created = erasure_requests.request_erasure(invitation=invitation)
        except erasure_requests.AlreadyErased as error:
            raise ValidationError({"detail": [str(error)]}) from error
        return Response(ErasureRequestSerializer(row).data, status=status.HTTP_201_CREATED)
