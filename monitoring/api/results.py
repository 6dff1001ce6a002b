"""An indicator's results and the files of approved values over the API, with the pages'
rules (`monitoring.results`): every signed-in person reads the approved values (a suppressed
one as `suppressed: true` without its number); the KomMonitor files and a round's XLSX are
the county's to publish, coordinators only (404 for everyone else)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api.downloads import CsvRenderer, FileErrorsAsJson, FileRenderer
from participation.api.views import AUTHENTICATION
from participation.spreadsheets import XLSX_CONTENT_TYPE

from .. import results, selectors, value_exports
from .views import GeoJsonRenderer


class XlsxRenderer(FileRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


class ResultRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    reference_date = serializers.DateField()


class ResultCellSerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text="The round's id.")
    number = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        allow_null=True,
        coerce_to_string=True,
        normalize_output=True,
        help_text="The approved value; null when none is approved or it is suppressed.",
    )
    suppressed = serializers.BooleanField(help_text="A small number, never published.")
    carried = serializers.BooleanField(
        help_text="Carried from the earlier versions of the space (a re-cut), by their shares."
    )


class ResultRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The space's key, or the municipality's AGS.")
    name = serializers.CharField()
    space = serializers.IntegerField(allow_null=True, help_text="Null: the municipality's total.")
    level = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    cells = ResultCellSerializer(many=True)


class ResultMunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ags = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    rows = ResultRowSerializer(many=True)


class IndicatorResultsSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    code = serializers.CharField()
    unit = serializers.CharField()
    suppress_below = serializers.IntegerField(allow_null=True)
    rounds = ResultRoundSerializer(many=True)
    municipalities = ResultMunicipalitySerializer(many=True)


def _row(row, rounds):
    space = row.space
    return {
        "key": row.key,
        "name": row.name,
        "space": space.pk if space else None,
        "level": space.level if space else "municipality",
        "valid_from": space.valid_from if space else None,
        "valid_until": space.valid_until if space else None,
        "cells": [
            {
                "round": round_.pk,
                "number": cell.number if cell else None,
                "suppressed": bool(cell and cell.suppressed),
                "carried": bool(cell and cell.carried),
            }
            for round_, cell in zip(rounds, row.cells, strict=True)
        ],
    }


def results_data(shown) -> dict:
    indicator = shown.indicator
    return {
        "indicator": indicator.pk,
        "code": indicator.code,
        "unit": indicator.unit,
        "suppress_below": indicator.suppress_below,
        "rounds": shown.rounds,
        "municipalities": [
            {
                "id": group.municipality.pk,
                "ags": group.municipality.ags or "",
                "name": group.municipality.name,
                "rows": [_row(row, shown.rounds) for row in group.rows],
            }
            for group in shown.groups
        ],
    }


@extend_schema(tags=["indicators"])
class IndicatorResultsView(APIView):
    """The approved values of an indicator: per municipality its total and spaces (each
    version valid in a round), per round one cell."""

    authentication_classes = AUTHENTICATION

    @extend_schema(
        operation_id="indicator_results",
        responses={200: IndicatorResultsSerializer, 404: OpenApiResponse(description="Unknown.")},
    )
    def get(self, request, pk):
        indicator = selectors.get_indicator_for_user(request.user, pk)
        shown = results.indicator_results(indicator)
        return Response(IndicatorResultsSerializer(results_data(shown)).data)


@extend_schema(tags=["indicators"])
class IndicatorKomMonitorView(FileErrorsAsJson, APIView):
    """The indicator's approved values in KomMonitor's importer format (coordinators)."""

    authentication_classes = AUTHENTICATION
    renderer_classes = [CsvRenderer, GeoJsonRenderer]

    @extend_schema(
        operation_id="indicator_kommonitor",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["csv", "geojson"],
                description="csv (default): one row per spatial unit with a DATE_YYYY-MM-DD "
                "column per reference date; geojson: one feature per unit.",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/geo+json"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Unknown, or not a coordinator."),
        },
    )
    def get(self, request, pk):
        indicator = selectors.get_indicator_for_export(request.user, pk)
        file_format = "geojson" if request.accepted_renderer.format == "geojson" else "csv"
        return value_exports.kommonitor_download(
            request._request, indicator, file_format=file_format
        )


@extend_schema(tags=["delivery rounds"])
class RoundExportView(FileErrorsAsJson, APIView):
    """The round's approved values as XLSX, one row per value and supplier (coordinators)."""

    authentication_classes = AUTHENTICATION
    renderer_classes = [XlsxRenderer]

    @extend_schema(
        operation_id="delivery_round_export",
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Unknown, or not a coordinator."),
        },
    )
    def get(self, request, pk):
        round_ = selectors.get_round_for_export(request.user, pk)
        return value_exports.xlsx_download(request._request, round_)
