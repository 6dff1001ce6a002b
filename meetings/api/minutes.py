"""The agenda and minutes over the API, with the pages' permissions: members of the body
read the agenda and propose items (until the cut-off); the minutes and the attendance are
read by whom `selectors.may_read_minutes` names (drafts only coordinators);
coordinators add items, decide on proposals, write the minutes, record the attendance and
move the minutes from draft to circulated to approved. A meeting or item the caller may
not see, or may not change, answers 404. Minutes are saved with the revision the client
read: a stale revision answers 409 and changes nothing."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api.downloads import DocxRenderer, FileErrorsAsJson, PdfRenderer
from participation.api.views import AUTHENTICATION
from participation.documents.pdf import PdfUnavailable
from participation.downloads import uploaded_file_download
from participation.selectors import get_or_404, is_coordinator

from .. import exports, selectors
from .. import minutes as service
from ..models import AgendaDocument, AgendaItem, AttendanceStatus, MeetingRecord, OutcomeKind

NOT_FOUND = OpenApiResponse(description="No such record, or the caller may not change it.")
INVALID = OpenApiResponse(description="Invalid data; the messages name the fields.")
CONFLICT = OpenApiResponse(description="Somebody saved the minutes since the given revision.")
UNAVAILABLE = OpenApiResponse(description="PDF files cannot be made on this server just now.")


class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "title",
            "presenter",
            "duration_minutes",
            "kind",
            "status",
            "documents",
        ]
        read_only_fields = ["id", "meeting", "position", "kind", "status", "documents"]

    def get_documents(self, item) -> list[dict]:
        return [
            {"id": document.pk, "title": document.title, "content_type": document.content_type}
            for document in item.documents.all()
        ]


class AgendaItemMinutesSerializer(serializers.ModelSerializer):
    minutes = serializers.CharField(allow_blank=True, required=True, trim_whitespace=False)
    outcome = serializers.ChoiceField(choices=OutcomeKind.choices)
    revision = serializers.IntegerField(min_value=0)

    class Meta:
        model = AgendaItem
        fields = ["id", "title", "minutes", "outcome", "revision"]
        read_only_fields = ["id", "title"]


class MeetingAttendanceSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=[("", ""), *AttendanceStatus.choices], allow_blank=True
    )
    deputy = serializers.CharField(allow_blank=True, required=False, default="")


class MeetingMinutesStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingRecord
        fields = ["meeting", "status", "circulated_at", "approved_at", "approved_in"]
        read_only_fields = fields


class _Base(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]


def _agenda_items(meeting, user):
    service.ensure_agenda(meeting)
    items = meeting.agenda_items.exclude(status="rejected").prefetch_related("documents")
    if not is_coordinator(user):
        items = items.filter(status="accepted")
    return items.order_by("position", "pk")


@extend_schema(tags=["meetings"])
class AgendaView(_Base):
    """A meeting's agenda (created from the series' template on first read); coordinators
    also see the proposals waiting for a decision, and add items."""

    @extend_schema(responses={200: MeetingAgendaItemSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk)
        return Response(
            MeetingAgendaItemSerializer(_agenda_items(meeting, request.user), many=True).data
        )

    @extend_schema(
        request=MeetingAgendaItemSerializer,
        responses={201: MeetingAgendaItemSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        serializer = MeetingAgendaItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = service.add_item(
            AgendaItem(meeting=meeting, **serializer.validated_data), actor=request.user
        )
        return Response(MeetingAgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["meetings"])
class ProposeView(_Base):
    """A member of the body proposes an item, until the cut-off before the meeting."""

    @extend_schema(
        request=MeetingAgendaItemSerializer,
        responses={201: MeetingAgendaItemSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk)
        if not (service.may_propose(request.user, meeting) or is_coordinator(request.user)):
            raise Http404
        serializer = MeetingAgendaItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = service.propose_item(
            AgendaItem(meeting=meeting, **serializer.validated_data), actor=request.user
        )
        return Response(MeetingAgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["meetings"])
class DecideProposalView(_Base):
    """The coordinator accepts (`accept`) or rejects (`reject`) a proposal."""

    decision = None

    @extend_schema(
        request=None, responses={200: MeetingAgendaItemSerializer, 400: INVALID, 404: NOT_FOUND}
    )
    def post(self, request, pk):
        item = service.item_for_user(request.user, pk, write=True)
        item = service.decide_proposal(item, accept=self.decision == "accept", actor=request.user)
        return Response(MeetingAgendaItemSerializer(item).data)


@extend_schema(tags=["meetings"])
class MinutesItemView(_Base):
    """An item's minutes. PUT with the revision read: a stale one answers 409 and changes
    nothing; approved minutes are locked (400)."""

    @extend_schema(responses={200: AgendaItemMinutesSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        """The item's minutes for those who may read the meeting's minutes: coordinators;
        the attendees and invitees once circulated; every member once approved (404
        otherwise, as for a draft)."""
        item = service.item_for_user(request.user, pk)
        _check_minutes_readable(request.user, item.meeting)
        if item.status != "accepted" and not is_coordinator(request.user):
            raise Http404
        return Response(AgendaItemMinutesSerializer(item).data)

    @extend_schema(
        request=AgendaItemMinutesSerializer,
        responses={200: AgendaItemMinutesSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def put(self, request, pk):
        item = service.item_for_user(request.user, pk, write=True)
        serializer = AgendaItemMinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            item = service.save_minutes(
                item,
                minutes=data["minutes"],
                outcome=data["outcome"],
                base_revision=data["revision"],
                actor=request.user,
            )
        except service.MinutesConflict as conflict:
            return Response(
                {"detail": conflict.messages[0], **AgendaItemMinutesSerializer(conflict.item).data},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(AgendaItemMinutesSerializer(item).data)


@extend_schema(tags=["meetings"])
class AttendanceView(_Base):
    """Attendance per seat of the body (present, excused, represented by a deputy)."""

    @extend_schema(responses={200: MeetingAttendanceSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        """The attendance, part of the minutes: for those who may read them (see the
        item's minutes)."""
        meeting = selectors.get_meeting_for_user(request.user, pk)
        _check_minutes_readable(request.user, meeting)
        return Response(_attendance(meeting))

    @extend_schema(
        request=MeetingAttendanceSerializer(many=True),
        responses={200: MeetingAttendanceSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    )
    def put(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        serializer = MeetingAttendanceSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        entries = {
            entry["person"]: (entry["status"], entry.get("deputy", ""))
            for entry in serializer.validated_data
        }
        service.save_attendance(meeting, entries, actor=request.user)
        return Response(_attendance(meeting))


def _check_minutes_readable(user, meeting):
    if not selectors.may_read_minutes(user, meeting, service.ensure_agenda(meeting)):
        raise Http404


def _attendance(meeting):
    return [
        {
            "person": seat.person_id,
            "organisation": seat.represents_id,
            "status": row.status if row else "",
            "deputy": row.deputy if row else "",
        }
        for seat, row in service.attendance_rows(meeting)
    ]


@extend_schema(tags=["meetings"])
class MinutesStatusView(_Base):
    """The minutes' status (draft, circulated, approved)."""

    @extend_schema(responses={200: MeetingMinutesStatusSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk)
        return Response(MeetingMinutesStatusSerializer(service.ensure_agenda(meeting)).data)


@extend_schema(tags=["meetings"])
class MinutesTransitionView(_Base):
    """Circulate the draft minutes to the attendees, or approve circulated minutes (which
    locks them)."""

    transition = None

    @extend_schema(
        request=None, responses={200: MeetingMinutesStatusSerializer, 400: INVALID, 404: NOT_FOUND}
    )
    def post(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
        if self.transition == "circulate":
            record = service.circulate(meeting, actor=request.user)
        else:
            record = service.approve(meeting, actor=request.user)
        return Response(MeetingMinutesStatusSerializer(record).data)


class AgendaItemChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "duration_minutes", "position"]


@extend_schema(tags=["meetings"])
class AgendaItemView(_Base):
    """One agenda item; coordinators change its title, presenter, duration or order."""

    @extend_schema(responses={200: MeetingAgendaItemSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        item = service.item_for_user(request.user, pk)
        if item.status != "accepted" and not is_coordinator(request.user):
            raise Http404
        return Response(MeetingAgendaItemSerializer(item).data)

    @extend_schema(
        request=AgendaItemChangeSerializer,
        responses={200: MeetingAgendaItemSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def patch(self, request, pk):
        item = service.item_for_user(request.user, pk, write=True)
        serializer = AgendaItemChangeSerializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(item, name, value)
        item = service.add_item(item, actor=request.user)
        return Response(MeetingAgendaItemSerializer(item).data)


class AgendaDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()


@extend_schema(tags=["meetings"])
class AgendaDocumentUploadView(_Base):
    """Coordinators attach a file to an agenda item (multipart; checked by content and
    size)."""

    parser_classes = [MultiPartParser]
    accepts_uploads = True

    @extend_schema(
        request={"multipart/form-data": AgendaDocumentUploadSerializer},
        responses={201: MeetingAgendaItemSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        item = service.item_for_user(request.user, pk, write=True)
        serializer = AgendaDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service.add_document(
            item,
            actor=request.user,
            title=serializer.validated_data["title"],
            uploaded=serializer.validated_data["file"],
        )
        return Response(MeetingAgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["meetings"])
class AgendaDocumentDownloadView(_Base):
    """The file of an agenda document, for those who see the meeting."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND}
    )
    def get(self, request, pk):
        document = get_or_404(AgendaDocument.objects.select_related("item"), pk)
        service.item_for_user(request.user, document.item_id)
        return uploaded_file_download(
            document.file.open("rb"),
            filename=document.original_name or document.title,
            content_type=document.content_type,
        )


@extend_schema(tags=["meetings"])
class MinutesFileView(FileErrorsAsJson, _Base):
    """The minutes as a file, built from the database on every call, for whoever may read
    them: a tagged PDF (`?format=pdf`, the default) or an editable Word file
    (`?format=docx`). Minutes not yet approved are marked as a draft on every page."""

    renderer_classes = [PdfRenderer, DocxRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(exports.FORMATS))],
        responses={
            (200, PdfRenderer.media_type): OpenApiTypes.BINARY,
            (200, DocxRenderer.media_type): OpenApiTypes.BINARY,
            (404, "application/json"): NOT_FOUND,
            (503, "application/json"): UNAVAILABLE,
        },
    )
    def get(self, request, pk):
        meeting = selectors.get_meeting_for_user(request.user, pk)
        try:
            return exports.download(meeting, request.accepted_renderer.format)
        except PdfUnavailable:
            return Response(
                {"detail": exports.unavailable_message()},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
