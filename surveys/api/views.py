"""Surveys over the API, with the UI's permissions: surveys addressed to the caller's
organisations, their own organisations' responses (all for coordinators), answering with the
same conflict rule as the web form."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as APIResponse

from participation.api.views import AUTHENTICATION

from .. import selectors, services
from ..models import Question, QuestionKind
from . import serializers


@extend_schema(tags=["surveys"])
class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Surveys with the sections and questions of their published version."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.SurveySerializer

    def get_queryset(self):
        return selectors.visible_surveys(self.request.user).order_by("-created_at")


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
