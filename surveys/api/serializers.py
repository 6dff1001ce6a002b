from rest_framework import serializers

from ..models import Answer, Question, Response, Section, Survey


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["key", "kind", "text", "help_text", "required", "config", "condition", "position"]


class SectionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "description", "position", "questions"]


class SurveySerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "status",
            "opens_on",
            "deadline",
            "version",
            "sections",
        ]

    def get_version(self, survey) -> int | None:
        version = survey.current_version
        return version.number if version else None

    def get_sections(self, survey) -> list[dict]:
        version = survey.current_version
        if version is None:
            return []
        return SectionSerializer(version.sections.prefetch_related("questions"), many=True).data


class AnswerSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="question.key", read_only=True)
    updated_by = serializers.EmailField(source="updated_by.email", read_only=True, default=None)

    class Meta:
        model = Answer
        fields = ["key", "value", "revision", "updated_by", "updated_at"]


class ResponseSerializer(serializers.ModelSerializer):
    answers = serializers.SerializerMethodField()
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    effective_deadline = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "survey",
            "organisation",
            "organisation_name",
            "version",
            "status",
            "effective_deadline",
            "submitted_at",
            "last_activity_at",
            "answers",
        ]

    def get_answers(self, response) -> list[dict]:
        answers = response.answers.filter(question__section__version=response.version_id)
        return AnswerSerializer(answers.select_related("question", "updated_by"), many=True).data


class AnswerWriteSerializer(serializers.Serializer):
    value = serializers.JSONField(allow_null=True)
    base_revision = serializers.IntegerField(
        min_value=0, help_text="The revision your edit started from (0 for a new answer)."
    )
