"""What the delivery rounds' API reads and writes. Figures travel as plain decimal strings
("1234.5"); what a caller sends may also be typed the German way ("1.234,5") or be a JSON
number."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from participation.models import Organisation

from ..models import SUPPLIER_KINDS, Delivery, Indicator, Round


class RoundDeliverySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "organisation", "organisation_name", "status", "review"]


class DeliveryRoundSerializer(serializers.ModelSerializer):
    suppliers = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        write_only=True,
        queryset=Organisation.objects.filter(kind__in=[kind for kind, _label in SUPPLIER_KINDS]),
        help_text="Organisation ids; each gets a delivery with the set's indicators of its "
        "kind. Suppliers can be added; a supplier's delivery is never removed.",
    )
    deliveries = RoundDeliverySerializer(
        many=True,
        read_only=True,
        source="shown_deliveries",
        help_text="The deliveries the caller may see: all for coordinators, their own "
        "organisations' for members.",
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "indicator_set",
            "reference_date",
            "opens_on",
            "closes_on",
            "change_threshold",
            "remind_days_before",
            "suppliers",
            "deliveries",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


class ProgressSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    entered = serializers.IntegerField()
    asked = serializers.IntegerField()


class SupplierProgressSerializer(serializers.Serializer):
    delivery = serializers.IntegerField()
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Delivery.Status.choices)
    review = serializers.CharField()
    entered = serializers.IntegerField()
    asked = serializers.IntegerField()
    complete = serializers.BooleanField()
    indicators = ProgressSerializer(
        many=True, help_text="Only the indicators asked of this supplier."
    )


class MatrixIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit", "spatial_level", "supplier_kind"]


class CompletenessSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    indicators = MatrixIndicatorSerializer(many=True)
    suppliers = SupplierProgressSerializer(many=True)


class DeliverySerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(source="round.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    deadline = serializers.DateField(
        source="effective_deadline",
        read_only=True,
        help_text="The round's closing day, or this supplier's extension.",
    )
    locked_reason = serializers.SerializerMethodField(
        help_text="Why the figures cannot change now (approved, submitted, window not open "
        "or closed); empty while they can."
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "round",
            "round_name",
            "organisation",
            "organisation_name",
            "status",
            "deadline",
            "deadline_extended_to",
            "submitted_at",
            "review",
            "review_comment",
            "reviewed_at",
            "locked_reason",
        ]

    def get_locked_reason(self, delivery) -> str:
        try:
            delivery.check_editable()
        except ValidationError as error:
            return " ".join(error.messages)
        return ""


class GridIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "value_type",
            "spatial_level",
            "minimum",
            "maximum",
            "suppress_below",
        ]


class GridRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="“s<space id>” or “m<municipality id>” (its total).")
    municipality = serializers.IntegerField()
    municipality_name = serializers.CharField()
    space = serializers.IntegerField(allow_null=True, help_text="Empty: the municipality's total.")
    space_key = serializers.CharField(allow_null=True)
    level = serializers.CharField()
    label = serializers.CharField()


@extend_schema_field({"type": "string", "nullable": True, "example": "1234.5"})
class FigureField(serializers.CharField):
    """A stored figure as a plain decimal string, or null."""


class GridCellSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="“<indicator id>-<row key>”.")
    row = serializers.CharField()
    indicator = serializers.IntegerField()
    required = serializers.BooleanField(
        help_text="False: asked optionally (a municipality's total of a count delivered "
        "per space, checked against the sum of its spaces)."
    )
    number = FigureField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(help_text="Send it back with a change (0: never saved).")
    suppressed = serializers.BooleanField(
        help_text="A count below the indicator's threshold: never published."
    )
    previous = FigureField(
        allow_null=True, help_text="The last round's approved figure carried to this cell."
    )
    needs_comment = serializers.BooleanField(
        help_text="The figure differs from the last round's by more than the round's share: "
        "the submission needs a comment."
    )


class GridSerializer(serializers.Serializer):
    delivery = serializers.IntegerField()
    editable = serializers.BooleanField(help_text="Whether the caller may change cells now.")
    read_only_reason = serializers.CharField(allow_blank=True)
    entered = serializers.IntegerField(help_text="Required cells with a figure.")
    asked = serializers.IntegerField(help_text="Required cells.")
    indicators = GridIndicatorSerializer(many=True)
    rows = GridRowSerializer(many=True)
    cells = GridCellSerializer(many=True)


class CellWriteSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=100, help_text="The cell's key from the grid.")
    number = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        max_length=100,
        help_text="The figure: “1234.5”, “1.234,5” or a JSON number; empty clears it.",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False
    )
    revision = serializers.IntegerField(
        min_value=0, default=0, help_text="The revision your edit started from."
    )


class CellErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The cell's position in the list sent.")
    key = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class CellsRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = CellErrorSerializer(many=True)


class CellConflictSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = FigureField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField()


class CellsConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = CellConflictSerializer(many=True, help_text="The current value of each cell.")


class DeliveryProblemSerializer(serializers.Serializer):
    key = serializers.CharField()
    message = serializers.CharField()
    kind = serializers.ChoiceField(choices=["missing", "comment", "sum"])


class SubmitRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = DeliveryProblemSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, help_text="What the supplier should correct.")


class DeliveryExtendSerializer(serializers.Serializer):
    until = serializers.DateField(help_text="The last day this supplier can deliver.")
