"""A consultation's files over the API: coordinators attach them (multipart, checked by
content and size), everyone who sees the consultation downloads them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api.views import AUTHENTICATION
from participation.downloads import uploaded_file_download
from participation.selectors import get_or_404

from .. import selectors, services
from .serializers import AttachmentSerializer

NOT_FOUND = OpenApiResponse(description="No such consultation or file for the caller.")


class AttachmentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()


class _Base(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]


@extend_schema(tags=["consultations"])
class AttachmentUploadView(_Base):
    """Coordinators attach a file of the draft to a consultation that is not closed."""

    parser_classes = [MultiPartParser]
    accepts_uploads = True

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(description="The file is refused; says why."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk):
        consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.add_attachment(
            consultation,
            actor=request.user,
            title=data.validated_data["title"],
            uploaded=data.validated_data["file"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["consultations"])
class AttachmentDownloadView(_Base):
    """The file, for everyone who sees the consultation; coordinators remove it while the
    consultation is a draft."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND}
    )
    def get(self, request, pk, attachment_id):
        consultation = selectors.get_consultation_for_user(request.user, pk)
        attachment = get_or_404(consultation.attachments.all(), attachment_id)
        return uploaded_file_download(
            attachment.file.open("rb"),
            filename=attachment.original_name or attachment.title,
            content_type=attachment.content_type,
        )

    @extend_schema(
        responses={
            204: None,
            400: OpenApiResponse(description="The consultation is open: its files stay."),
            404: NOT_FOUND,
        }
    )
    def delete(self, request, pk, attachment_id):
        consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
        attachment = get_or_404(consultation.attachments.all(), attachment_id)
        services.delete_attachment(attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
