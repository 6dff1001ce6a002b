"""Erasure over the API: a signed-in person asks for it (password), an invitee through their
personal link's header; coordinators list the requests and erase (a person directly or a
request). Anyone else: 403 on the list, 404 on a request or a person they cannot see."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
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
        fields = ["id", "person", "name", "channel", "requested_at", "state", "done_at"]
        read_only_fields = fields

    def get_name(self, row) -> str:
        return str(row.subject or "")

    def get_state(self, row) -> str:
        return "open" if row.is_open else "erased"


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

    @extend_schema(request=None, responses={200: ErasedSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Carry out the request (coordinators): the person's data is erased."""
        row = self.get_object()
        person = erasure_requests.erase_request(row, actor=request.user, http_request=request)
        return erased_response(person)


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
