"""The registry of spaces over the API, with the pages' permissions: everyone signed in reads
the confirmed spaces, members read and propose their own municipality's, coordinators
confirm. Exports as GeoJSON and CSV."""

from django.http import Http404, HttpResponse
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from participation.api.downloads import CsvRenderer, FileErrorsAsJson, FileRenderer
from participation.api.mixins import ServiceSaveMixin
from participation.api.views import AUTHENTICATION
from participation.downloads import private_download
from participation.selectors import is_coordinator

from .. import selectors, space_exports, spaces
from ..models import SpaceStatus
from . import serializers


class GeoJsonRenderer(FileRenderer):
    media_type = "application/geo+json"
    format = "geojson"


FILTERS = [
    OpenApiParameter("municipality", int, description="Only this municipality's spaces."),
    OpenApiParameter(
        "on", str, description="Only versions valid on this day (YYYY-MM-DD); default: all."
    ),
    OpenApiParameter("status", str, enum=SpaceStatus.values),
    OpenApiParameter("level", str, enum=["social_space", "neighbourhood"]),
]


@extend_schema(tags=["spaces"])
class SpaceViewSet(
    FileErrorsAsJson,
    ServiceSaveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Social spaces and neighbourhoods, one row per version. Members propose and change
    their own municipality's spaces (a change makes a confirmed space a proposal again);
    coordinators change and confirm every municipality's."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.SpaceSerializer
    save_service = staticmethod(spaces.save_space)
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.visible_spaces(self.request.user)
        params = self.request.query_params
        if params.get("municipality", "").isdigit():
            queryset = queryset.filter(municipality_id=int(params["municipality"]))
        if day := parse_date(params.get("on", "") or ""):
            queryset = selectors.spaces_valid_on(queryset, day)
        if params.get("status") in SpaceStatus.values:
            queryset = queryset.filter(status=params["status"])
        if params.get("level"):
            queryset = queryset.filter(level=params["level"])
        return queryset.order_by("municipality__name", "key", "valid_from")

    def get_object(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return selectors.get_space_for_user(self.request.user, self.kwargs["pk"], write=write)

    def perform_create(self, serializer):
        municipality = serializer.validated_data["municipality"]
        if (
            not selectors.editable_municipalities(self.request.user)
            .filter(pk=municipality.pk)
            .exists()
        ):
            raise PermissionDenied("You may add spaces only for your own municipality.")
        super().perform_create(serializer)

    def perform_update(self, serializer):
        municipality = serializer.validated_data.get("municipality")
        if (
            municipality
            and not selectors.editable_municipalities(self.request.user)
            .filter(pk=municipality.pk)
            .exists()
        ):
            raise PermissionDenied("You may move spaces only to your own municipality.")
        super().perform_update(serializer)

    @extend_schema(
        filters=False,
        parameters=FILTERS,
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: serializers.SpaceSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a proposed space for the county (coordinators)."""
        if not is_coordinator(request.user):
            raise PermissionDenied("Only the county's coordinators confirm spaces.")
        space = spaces.confirm_space(self.get_object(), actor=request.user)
        return Response(self.get_serializer(space).data)

    @extend_schema(
        request=serializers.NewVersionSerializer,
        responses={201: serializers.SpaceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """End this version the day before `valid_from` and begin a new one with the same
        key; figures carry over whole (add successions with shares for a split)."""
        space = selectors.get_space_for_user(request.user, pk, write=True)
        given = serializers.NewVersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        successor = spaces.start_new_version(
            space,
            valid_from=given.validated_data["valid_from"],
            name=given.validated_data.get("name") or None,
            geometry=given.validated_data.get("geometry"),
            actor=request.user,
        )
        return Response(self.get_serializer(successor).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=FILTERS,
        responses={(200, "application/geo+json"): OpenApiResponse(description="GeoJSON")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[GeoJsonRenderer])
    def geojson(self, request):
        """The spaces as a GeoJSON FeatureCollection (key, level, AGS, validity per feature)."""
        response = HttpResponse(
            space_exports.geojson_bytes(self.get_queryset()), content_type="application/geo+json"
        )
        return private_download(response, "sozialraeume.geojson")

    @extend_schema(
        parameters=FILTERS,
        responses={(200, "text/csv"): OpenApiResponse(description="CSV for German Excel")},
    )
    @action(detail=False, methods=["get"], renderer_classes=[CsvRenderer])
    def csv(self, request):
        response = HttpResponse(
            space_exports.spaces_csv(self.get_queryset()), content_type="text/csv; charset=utf-8"
        )
        return private_download(response, "sozialraeume.csv")


@extend_schema(tags=["spaces"])
class SuccessionViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """How an earlier version's figures carry over to later ones after a re-cut (a split
    gives each part its share)."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.SuccessionSerializer

    def perform_create(self, serializer):
        user = self.request.user
        try:
            earlier = selectors.get_space_for_user(
                user, serializer.validated_data["earlier"].pk, write=True
            )
            later = selectors.get_space_for_user(
                user, serializer.validated_data["later"].pk, write=True
            )
        except Http404:
            raise PermissionDenied("Both versions must be your municipality's.") from None
        serializer.instance = spaces.add_succession(
            earlier, later, share=serializer.validated_data["share"], actor=user
        )
