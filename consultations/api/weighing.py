"""The weighing table over the API, with the pages' permissions: coordinators read the
table, split answers into points and respond to them under the conflict rule (409 with the
point as it is), write the revised draft, publish the result, read the participation record
and download the files; a member reads the published result of their own organisations."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation import spreadsheets
from participation.api.downloads import (
    CsvRenderer,
    DocxRenderer,
    FileErrorsAsJson,
    FileRenderer,
    PdfRenderer,
)
from participation.api.paging import ORGANISATION_PAGING
from participation.api.views import AUTHENTICATION
from participation.documents.pdf import PdfUnavailable

from .. import exports, record, selectors, weighing
from ..models import Publication, RevisedSection, WeighingPoint

REFUSED = OpenApiResponse(description="Not possible now; the body says why.")
NOT_FOUND = OpenApiResponse(description="No such record, or not the caller's.")


class XlsxRenderer(FileRenderer):
    media_type = spreadsheets.XLSX_CONTENT_TYPE
    format = "xlsx"


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WeighingPoint
        fields = ["id", "answer", "number", "text", "reply", "reasons", "revision", "version"]
        read_only_fields = fields


class PointCreateSerializer(serializers.Serializer):
    answer = serializers.IntegerField(help_text="The statement on a section (its id).")
    text = serializers.CharField(allow_blank=True, help_text="The point, quoted or paraphrased.")


class PointWriteSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    reply = serializers.CharField(
        allow_blank=True, help_text="adopted, partly_adopted, not_adopted, noted; empty: none yet."
    )
    reasons = serializers.CharField(allow_blank=True, required=False, default="")
    base_revision = serializers.IntegerField(help_text="The revision your edit started from.")


class EntrySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    organisation_name = serializers.CharField(source="organisation.name")
    received = serializers.BooleanField()
    declined = serializers.BooleanField()
    answer = serializers.IntegerField(source="answer.pk", allow_null=True, default=None)
    position = serializers.CharField()
    comment = serializers.CharField()
    wording = serializers.CharField()
    points = PointSerializer(many=True)


class SectionRowsSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section.pk")
    number = serializers.IntegerField(source="section.number")
    title = serializers.CharField(source="section.title")
    entries = EntrySerializer(many=True)


class WeighingTableSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="The consulted organisations, on all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    version = serializers.IntegerField()
    changed_since_publication = serializers.BooleanField()
    results = SectionRowsSerializer(
        many=True, help_text="Every section, with the entries of this page's organisations."
    )


class RevisedSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RevisedSection
        fields = ["id", "original", "number", "title", "text"]
        read_only_fields = ["id", "original", "number"]


class PublishSerializer(serializers.Serializer):
    public_table = serializers.ChoiceField(
        choices=Publication.PublicTable.choices, allow_blank=True, required=False, default=""
    )


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "version", "public_table", "published_at"]


class ResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    public_table = serializers.CharField()
    sections = serializers.JSONField(help_text="Per section the caller's own statements.")
    revised_draft = serializers.JSONField()


class RecordRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    organisation_name = serializers.CharField(source="organisation.name")
    requests = serializers.SerializerMethodField()
    reminders = serializers.ListField(child=serializers.DateField())
    outcome = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = serializers.CharField()

    def get_requests(self, row) -> list[dict]:
        return [{"person": person, "sent_at": sent} for person, sent in row.requests]


class _Base(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]


@extend_schema(tags=["consultations"])
class WeighingTableView(_Base):
    """The weighing table of a consultation (coordinators), a page of consulted
    organisations at a time (by name, `limit` and `offset` as for the lists): per section
    each organisation's position, comment, proposed wording and the points with the
    responses; `answer` null means no statement was received (`declined`: "no
    statement")."""

    @extend_schema(
        parameters=ORGANISATION_PAGING, responses={200: WeighingTableSerializer, 404: NOT_FOUND}
    )
    def get(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        paginator = LimitOffsetPagination()
        organisations = paginator.paginate_queryset(
            weighing.consulted(consultation), request, view=self
        )
        table = {
            "count": paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "version": weighing.current_version(consultation),
            "changed_since_publication": weighing.changed_since_publication(consultation),
            "results": weighing.table(consultation, organisations=organisations),
        }
        return Response(WeighingTableSerializer(table).data)


@extend_schema(tags=["consultations"])
class PointCreateView(_Base):
    """Split a released statement on a section into one more point (coordinators)."""

    @extend_schema(
        request=PointCreateSerializer,
        responses={201: PointSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        data = PointCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = selectors.get_answer_for_user(request.user, data.validated_data["answer"])
        if answer.response.consultation_id != consultation.pk:
            raise Http404
        point = weighing.add_point(answer, actor=request.user, text=data.validated_data["text"])
        return Response(PointSerializer(point).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["consultations"])
class PointView(_Base):
    """One point and the administration's response (coordinators; anyone else 404)."""

    @extend_schema(responses={200: PointSerializer, 404: NOT_FOUND})
    def get(self, request, point_id):
        return Response(PointSerializer(selectors.get_point_for_user(request.user, point_id)).data)

    @extend_schema(
        request=PointWriteSerializer,
        responses={
            200: PointSerializer,
            400: REFUSED,
            404: NOT_FOUND,
            409: OpenApiResponse(
                PointSerializer,
                description="Changed since base_revision; the body is the point as it is.",
            ),
        },
    )
    def put(self, request, point_id):
        """Save the point's text, response and reasons. A change after a publication
        belongs to the next version of the table."""
        point = selectors.get_point_for_user(request.user, point_id)
        data = PointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            point = weighing.save_point(
                point, actor=request.user, base_revision=values.pop("base_revision"), **values
            )
        except weighing.PointConflict as conflict:
            return Response(PointSerializer(conflict.point).data, status=status.HTTP_409_CONFLICT)
        return Response(PointSerializer(point).data)

    @extend_schema(responses={204: None, 400: REFUSED, 404: NOT_FOUND})
    def delete(self, request, point_id):
        point = selectors.get_point_for_user(request.user, point_id)
        weighing.delete_point(point, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["consultations"])
class WeighingFileView(FileErrorsAsJson, _Base):
    """The weighing table as a file, built from the database on every call (coordinators):
    XLSX (`?format=xlsx`, the default), DOCX or a tagged PDF."""

    renderer_classes = [XlsxRenderer, DocxRenderer, PdfRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(exports.FORMATS))],
        responses={
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
            (200, DocxRenderer.media_type): OpenApiTypes.BINARY,
            (200, PdfRenderer.media_type): OpenApiTypes.BINARY,
            (404, "application/json"): NOT_FOUND,
            (503, "application/json"): OpenApiResponse(description="PDF unavailable."),
        },
    )
    def get(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        try:
            return exports.download(consultation, request.accepted_renderer.format)
        except PdfUnavailable:
            return Response(
                {"detail": "PDF files cannot be made on this server."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )


@extend_schema(tags=["consultations"])
class RevisedDraftView(_Base):
    """The revised draft, the next version of the draft's sections (coordinators)."""

    @extend_schema(responses={200: RevisedSectionSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        return Response(
            RevisedSectionSerializer(consultation.revised_sections.all(), many=True).data
        )

    @extend_schema(
        request=None,
        responses={200: RevisedSectionSerializer(many=True), 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        """Begin the revised draft as a copy of the sections (once)."""
        consultation = selectors.get_weighing_consultation(request.user, pk)
        sections = weighing.start_revised_draft(consultation, actor=request.user)
        return Response(RevisedSectionSerializer(sections, many=True).data)


@extend_schema(tags=["consultations"])
class RevisedSectionView(_Base):
    @extend_schema(
        request=RevisedSectionSerializer,
        responses={200: RevisedSectionSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def put(self, request, pk, section_id):
        """Change a section of the revised draft (title, text)."""
        consultation = selectors.get_weighing_consultation(request.user, pk)
        section = get_object_or_404(consultation.revised_sections, pk=section_id)
        data = RevisedSectionSerializer(section, data=request.data)
        data.is_valid(raise_exception=True)
        section.title = data.validated_data["title"]
        section.text = data.validated_data.get("text", "")
        weighing.save_revised_section(section, actor=request.user)
        return Response(RevisedSectionSerializer(section).data)


@extend_schema(tags=["consultations"])
class PublishView(_Base):
    @extend_schema(
        request=PublishSerializer,
        responses={201: PublicationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request, pk):
        """Publish the result as the table's next version and tell every consulted
        organisation's contact people (each once)."""
        consultation = selectors.get_weighing_consultation(request.user, pk)
        data = PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        publication = weighing.publish(
            consultation, actor=request.user, public_table=data.validated_data["public_table"]
        )
        return Response(PublicationSerializer(publication).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["consultations"])
class ResultView(_Base):
    """The published result (the latest or `?version=`): a member reads their own
    organisations' statements with the responses and the revised draft; coordinators all."""

    @extend_schema(
        parameters=[OpenApiParameter("version", int)],
        responses={200: ResultSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        consultation = selectors.get_consultation_for_user(request.user, pk)
        version = request.query_params.get("version", "")
        if version and not version.isdigit():
            raise Http404
        publication = selectors.get_publication_for_user(
            request.user, consultation, int(version) if version else None
        )
        own = selectors.result_organisation_ids(request.user, consultation)
        return Response(
            ResultSerializer(
                {
                    "version": publication.version,
                    "published_at": publication.published_at,
                    "public_table": publication.public_table,
                    "sections": weighing.own_part(publication.content, own),
                    "revised_draft": publication.content.get("revised_draft", []),
                }
            ).data
        )


@extend_schema(tags=["consultations"])
class RecordView(_Base):
    """The participation record (coordinators): per organisation who was asked when, the
    reminders, who answered when, who declined or never answered."""

    @extend_schema(responses={200: RecordRowSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        return Response(RecordRowSerializer(record.record(consultation), many=True).data)


@extend_schema(tags=["consultations"])
class RecordFileView(FileErrorsAsJson, _Base):
    """The participation record as CSV (`?format=csv`, the default) or XLSX."""

    renderer_classes = [CsvRenderer, XlsxRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(record.FORMATS))],
        responses={
            (200, CsvRenderer.media_type): OpenApiTypes.BINARY,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
            (404, "application/json"): NOT_FOUND,
        },
    )
    def get(self, request, pk):
        consultation = selectors.get_weighing_consultation(request.user, pk)
        return record.download(consultation, request.accepted_renderer.format)
