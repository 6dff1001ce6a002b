"""Meetings over the API, with the web pages' permissions: coordinators create and change
series, move and cancel meetings, record decisions and keep tasks; a signed-in member reads
the series, meetings, decisions and tasks of the bodies they sit in. Whatever the caller may
not see or change answers 404. Every write goes through one service with the caller as
actor; a decision's number is given by the platform, never by a client."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation import spreadsheets
from participation.api.downloads import CsvRenderer, FileErrorsAsJson, FileRenderer
from participation.api.permissions import CoordinatorWritesOnly
from participation.api.views import AUTHENTICATION

from .. import decision_exports, feed, rescheduling, selectors, services
from ..models import Decision, MeetingSeries, Task
from . import serializers
from .invitations import MeetingInvitationsMixin

NOT_FOUND = OpenApiResponse(description="No such record, or the caller may not change it.")
INVALID = OpenApiResponse(description="Invalid data; the messages name the fields.")


class _Base(viewsets.GenericViewSet):
    """Reads follow the selectors; a record the caller cannot see answers 404, one they
    can see but not change 403 (as in the registry's API)."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]
    # get_<model>_for_user(user, pk): the record if the caller may see it, else 404.
    lookup = None

    def get_object(self):
        record = type(self).lookup(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def shown(self, record):
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


def _writable_meeting(request, meeting):
    """The meeting a write names, looked up for writing (404 unless a coordinator)."""
    return selectors.get_meeting_for_user(request.user, meeting.pk, write=True)


@extend_schema(tags=["meetings"])
class SeriesViewSet(
    _Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Meeting series of the bodies: coordinators see and change all; members read those of
    the bodies they sit in. Saving generates the occurrences twelve months ahead."""

    serializer_class = serializers.SeriesSerializer
    search_fields = ["title", "body__name"]

    def get_queryset(self):
        return selectors.visible_series(self.request.user).order_by("pk")

    lookup = staticmethod(selectors.get_series_for_user)

    def _save(self, serializer, series):
        data = dict(serializer.validated_data)
        code = data.pop("decision_code", None)
        for name, value in data.items():
            setattr(series, name, value)
        services.save_series(series, actor=self.request.user, decision_code=code)
        serializer.instance = self.get_queryset().get(pk=series.pk)

    def perform_create(self, serializer):
        self._save(serializer, MeetingSeries())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(responses={201: serializers.SeriesSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Create a series (coordinators); the rule must yield dates, not too many."""
        return super().create(request, *args, **kwargs)


@extend_schema(tags=["meetings"])
class MeetingViewSet(
    MeetingInvitationsMixin, _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin
):
    """The occurrences of the series; coordinators move or cancel one, "only this one", "this
    and following" or "all", after previewing what changes and who is told."""

    serializer_class = serializers.MeetingSerializer
    filterset_fields = ["series", "status"]

    def get_queryset(self):
        return selectors.visible_meetings(self.request.user).order_by("start", "pk")

    lookup = staticmethod(selectors.get_meeting_for_user)

    @extend_schema(
        request=serializers.MoveSerializer,
        responses={200: serializers.MeetingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move this meeting (scope "this": it keeps its original start, the RECURRENCE-ID)
        or with it the following ones or all (the series is split or moved). Each moved
        meeting's calendar sequence rises and its invitees who have not declined get one
        update. `change-preview` shows beforehand what changes."""
        meeting = self.get_object()
        move = serializers.MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        meeting = rescheduling.move(meeting, actor=request.user, **move.validated_data)
        return self.shown(meeting)

    @extend_schema(
        request=serializers.ChangePreviewRequestSerializer,
        responses={200: serializers.ChangePreviewSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="change-preview")
    def change_preview(self, request, pk=None):
        """What moving or cancelling this meeting in a scope would do: the meetings with
        their old and new dates, how the series changes and who is told. Writes and sends
        nothing."""
        meeting = self.get_object()
        change = serializers.ChangePreviewRequestSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        data = change.validated_data
        plan = rescheduling.preview(
            meeting,
            scope=data["scope"],
            cancel=data["change"] == "cancel",
            start=data.get("start"),
            end=data.get("end"),
        )
        return Response(serializers.ChangePreviewSerializer(plan).data)

    @extend_schema(responses={200: serializers.TaskSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="carried-tasks", pagination_class=None)
    def carried_tasks(self, request, pk=None):
        """The open tasks of the series' earlier meetings, which this meeting's agenda
        carries under "Offene Aufgaben" until they are done."""
        meeting = self.get_object()
        tasks = selectors.carried_tasks(meeting)
        return Response(serializers.TaskSerializer(tasks, many=True).data)

    @extend_schema(
        request=serializers.CancelSerializer,
        responses={200: serializers.MeetingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel this meeting (scope "this": the series goes on), or with it the following
        ones or all that have not begun (the series ends the day before). Invitees who have
        not declined get a cancellation."""
        meeting = self.get_object()
        cancel = serializers.CancelSerializer(data=request.data)
        cancel.is_valid(raise_exception=True)
        meeting = rescheduling.cancel(meeting, actor=request.user, **cancel.validated_data)
        return self.shown(meeting)


class XlsxRenderer(FileRenderer):
    media_type = spreadsheets.XLSX_CONTENT_TYPE
    format = "xlsx"


@extend_schema(tags=["meetings"])
class DecisionViewSet(
    FileErrorsAsJson,
    _Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
):
    """The bodies' decisions. Coordinators record one at a meeting; its number
    (CODE-YEAR-NN) is given by the platform and never changes. Members read their bodies'."""

    serializer_class = serializers.DecisionSerializer
    filterset_fields = ["body", "meeting", "year"]
    search_fields = ["reference", "title", "text"]

    def get_queryset(self):
        return selectors.visible_decisions(self.request.user).order_by("-year", "-number")

    lookup = staticmethod(selectors.get_decision_for_user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = _writable_meeting(self.request, data["meeting"])
        decision = Decision(body=meeting.series.body, **data)
        services.record_decision(decision, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=decision.pk)

    @extend_schema(responses={201: serializers.DecisionSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Record a decision at a meeting (coordinators). A number sent along is ignored."""
        return super().create(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(decision_exports.FORMATS)),
            OpenApiParameter("body", int, description="Only this body's decisions."),
            OpenApiParameter("q", str, description="Search in number, title and text."),
        ],
        responses={
            (200, CsvRenderer.media_type): OpenApiTypes.BINARY,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
            (404, "application/json"): NOT_FOUND,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[CsvRenderer, XlsxRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def export(self, request):
        """The decision register the caller may see, across bodies or of one, as CSV
        (German Excel: UTF-8 with a byte order mark, “;” between cells) or XLSX."""
        body = None
        body_id = request.query_params.get("body", "")
        if body_id:
            if not body_id.isdigit():
                raise Http404
            body = selectors.get_body_for_user(request.user, int(body_id))
        decisions = decision_exports.search(
            request.user, body=body, query=request.query_params.get("q", "")
        )
        return decision_exports.download(decisions, request.accepted_renderer.format)


@extend_schema(tags=["meetings"])
class TaskViewSet(
    _Base,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Tasks agreed at meetings, owned by a person or an organisation of the body."""

    serializer_class = serializers.TaskSerializer
    filterset_fields = ["meeting", "status", "decision"]
    search_fields = ["title"]

    def get_queryset(self):
        return selectors.visible_tasks(self.request.user).order_by("due_date", "pk")

    lookup = staticmethod(selectors.get_task_for_user)

    def _save(self, serializer, task):
        for name, value in serializer.validated_data.items():
            setattr(task, name, value)
        _writable_meeting(self.request, task.meeting)
        services.save_task(task, actor=self.request.user)
        serializer.instance = self.get_queryset().get(pk=task.pk)

    def perform_create(self, serializer):
        self._save(serializer, Task())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(request=serializers.TaskStatusSerializer, responses=serializers.TaskSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def status(self, request, pk=None):
        """Set the status: coordinators, and the task's owner (the person, or a member of
        the owning organisation); anyone else gets 404."""
        task = selectors.get_task_to_update(request.user, pk)
        data = serializers.TaskStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_task_status(task, data.validated_data["status"], actor=request.user)
        return self.shown(task)


class BodyCalendarView(APIView):
    """The calendar feed (RFC 5545) of a body's meeting series, for members of the body and
    coordinators."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["meetings"],
        responses={
            (200, "text/calendar"): OpenApiTypes.STR,
            404: OpenApiResponse(description="No such body, or the caller does not sit in it."),
        },
    )
    def get(self, request, pk):
        body = selectors.get_body_for_user(request.user, pk)
        response = HttpResponse(
            feed.body_feed(body), content_type=f"{feed.ICS_MIMETYPE}; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="sitzungen-{body.pk}.ics"'
        return response
