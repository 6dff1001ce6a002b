"""A delivery as a file over the API: the template (CSV or XLSX, the supplier's members and
the coordinators) and the upload of the filled-in template (the supplier's members), every
row checked first and nothing imported if one is wrong, each error named by row and column."""

from django.http import HttpResponse
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api.views import AUTHENTICATION
from participation.downloads import private_download
from participation.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import delivery_files, selectors

NOT_FOUND = OpenApiResponse(description="No such delivery, or not the caller's.")
BUILDERS = {
    "csv": (delivery_files.template_csv, CSV_CONTENT_TYPE),
    "xlsx": (delivery_files.template_xlsx, XLSX_CONTENT_TYPE),
}


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The file's row (header: 1).")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class RejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class ImportedSerializer(serializers.Serializer):
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class _Base(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated]


@extend_schema(tags=["deliveries"])
class DeliveryTemplateView(_Base):
    """The delivery's template with its current figures and each cell's revision (the
    `Stand` column, for the conflict rule on upload)."""

    @extend_schema(
        parameters=[OpenApiParameter("file_type", str, enum=["csv", "xlsx"], default="csv")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        delivery = selectors.get_delivery_for_user(request.user, pk)
        file_type = request.query_params.get("file_type", "csv")
        if file_type not in BUILDERS:
            file_type = "csv"
        build, content_type = BUILDERS[file_type]
        response = HttpResponse(build(delivery), content_type=content_type)
        return private_download(response, delivery_files.template_name(delivery, file_type))


@extend_schema(tags=["deliveries"])
class DeliveryUploadView(_Base):
    """Import a filled-in template (CSV or XLSX) into the delivery, all or nothing."""

    parser_classes = [MultiPartParser]
    accepts_uploads = True

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={
            200: ImportedSerializer,
            400: OpenApiResponse(
                RejectedSerializer,
                description="The file is refused: each error with its row and column (row "
                "null for the file as a whole, e.g. the delivery is locked). Nothing is "
                "imported.",
            ),
            404: NOT_FOUND,
        },
    )
    def post(self, request, pk):
        delivery = selectors.get_delivery_for_user(request.user, pk, write=True)
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = delivery_files.import_file(
                delivery, data.validated_data["file"], actor=request.user
            )
        except delivery_files.FileRejected as rejected:
            return Response(
                {
                    "detail": ngettext(
                        "Nothing was imported: the file has %(count)d error.",
                        "Nothing was imported: the file has %(count)d errors.",
                        len(rejected.errors),
                    )
                    % {"count": len(rejected.errors)},
                    "errors": [
                        {"row": error.row, "column": error.column or "", "message": error.message}
                        for error in rejected.errors
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"changed": result.changed, "unchanged": result.unchanged})
