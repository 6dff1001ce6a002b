"""Consultations over the API, with the pages' permissions: coordinators set up, open,
close and remind; members read the consultations that ask their organisations and draft
their own organisations' statements under the same conflict rule as the form (409)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as APIResponse

from participation.api.mixins import ServiceSaveMixin
from participation.api.permissions import CoordinatorWritesOnly
from participation.api.views import AUTHENTICATION
from participation.models import Person

from .. import reminders, selectors, services
from ..models import ConsultationReminder, ConsultationSection, SectionAnswer
from . import serializers

REFUSED = OpenApiResponse(description="Not possible now; the body says why.")
NOT_FOUND = OpenApiResponse(description="No such record, or not the caller's to change.")


@extend_schema(tags=["consultations"])
class ConsultationViewSet(ServiceSaveMixin, viewsets.ModelViewSet):
    """Consultations with their sections and files. Members see the open and closed ones
    that consult one of their organisations; coordinators see and change all."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]
    serializer_class = serializers.ConsultationSerializer
    save_service = staticmethod(services.save_consultation)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            selectors.visible_consultations(self.request.user)
            .prefetch_related("sections", "attachments", "organisations")
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        selectors.get_consultation_for_user(self.request.user, self.kwargs["pk"], write=write)
        return super().get_object()

    def _change(self, request, service):
        consultation = selectors.get_consultation_for_user(
            request.user, self.kwargs["pk"], write=True
        )
        consultation = service(consultation, actor=request.user)
        return APIResponse(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        request=None,
        responses={200: serializers.ConsultationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="open")
    def open_for_statements(self, request, pk=None):
        """Open the consultation and request a statement from every consulted organisation's
        contact people (each once)."""
        return self._change(request, services.open_consultation)

    @extend_schema(
        request=None,
        responses={200: serializers.ConsultationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the consultation once every deadline has passed."""
        return self._change(request, services.close_consultation)

    @extend_schema(
        request=serializers.ConsultSerializer,
        responses={200: serializers.ConsultationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def consult(self, request, pk=None):
        """Add organisations to those consulted: by kind, by body, one by one."""
        consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
        data = serializers.ConsultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.consult(consultation, actor=request.user, **data.validated_data)
        return APIResponse(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        request=serializers.OrganisationRefSerializer,
        responses={200: serializers.ConsultationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="stop-consulting")
    def stop_consulting(self, request, pk=None):
        """Take one organisation off those consulted, while the consultation is a draft."""
        consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
        data = serializers.OrganisationRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = get_object_or_404(
            consultation.organisations, pk=data.validated_data["organisation"]
        )
        services.stop_consulting(consultation, organisation, actor=request.user)
        return APIResponse(self.get_serializer(self.get_queryset().get(pk=consultation.pk)).data)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(description="{sent, already_reminded, without_contact}"),
            400: REFUSED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        """Remind the contact people of organisations without a released statement (each
        at most once a day)."""
        consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
        result = reminders.remind_missing(
            consultation, actor=request.user, kind=ConsultationReminder.Kind.MANUAL
        )
        return APIResponse(
            {
                "sent": result.sent,
                "already_reminded": result.already_reminded,
                "without_contact": [o.pk for o in result.without_contact],
            }
        )


@extend_schema(tags=["consultations"])
class SectionViewSet(viewsets.ModelViewSet):
    """The draft's numbered sections; coordinators change them while it is a draft."""

    authentication_classes = AUTHENTICATION
    permission_classes = [IsAuthenticated, CoordinatorWritesOnly]
    serializer_class = serializers.SectionSerializer

    def get_queryset(self):
        return ConsultationSection.objects.filter(
            consultation__in=selectors.visible_consultations(self.request.user)
        ).order_by("consultation", "number")

    def perform_create(self, serializer):
        consultation = selectors.get_consultation_for_user(
            self.request.user, serializer.validated_data["consultation"].pk, write=True
        )
        section = ConsultationSection(**{**serializer.validated_data, "consultation": consultation})
        services.save_section(section, actor=self.request.user)
        serializer.instance = section

    def perform_update(self, serializer):
        section = serializer.instance
        data = dict(serializer.validated_data)
        if data.pop("consultation", section.consultation).pk != section.consultation_id:
            raise ValidationError({"consultation": "A section stays in its consultation."})
        for name, value in data.items():
            setattr(section, name, value)
        if section.number is None:
            section.number = 0
        services.save_section(section, actor=self.request.user)

    def perform_destroy(self, instance):
        services.delete_section(instance, actor=self.request.user)


@extend_schema(tags=["consultations"])
class StatementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """One statement per consulted organisation. Members see their own organisations'
    statements only; coordinators see all, but draft none on an organisation's behalf."""

    authentication_classes = AUTHENTICATION
    serializer_class = serializers.StatementSerializer

    def get_queryset(self):
        return (
            selectors.visible_statements(self.request.user)
            .prefetch_related(
                Prefetch("answers", queryset=SectionAnswer.objects.select_related("updated_by"))
            )
            .order_by("consultation", "organisation__name")
        )

    def _statement(self, pk):
        return selectors.get_statement_for_user(self.request.user, pk, write=True)

    def _answer(self, statement):
        return APIResponse(self.get_serializer(self.get_queryset().get(pk=statement.pk)).data)

    @extend_schema(
        request=serializers.StatementCreateSerializer,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def create(self, request, *args, **kwargs):
        """Open (on first use: create) the statement of one of the caller's organisations
        that the consultation consults; any other organisation answers 404."""
        data = serializers.StatementCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consultation = selectors.get_consultation_for_user(
            request.user, data.validated_data["consultation"]
        )
        organisation = get_object_or_404(
            selectors.answerable_organisations(request.user, consultation),
            pk=data.validated_data["organisation"],
        )
        return self._answer(services.statement_for(consultation, organisation))

    @extend_schema(
        request=serializers.SectionAnswerWriteSerializer,
        responses={
            200: serializers.SectionAnswerSerializer,
            400: OpenApiResponse(description="The value is refused; says why."),
            409: OpenApiResponse(
                serializers.SectionAnswerSerializer,
                description="Changed since base_revision; the body is the current answer.",
            ),
        },
    )
    @action(detail=True, methods=["put"], url_path=r"sections/(?P<section_id>\d+)")
    def section(self, request, pk=None, section_id=None):
        """Save the statement on one section. Send the revision your edit started from; a
        conflict answers 409 with the current answer and changes nothing."""
        statement = self._statement(pk)
        section = get_object_or_404(statement.consultation.sections, pk=section_id)
        data = serializers.SectionAnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = services.save_section_answer(
                statement,
                section,
                data.validated_data["value"],
                actor=request.user,
                base_revision=data.validated_data["base_revision"],
            )
        except services.AnswerConflict as conflict:
            return APIResponse(
                serializers.SectionAnswerSerializer(conflict.answer).data,
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as error:
            return APIResponse({"value": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        return APIResponse(serializers.SectionAnswerSerializer(answer).data)

    @extend_schema(
        request=serializers.ResponsibleSerializer,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def responsible(self, request, pk=None):
        """Name the member responsible for releasing the statement."""
        statement = self._statement(pk)
        data = serializers.ResponsibleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = Person.objects.filter(pk=data.validated_data["responsible"]).first()
        return self._answer(services.name_responsible(statement, person, actor=request.user))

    @extend_schema(
        request=None,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Release the statement (only the responsible member); 400 says why not, with
        `missing`: the sections without a position."""
        statement = self._statement(pk)
        try:
            statement = services.release_statement(statement, actor=request.user)
        except services.IncompleteResponse as incomplete:
            return APIResponse(
                {"missing": [s.pk for s in incomplete.questions], "detail": incomplete.messages},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._answer(statement)

    @extend_schema(
        request=None,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="no-statement")
    def no_statement(self, request, pk=None):
        """Declare that the organisation gives no statement (only the responsible member)."""
        return self._answer(services.declare_no_statement(self._statement(pk), actor=request.user))

    def _coordinated(self, pk):
        statement = selectors.get_or_404(self.get_queryset(), pk)
        selectors.get_consultation_for_user(
            self.request.user, statement.consultation_id, write=True
        )
        return statement

    @extend_schema(
        request=None,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Coordinators: open a released statement for changes again."""
        statement = self._coordinated(pk)
        return self._answer(services.reopen_statement(statement, actor=request.user))

    @extend_schema(
        request=serializers.ExtendSerializer,
        responses={200: serializers.StatementSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Coordinators: give this organisation more time than the consultation's deadline."""
        statement = self._coordinated(pk)
        data = serializers.ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        statement = services.extend_deadline(
            statement, actor=request.user, until=data.validated_data["until"]
        )
        return self._answer(statement)
