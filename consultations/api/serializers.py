from rest_framework import serializers

from participation.models import Body, Organisation, OrganisationKind

from ..models import (
    Attachment,
    Consultation,
    ConsultationSection,
    Position,
    SectionAnswer,
    Statement,
)


class SectionSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Empty: after the last section."
    )

    class Meta:
        model = ConsultationSection
        fields = ["id", "consultation", "number", "title", "text"]
        read_only_fields = ["id"]
        # The save service numbers a new section and refuses a number used twice.
        validators = []


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "title", "original_name", "content_type", "size", "uploaded_at"]


class ConsultationSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "purpose",
            "status",
            "deadline",
            "opened_at",
            "closed_at",
            "organisations",
            "sections",
            "attachments",
        ]
        read_only_fields = ["status", "opened_at", "closed_at"]


class ConsultSerializer(serializers.Serializer):
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), required=False
    )
    bodies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Body.objects.filter(is_active=True), required=False
    )
    organisations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.filter(is_active=True), required=False
    )


class OrganisationRefSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()


class SectionAnswerValueSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=Position.choices, required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    wording = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class SectionAnswerSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="question_id", read_only=True)
    value = SectionAnswerValueSerializer(read_only=True, allow_null=True)
    updated_by = serializers.EmailField(
        source="updated_by.email", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = SectionAnswer
        fields = ["section", "value", "revision", "updated_by", "updated_at"]


class SectionAnswerWriteSerializer(serializers.Serializer):
    value = SectionAnswerValueSerializer(allow_null=True)
    base_revision = serializers.IntegerField(
        min_value=0, help_text="The revision your edit started from (0 for a new answer)."
    )


class StatementSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    effective_deadline = serializers.DateField(read_only=True, allow_null=True)
    answers = SectionAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "consultation",
            "organisation",
            "organisation_name",
            "status",
            "no_statement",
            "responsible",
            "effective_deadline",
            "deadline_extended_to",
            "submitted_at",
            "last_activity_at",
            "answers",
        ]
        read_only_fields = fields


class StatementCreateSerializer(serializers.Serializer):
    consultation = serializers.IntegerField()
    organisation = serializers.IntegerField()


class ResponsibleSerializer(serializers.Serializer):
    responsible = serializers.IntegerField(help_text="The person id of a current member.")


class ExtendSerializer(serializers.Serializer):
    until = serializers.DateField()
