from rest_framework import serializers

from participation.models import Organisation, OrganisationKind

from ..models import Space, SpaceSuccession


class SpaceSerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    )
    municipality_ags = serializers.CharField(source="municipality.ags", read_only=True)
    geometry = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="A GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude).",
    )

    class Meta:
        model = Space
        fields = [
            "id",
            "municipality",
            "municipality_ags",
            "level",
            "parent",
            "key",
            "name",
            "valid_from",
            "valid_until",
            "status",
            "confirmed_at",
            "street_list_key",
            "geometry",
        ]
        read_only_fields = ["id", "status", "confirmed_at"]
        # The save service checks versions of one key against each other.
        validators = []


class NewVersionSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    geometry = serializers.JSONField(required=False, allow_null=True)


class SuccessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpaceSuccession
        fields = ["id", "earlier", "later", "share"]
        read_only_fields = ["id"]
