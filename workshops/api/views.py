"""Workshops over the API, with the web pages' permissions: coordinators create, change and
run every workshop (audience, invitations, attendance, documentation, the results of its
live session); a signed-in invitee reads the published workshops they are invited to.
Whatever the caller may not see or change answers 404. Every write goes through one
service with the caller as actor."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from participation import queueing
from participation.api.downloads import CsvRenderer, FileErrorsAsJson
from participation.api.mixins import ServiceSaveMixin
from participation.api.views import AUTHENTICATION
from participation.events import audiences
from participation.events import invitations as pipeline
from participation.events import selectors as event_selectors
from participation.events.api import (
    RecordedReplySerializer,
    RecordReplySerializer,
    record_reply_response,
)
from participation.mail import CannotResend
from participation.selectors import is_coordinator

from .. import exports, selectors, services
from ..live.report import workshop_reports
from ..models import AgendaItem, Workshop
from . import filters, serializers

COORDINATORS_ONLY = OpenApiResponse(
    description="No such workshop, or the caller is not a coordinator."
)
REFUSED = OpenApiResponse(description="Not possible in the workshop's status; says why.")
INVALID = OpenApiResponse(description="Invalid data; the messages name the fields.")


def queued_response(count) -> Response:
    """How many mails a request queued; 202 if the mail queue was down and they wait for it."""
    if queueing.deferred():
        body = {"count": count, "delivery": "deferred", "detail": queueing.deferred_message()}
        return Response(body, status=status.HTTP_202_ACCEPTED)
    return Response({"count": count, "delivery": "queued"})


class CoordinatorCreates(BasePermission):
    """Only coordinators create workshops. Everything on one workshop looks the workshop up
    first (`WorkshopViewSet.get_object`), so a caller who may not change it gets 404."""

    def has_permission(self, request, view):
        return view.action != "create" or is_coordinator(request.user)


@extend_schema(tags=["workshops"])
class WorkshopViewSet(
    ServiceSaveMixin,
    FileErrorsAsJson,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Workshops with their agenda. Coordinators see all (with counts of invited and
    accepted); a signed-in invitee sees the published, done or cancelled workshops they
    are invited to (with their own reply). A workshop is never deleted: cancel it."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorCreates]
    serializer_class = serializers.WorkshopSerializer
    filterset_class = filters.WorkshopFilter
    search_fields = ["title", "topic"]
    save_service = staticmethod(services.save_workshop)

    def get_queryset(self):
        return selectors.workshop_list(self.request.user).prefetch_related("agenda")

    def get_object(self):
        if self.action == "retrieve":
            return super().get_object()
        return self.writable()

    def writable(self) -> Workshop:
        return selectors.get_workshop_for_user(self.request.user, self.kwargs["pk"], write=True)

    def shown(self, workshop) -> Response:
        """The workshop as the list and detail show it, read again after a change."""
        return Response(self.get_serializer(self.get_queryset().get(pk=workshop.pk)).data)

    @extend_schema(responses={201: serializers.WorkshopSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Create a draft workshop (coordinators)."""
        return super().create(request, *args, **kwargs)

    @extend_schema(
        responses={200: serializers.WorkshopSerializer, 400: REFUSED, 404: COORDINATORS_ONLY}
    )
    def update(self, request, *args, **kwargs):
        """Change a draft or published workshop (coordinators). A new date, time or place of
        a published workshop is sent to every invitee who has not declined, with a calendar
        update; more capacity moves people up from the waitlist."""
        return super().update(request, *args, **kwargs)

    @extend_schema(
        responses={200: serializers.WorkshopSerializer, 400: REFUSED, 404: COORDINATORS_ONLY}
    )
    def partial_update(self, request, *args, **kwargs):
        """Change some fields of a draft or published workshop (coordinators); see PUT."""
        return super().partial_update(request, *args, **kwargs)

    # --- status ------------------------------------------------------------------------------

    def _transition(self, service):
        workshop = self.writable()
        service(workshop, actor=self.request.user)
        return self.shown(workshop)

    @extend_schema(
        request=None,
        responses={200: serializers.WorkshopSerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Draft → published: invitations can be sent from now on (coordinators)."""
        return self._transition(services.publish_workshop)

    @extend_schema(
        request=None,
        responses={200: serializers.WorkshopSerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Published → done, once it has begun: replies close (coordinators)."""
        return self._transition(services.mark_done)

    @extend_schema(
        request=None,
        responses={200: serializers.WorkshopSerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a draft or published workshop; everyone invited who has not declined gets
        a cancellation with a calendar CANCEL, and personal links stop working
        (coordinators)."""
        return self._transition(services.cancel_workshop)

    # --- agenda ------------------------------------------------------------------------------

    @extend_schema(
        responses={
            200: serializers.AgendaItemSerializer(many=True),
            404: OpenApiResponse(description="No such workshop, or not visible to the caller."),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def agenda(self, request, pk=None):
        """The agenda, in time order (whoever sees the workshop)."""
        workshop = selectors.get_workshop_for_user(request.user, pk)
        return Response(serializers.AgendaItemSerializer(workshop.agenda.all(), many=True).data)

    @extend_schema(
        request=serializers.AgendaItemSerializer,
        responses={201: serializers.AgendaItemSerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @agenda.mapping.post
    def add_agenda_item(self, request, pk=None):
        """Add an agenda item to a draft or published workshop (coordinators)."""
        workshop = self.writable()
        data = serializers.AgendaItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.save_agenda_item(
            AgendaItem(workshop=workshop, **data.validated_data), actor=request.user
        )
        return Response(serializers.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _agenda_item(self, item_id):
        return get_object_or_404(AgendaItem, pk=item_id, workshop=self.writable())

    @extend_schema(
        request=serializers.AgendaItemSerializer,
        responses={
            200: serializers.AgendaItemSerializer,
            400: REFUSED,
            404: OpenApiResponse(
                description="No such workshop or item, or the caller is not a coordinator."
            ),
        },
    )
    @action(detail=True, methods=["patch"], url_path=r"agenda/(?P<item_id>[0-9]+)")
    def agenda_item(self, request, pk=None, item_id=None):
        """Change an agenda item (coordinators)."""
        item = self._agenda_item(item_id)
        data = serializers.AgendaItemSerializer(item, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(item, name, value)
        item = services.save_agenda_item(item, actor=request.user)
        return Response(serializers.AgendaItemSerializer(item).data)

    @extend_schema(
        responses={
            204: None,
            400: REFUSED,
            404: OpenApiResponse(
                description="No such workshop or item, or the caller is not a coordinator."
            ),
        }
    )
    @agenda_item.mapping.delete
    def delete_agenda_item(self, request, pk=None, item_id=None):
        """Delete an agenda item (coordinators)."""
        services.delete_agenda_item(self._agenda_item(item_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- documentation -----------------------------------------------------------------------

    @extend_schema(
        responses={
            200: serializers.DocumentationSerializer,
            404: OpenApiResponse(
                description="No such workshop, or its documentation is not shared with the caller."
            ),
        }
    )
    @action(detail=True, methods=["get"])
    def documentation(self, request, pk=None):
        """Results and minutes: coordinators always, invitees once shared."""
        workshop = selectors.get_documentation_for_request(request, pk)
        return Response(serializers.DocumentationSerializer(workshop).data)

    @extend_schema(
        request=serializers.DocumentationSerializer,
        responses={200: serializers.DocumentationSerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @documentation.mapping.patch
    def change_documentation(self, request, pk=None):
        """Save results and minutes of a published or done workshop, and share the
        documentation with the invitees or close it again (coordinators)."""
        workshop = self.writable()
        data = serializers.DocumentationSerializer(workshop, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        text = {k: v for k, v in data.validated_data.items() if k in ("results", "minutes")}
        with transaction.atomic():
            if text:
                for name, value in text.items():
                    setattr(workshop, name, value)
                workshop = services.save_documentation(workshop, actor=request.user)
            if "documentation_published" in data.validated_data:
                workshop = services.share_documentation(
                    workshop,
                    actor=request.user,
                    shared=data.validated_data["documentation_published"],
                )
        return Response(serializers.DocumentationSerializer(workshop).data)

    # --- audience and invitations ------------------------------------------------------------

    @extend_schema(responses={200: serializers.AudienceSerializer, 404: COORDINATORS_ONLY})
    @action(detail=True, methods=["get"])
    def audience(self, request, pk=None):
        """The audience as chosen and whom it names today (one per address, with who is
        invited already), and what it names but cannot reach (coordinators)."""
        workshop = self.writable()
        state = audiences.audience_state(workshop)
        recipients = [dict(vars(recipient), invited=invited) for recipient, invited in state.rows]
        data = {
            "entries": event_selectors.entries_of(workshop),
            "recipients": recipients,
            "problems": [
                {"label": label, "reason": reason} for label, reason in state.preview.problems
            ],
            "to_invite": len(state.to_invite),
            "invited_count": len(state.invited),
        }
        return Response(serializers.AudienceSerializer(data).data)

    @extend_schema(
        request=serializers.AudienceEntryWriteSerializer,
        responses={
            201: serializers.AudienceEntrySerializer,
            400: OpenApiResponse(
                description="The entry lacks its kind's field, or the address is invalid "
                "(the message names it)."
            ),
            404: COORDINATORS_ONLY,
        },
    )
    @audience.mapping.post
    def add_audience_entry(self, request, pk=None):
        """Add one line to the audience: a body, all organisations of a kind, an
        organisation, a person or an external address; the same line twice is kept once
        (coordinators)."""
        workshop = self.writable()
        data = serializers.AudienceEntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            entry = audiences.add_audience_entry(
                workshop, actor=request.user, **data.entry_fields()
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            # The refusal without a field is the address check: it belongs to the address.
            raise ValidationError({data.target(): error.messages}) from error
        return Response(
            serializers.AudienceEntrySerializer(entry).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            204: None,
            404: OpenApiResponse(
                description="No such workshop or entry, or the caller is not a coordinator."
            ),
        }
    )
    @action(detail=True, methods=["delete"], url_path=r"audience/(?P<entry_id>[0-9]+)")
    def audience_entry(self, request, pk=None, entry_id=None):
        """Remove one line from the audience (coordinators)."""
        entry = get_object_or_404(event_selectors.entries_of(self.writable()), pk=entry_id)
        audiences.remove_audience_entry(entry, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=serializers.SendInvitationsSerializer,
        responses={
            200: serializers.QueuedCountSerializer,
            202: serializers.QueuedCountSerializer,
            400: OpenApiResponse(
                description="Not published, or the audience changed since it was checked; says why."
            ),
            404: COORDINATORS_ONLY,
        },
    )
    @action(detail=True, methods=["post"], url_path="send-invitations")
    def send_invitations(self, request, pk=None):
        """Invite everyone the audience names who is not invited yet; each invitation mail
        is queued and sent in the background. `count` says how many (coordinators)."""
        workshop = self.writable()
        data = serializers.SendInvitationsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.send_invitations(
            workshop, actor=request.user, expected=data.validated_data["expected"]
        )
        return queued_response(count)

    @extend_schema(
        request=serializers.ResendSerializer,
        responses={
            200: serializers.QueuedCountSerializer,
            202: serializers.QueuedCountSerializer,
            400: OpenApiResponse(
                description="Every failed mail asked for is past the retention period of "
                "mail texts and cannot be sent again; says why."
            ),
            404: COORDINATORS_ONLY,
        },
    )
    @action(detail=True, methods=["post"], url_path="resend-failed")
    def resend_failed(self, request, pk=None):
        """Another attempt for every invitation mail that failed (or for one invitation's);
        `count` says how many (coordinators). A mail that failed and was written longer ago
        than the retention period of mail texts (90 days) is not sent again: its text is
        removed."""
        workshop = self.writable()
        data = serializers.ResendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = None
        if data.validated_data.get("invitation") is not None:
            invitation = get_object_or_404(
                event_selectors.invitations_of(workshop), pk=data.validated_data["invitation"]
            )
        try:
            count = pipeline.resend_failed(workshop, actor=request.user, invitation=invitation)
        except CannotResend as refused:
            raise ValidationError({"non_field_errors": [refused.message]}) from refused
        return queued_response(count)

    @extend_schema(responses={200: serializers.DeliveryCountsSerializer, 404: COORDINATORS_ONLY})
    @action(detail=True, methods=["get"])
    def delivery(self, request, pk=None):
        """How many invitation mails are queued, sent and failed (coordinators)."""
        counts = event_selectors.delivery_counts(self.writable())
        return Response(serializers.DeliveryCountsSerializer(counts).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reply",
                OpenApiTypes.STR,
                enum=[value for value, _label in filters.REPLY_FILTERS],
                description=filters.InvitationFilter.base_filters["reply"].extra["help_text"],
            ),
            OpenApiParameter(
                "search",
                OpenApiTypes.STR,
                description=filters.InvitationFilter.base_filters["search"].extra["help_text"],
            ),
        ],
        responses={200: serializers.InvitationSerializer(many=True), 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def invitations(self, request, pk=None):
        """Every invitation with its reply, waitlist place, deputy, needs, check-in and the
        delivery of its mail (with the mail server's reason when it failed)
        (coordinators)."""
        rows = filters.InvitationFilter(
            request.query_params, queryset=selectors.invitation_rows(self.writable())
        )
        if not rows.is_valid():
            raise ValidationError(rows.errors)
        page = self.paginate_queryset(rows.qs)
        return self.get_paginated_response(serializers.InvitationSerializer(page, many=True).data)

    @extend_schema(
        request=RecordReplySerializer,
        responses={
            200: RecordedReplySerializer,
            400: OpenApiResponse(
                description="Not a possible reply (the workshop is over or cancelled, the "
                "deputy cannot be sent, the invitee is only informed); says why."
            ),
            404: OpenApiResponse(
                description="No such workshop or invitation, or the caller is not a coordinator."
            ),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"invitations/(?P<invitation_id>[0-9]+)/record-reply",
    )
    def record_reply(self, request, pk=None, invitation_id=None):
        """Record an invitee's reply for them (they phoned): accept, tentative, decline, or
        a deputy who comes instead; the same effects as their own reply (the waitlist moves,
        a deputy is invited), and the invitation shows who recorded it (coordinators)."""
        invitation = get_object_or_404(
            event_selectors.invitations_of(self.writable()), pk=invitation_id
        )
        return record_reply_response(request, invitation)

    # --- the day itself ----------------------------------------------------------------------

    @extend_schema(responses={200: serializers.AttendanceSerializer, 404: COORDINATORS_ONLY})
    @action(detail=True, methods=["get"])
    def attendance(self, request, pk=None):
        """Who is expected, by the organisation they come for, with who checked in and who
        stands in for whom; and the counts of replies (coordinators)."""
        workshop = self.writable()
        data = {
            "counts": selectors.reply_counts(workshop),
            "organisations": selectors.attendance(workshop),
        }
        return Response(serializers.AttendanceSerializer(data).data)

    @extend_schema(
        request=serializers.CheckInSerializer,
        responses={
            200: serializers.AttendeeInvitationSerializer,
            400: REFUSED,
            404: OpenApiResponse(
                description="No such workshop or invitation, or the caller is not a coordinator."
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """Record that an invitee came, or undo it; without `present`, it toggles
        (coordinators)."""
        workshop = self.writable()
        data = serializers.CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = get_object_or_404(
            event_selectors.invitations_of(workshop), pk=data.validated_data["invitation"]
        )
        present = data.validated_data["present"]
        if present is None:
            present = not invitation.attended
        invitation = services.set_checked_in(invitation, actor=request.user, present=present)
        return Response(serializers.AttendeeInvitationSerializer(invitation).data)

    # --- results of the live session --------------------------------------------------------

    @extend_schema(
        responses={200: serializers.LiveActivitySerializer(many=True), 404: COORDINATORS_ONLY}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def activities(self, request, pk=None):
        """The activities of the workshop's live session in their order, drafts too, each
        with its settings and results: cards by cluster (hidden ones marked), dots and
        answers per option, questions with upvotes, the mood's values or words; an empty
        list without a live session (coordinators)."""
        reports = workshop_reports(self.writable())
        return Response(serializers.LiveActivitySerializer(reports, many=True).data)

    @extend_schema(
        responses={
            200: serializers.LiveActivitySerializer,
            404: OpenApiResponse(
                description="No such workshop or activity, or the caller is not a coordinator."
            ),
        }
    )
    @action(detail=True, methods=["get"], url_path=r"activities/(?P<activity_id>[0-9]+)")
    def activity(self, request, pk=None, activity_id=None):
        """One activity of the live session with its results (coordinators)."""
        reports = workshop_reports(self.writable(), activity_id=int(activity_id))
        if not reports:
            raise Http404
        return Response(serializers.LiveActivitySerializer(reports[0]).data)

    @extend_schema(
        responses={
            (200, CsvRenderer.media_type): OpenApiTypes.BINARY,
            (404, JSONRenderer.media_type): COORDINATORS_ONLY,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="activities/export",
        renderer_classes=[CsvRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def export_activities(self, request, pk=None):
        """The results of every activity that was opened as CSV, one row per card, option,
        question, value or word, as the documentation page offers it: UTF-8 with a byte
        order mark, “;” between cells (coordinators)."""
        return exports.live_results_download(self.writable())
