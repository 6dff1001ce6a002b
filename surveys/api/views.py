"""Surveys over the API, with the UI's permissions: surveys addressed to the caller's
organisations, their own organisations' responses (all for coordinators), answering with the
same conflict rule as the web form; closing a survey, publishing its results, comparing one
question across organisations and exporting every response, as the web pages do."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as APIResponse

from participation import spreadsheets
from participation.api.downloads import CsvRenderer, FileErrorsAsJson, FileRenderer
from participation.api.paging import ORGANISATION_PAGING
from participation.api.views import AUTHENTICATION
from participation.selectors import is_coordinator

from .. import exports, results, selectors, services
from ..models import Question, QuestionKind
from . import serializers


class XlsxRenderer(FileRenderer):
    media_type = spreadsheets.XLSX_CONTENT_TYPE
    format = "xlsx"


class ExportQuerySerializer(drf_serializers.Serializer):
    layout = drf_serializers.ChoiceField(choices=exports.LAYOUTS, default="wide")


COORDINATORS_ONLY = OpenApiResponse(
    description="No such survey, or the caller is not a coordinator."
)
REFUSED = OpenApiResponse(description="Not possible in the survey's status; says why.")


@extend_schema(tags=["surveys"])
class SurveyViewSet(FileErrorsAsJson, viewsets.ReadOnlyModelViewSet):
    """Surveys with the sections and questions of their published version."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.SurveySerializer

    def get_queryset(self):
        return selectors.visible_surveys(self.request.user).order_by("-created_at")

    def _change(self, request, pk, service):
        survey = selectors.get_survey_for_user(request.user, pk, write=True)
        survey = service(survey, actor=request.user)
        return APIResponse(self.get_serializer(survey).data)

    @extend_schema(
        request=None,
        responses={200: serializers.SurveySerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a published survey: no response can be changed any more (coordinators)."""
        return self._change(request, pk, services.close_survey)

    @extend_schema(
        request=None,
        responses={200: serializers.SurveySerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a closed survey for answers again; published results are withdrawn
        (coordinators)."""
        return self._change(request, pk, services.reopen_survey)

    @extend_schema(
        request=None,
        responses={200: serializers.SurveySerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"], url_path="publish-results")
    def publish_results(self, request, pk=None):
        """Publish a closed survey's results to the organisations of the audience that
        submitted their response, and e-mail their contact people (coordinators)."""
        return self._change(request, pk, services.publish_results)

    @extend_schema(
        request=None,
        responses={200: serializers.SurveySerializer, 400: REFUSED, 404: COORDINATORS_ONLY},
    )
    @action(detail=True, methods=["post"], url_path="withdraw-results")
    def withdraw_results(self, request, pk=None):
        """Hide published results from the participants again (coordinators)."""
        return self._change(request, pk, services.withdraw_results)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "question",
                OpenApiTypes.STR,
                description="The question's key; the survey's first question if left out.",
            ),
            *ORGANISATION_PAGING,
        ],
        responses={
            200: serializers.ComparisonSerializer,
            404: OpenApiResponse(
                description="No such survey or question, or the caller may not read its "
                "results (yet)."
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def comparison(self, request, pk=None):
        """One question's answers across organisations, a page of organisations at a time
        (by name, `limit` and `offset` as for the lists), with the chart's counts and the
        number of answers of all of them.

        Coordinators get every organisation of the audience in any state. Once the results
        of a closed survey are published, members of an organisation that submitted its
        response get the submitted answers of every organisation that submitted, without
        files."""
        survey = results.get_results_survey_for_user(request.user, pk)
        questions = results.current_questions(survey.current_version)
        if not questions:
            raise Http404
        paginator = self.paginator

        def paginate(audience):
            return paginator.paginate_queryset(audience, request, view=self), paginator.count

        shown = results.question_results(
            survey,
            questions,
            request.query_params.get("question"),
            published=not is_coordinator(request.user),
            paginate=paginate,
        )
        page = {
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": shown,
        }
        return APIResponse(serializers.ComparisonSerializer(page).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["csv", "xlsx"],
                description="csv (the default: UTF-8, “;”, for German Excel) or xlsx.",
            ),
            OpenApiParameter(
                "layout",
                OpenApiTypes.STR,
                enum=list(exports.LAYOUTS),
                description="wide (the default): one row per organisation; long: one row "
                "per answer.",
            ),
        ],
        responses={
            (200, CsvRenderer.media_type): OpenApiTypes.BINARY,
            (200, XlsxRenderer.media_type): OpenApiTypes.BINARY,
            (400, JSONRenderer.media_type): OpenApiResponse(description="Unknown layout."),
            (404, JSONRenderer.media_type): COORDINATORS_ONLY,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[CsvRenderer, XlsxRenderer])
    def export(self, request, pk=None):
        """Every response as the web page exports it, streamed (coordinators)."""
        survey = results.get_results_survey_for_user(request.user, pk, full=True)
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return exports.download(
            request._request,
            survey,
            layout=query.validated_data["layout"],
            file_format=request.accepted_renderer.format,
        )


@extend_schema(tags=["survey-responses"])
class ResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """One response per organisation. Members see their own organisations' responses,
    coordinators all of them."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.ResponseSerializer

    def get_queryset(self):
        return selectors.visible_responses(self.request.user).order_by(
            "survey", "organisation__name"
        )

    @extend_schema(
        request=serializers.AnswerWriteSerializer,
        responses={
            200: serializers.AnswerSerializer,
            400: OpenApiResponse(description="The value does not fit the question."),
            409: OpenApiResponse(
                serializers.AnswerSerializer,
                description="Changed since base_revision; the body is the current answer.",
            ),
        },
    )
    @action(detail=True, methods=["put"], url_path=r"answers/(?P<key>[a-z0-9_]+)")
    def answer(self, request, pk=None, key=None):
        """Save one answer. Send the revision your edit started from; a conflict answers 409
        with the current answer and changes nothing."""
        response = selectors.get_response_for_user(request.user, pk, write=True)
        question = get_object_or_404(
            Question.objects.exclude(kind=QuestionKind.FILE),
            section__version=response.version_id,
            key=key,
        )
        data = serializers.AnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = services.save_answer(
                response,
                question,
                data.validated_data["value"],
                actor=request.user,
                base_revision=data.validated_data["base_revision"],
            )
        except services.AnswerConflict as conflict:
            return APIResponse(
                serializers.AnswerSerializer(conflict.answer).data, status=status.HTTP_409_CONFLICT
            )
        except ValidationError as error:
            return APIResponse({"value": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        return APIResponse(serializers.AnswerSerializer(answer).data)

    @extend_schema(request=None, responses={200: serializers.ResponseSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the response; 400 lists the required questions still open."""
        response = selectors.get_response_for_user(request.user, pk, write=True)
        try:
            response = services.submit_response(response, actor=request.user)
        except services.IncompleteResponse as incomplete:
            return APIResponse(
                {"missing": [q.key for q in incomplete.questions], "detail": incomplete.messages},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except ValidationError as error:
            return APIResponse({"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        return APIResponse(self.get_serializer(response).data)
