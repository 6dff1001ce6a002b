from drf_spectacular.utils import extend_schema_field
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
            "results_published_at",
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
    updated_by = serializers.EmailField(
        source="updated_by.email",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Who saved it last; empty for answers written without an account "
        "(imported or seeded) or by an account since removed.",
    )

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


# --- results -----------------------------------------------------------------------------------


class ComparisonRowSerializer(serializers.Serializer):
    """One organisation beside its answer (see `surveys.results.ComparisonRow`)."""

    id = serializers.IntegerField(source="organisation.pk")
    name = serializers.CharField(source="organisation.name")
    ags = serializers.CharField(source="organisation.ags", allow_null=True)
    status = serializers.ChoiceField(
        source="response.status",
        choices=Response.Status.choices,
        allow_null=True,
        help_text="The response's status; null if the organisation has not started.",
    )
    value = serializers.JSONField(
        allow_null=True,
        help_text="The answer as stored (as for PUT …/answers/{key}/); null if unanswered. "
        "Participants get null for a file: only coordinators reach files.",
    )
    display = serializers.CharField(help_text="The answer as the web page shows it.")


class BarSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Organisations whose answer falls on this bar.")


class SummaryItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = serializers.CharField()


class ChartSerializer(serializers.Serializer):
    """The counts behind the question's bar chart (see `surveys.results.ChartData`)."""

    asked = serializers.IntegerField(help_text="Organisations compared.")
    answered = serializers.IntegerField(help_text="Of those, how many answered.")
    value_heading = serializers.CharField()
    several_per_answer = serializers.BooleanField(
        help_text="True for multiple choice: the counts can add up to more than answered."
    )
    bars = BarSerializer(many=True)
    summary = serializers.SerializerMethodField(
        help_text="For numbers: the lowest, median and highest answer."
    )

    @extend_schema_field(SummaryItemSerializer(many=True))
    def get_summary(self, chart):
        return [{"name": name, "value": value} for name, value in chart.summary]


class ComparisonSerializer(serializers.Serializer):
    """One page of organisations (`results`, by name), paged like the API's lists
    (`limit`, `offset`, `count`, `next`, `previous`); the question, the count of answers
    and the chart are of all organisations, on every page."""

    count = serializers.IntegerField(
        source="results.asked", help_text="Organisations compared, on all pages together."
    )
    next = serializers.URLField(allow_null=True, help_text="The next page; null on the last.")
    previous = serializers.URLField(
        allow_null=True, help_text="The previous page; null on the first."
    )
    question = QuestionSerializer(source="results.question")
    answered = serializers.IntegerField(
        source="results.answered", help_text="Organisations that answered, on all pages."
    )
    chart = ChartSerializer(
        source="results.chart",
        allow_null=True,
        help_text="The counts of all organisations' answers; null for kinds without a chart "
        "(text, date, matrix, …).",
    )
    results = ComparisonRowSerializer(
        many=True, source="results.rows", help_text="This page's organisations, by name."
    )
