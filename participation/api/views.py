"""The registry API. Each viewset reads through the visibility selectors and writes through the
services with the caller as actor; the serializers only validate and represent."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action, api_view, authentication_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import erasure_requests, selectors, services
from ..models import Body, BodyMembership, Membership, Organisation, OutboundMail, Person
from . import filters, serializers
from .authentication import TokenAuthentication
from .mixins import ServiceSaveMixin
from .permissions import CoordinatorWritesOnly

# Token first: a call without credentials then answers 401 with "WWW-Authenticate: Token",
# which tells a script what to send; the browser session works as before.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]
# Organisations, people and bodies are never deleted here: ending memberships keeps history.
NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def erased_response(person):
    person.refresh_from_db(fields=["erased_at"])
    done = erasure_requests.last_erasure_of(person)
    data = {
        "person": person.pk,
        "erased_at": person.erased_at,
        "files_to_check": erasure_requests.files_to_check(done),
    }
    return Response(serializers.ErasedSerializer(data).data)


class RegistryViewSet(ServiceSaveMixin, viewsets.ModelViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]


class TermViewSet(RegistryViewSet):
    """Memberships and seats: besides editing, a term can be ended (and kept as history)."""

    end_service = None
    delete_service = None

    @extend_schema(request=serializers.EndTermSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the term on the given day (default today); the record stays as history."""
        record = self.get_object()
        end = serializers.EndTermSerializer(data=request.data)
        end.is_valid(raise_exception=True)
        self.end_service(record, actor=request.user, on=end.validated_data.get("valid_until"))
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    def perform_destroy(self, record):
        self.delete_service(record, actor=self.request.user)


@extend_schema(tags=["organisations"])
class OrganisationViewSet(RegistryViewSet):
    """Organisations: coordinators see and edit all; members see the ones they belong to."""

    queryset = Organisation.objects.none()
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    search_fields = ["name", "short_name", "^ags"]
    http_method_names = NO_DELETE
    save_service = staticmethod(services.save_organisation)

    def get_queryset(self):
        return selectors.visible_organisations(self.request.user)


@extend_schema(tags=["people"])
class PersonViewSet(RegistryViewSet):
    """People: coordinators see and edit all; members see themselves and the current members
    of their organisations."""

    queryset = Person.objects.none()
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    search_fields = ["first_name", "last_name", "email"]
    http_method_names = NO_DELETE
    save_service = staticmethod(services.save_person)

    def get_queryset(self):
        return selectors.people_with_organisations(selectors.visible_people(self.request.user))

    @extend_schema(request=None, responses={200: serializers.ErasedSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase the person's personal data (coordinators; Art. 17 GDPR): name, e-mail and
        phone go, the account is closed, what they wrote stays as "former member"."""
        person = self.get_object()
        if not selectors.is_coordinator(request.user):
            raise PermissionDenied
        erasure_requests.erase(person, actor=request.user, http_request=request)
        return erased_response(person)


@extend_schema(tags=["bodies"])
class BodyViewSet(RegistryViewSet):
    """Bodies (Gremien): coordinators see and edit all; others see the bodies they sit in."""

    queryset = Body.objects.none()
    serializer_class = serializers.BodySerializer
    filterset_class = filters.BodyFilter
    search_fields = ["name", "short_name"]
    http_method_names = NO_DELETE
    save_service = staticmethod(services.save_body)

    def get_queryset(self):
        return selectors.visible_bodies(self.request.user)


@extend_schema(tags=["memberships"])
class MembershipViewSet(TermViewSet):
    """Memberships of people in organisations: coordinators see and edit all; members see
    those of their organisations and their own."""

    queryset = Membership.objects.none()
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    search_fields = ["person__first_name", "person__last_name", "organisation__name", "function"]
    save_service = staticmethod(services.save_membership)
    end_service = staticmethod(services.end_membership)
    delete_service = staticmethod(services.delete_membership)

    def get_queryset(self):
        return selectors.visible_memberships(self.request.user)


@extend_schema(tags=["body-memberships"])
class BodyMembershipViewSet(TermViewSet):
    """Seats in bodies: coordinators see and edit all; others see the seats of the bodies
    they sit in."""

    queryset = BodyMembership.objects.none()
    serializer_class = serializers.BodyMembershipSerializer
    filterset_class = filters.BodyMembershipFilter
    search_fields = ["person__first_name", "person__last_name", "body__name"]
    save_service = staticmethod(services.save_body_membership)
    end_service = staticmethod(services.end_body_membership)
    delete_service = staticmethod(services.delete_body_membership)

    def get_queryset(self):
        return selectors.visible_body_memberships(self.request.user)


@extend_schema(tags=["me"], responses=serializers.MeSerializer)
@api_view(["GET"])
@authentication_classes(AUTHENTICATION)
def me(request):
    """The caller's account: who they are, where they belong now and where they sit."""
    user = request.user
    person = Person.objects.filter(user=user).first()
    memberships = Membership.objects.current().filter(person__user=user)
    seats = BodyMembership.objects.current().filter(person__user=user)
    data = {
        "email": user.email,
        "is_coordinator": selectors.is_coordinator(user),
        "person": {"id": person.pk, "name": person.full_name} if person else None,
        "organisations": memberships.select_related("organisation").order_by("organisation__name"),
        "bodies": seats.select_related("body").order_by("body__name"),
    }
    return Response(serializers.MeSerializer(data).data)


@extend_schema(
    tags=["mail"],
    parameters=[
        OpenApiParameter(
            "state",
            enum=OutboundMail.Status.values,
            description="Only e-mails in this state (queued, sent or failed).",
        ),
        OpenApiParameter("q", description="Part of the recipient or the subject."),
    ],
)
class OutboundMailViewSet(viewsets.ReadOnlyModelViewSet):
    """The mail outbox, newest first, for coordinators (everyone else sees none): recipient,
    subject, state, attempts and the mail server's last error. The web page is
    `/mail/?state=failed`."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.OutboundMailSerializer
    filter_backends = []

    def get_queryset(self):
        if not selectors.is_coordinator(self.request.user):
            return OutboundMail.objects.none()
        state = self.request.query_params.get("state", "")
        if state and state not in OutboundMail.Status.values:
            raise ValidationError({"state": [_("Choose one of: queued, sent, failed.")]})
        return selectors.outbound_mails(state=state, q=self.request.query_params.get("q", ""))
