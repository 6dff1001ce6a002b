"""Shapes of the registry records in the API. Serializers only validate and represent; the
viewsets hand validated data to the services, which run the model rules and save."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import selectors
from ..models import Body, BodyMembership, Membership, Organisation, OutboundMail, Person

# Foreign keys accept only ids of records the caller can see.
VISIBLE = {
    Organisation: selectors.visible_organisations,
    Person: selectors.visible_people,
    Body: selectors.visible_bodies,
    BodyMembership: selectors.visible_body_memberships,
}


def request_user(serializer):
    request = serializer.context.get("request")
    return request.user if request else AnonymousUser()


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key by id, looked up among the records the caller can see, so the id of an
    invisible record fails exactly like one that does not exist."""

    def get_queryset(self):
        return VISIBLE[self.queryset.model](request_user(self))


class RegistrySerializer(serializers.ModelSerializer):
    serializer_related_field = VisiblePrimaryKeyRelatedField


class OrganisationSerializer(RegistrySerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "ags",
            "email",
            "website",
            "address",
            "notes",
            "is_active",
            "created_at",
            "updated_at",
        ]


class CurrentMembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "function", "is_contact"]
        read_only_fields = fields


class PersonSerializer(RegistrySerializer):
    full_name = serializers.CharField(read_only=True)
    has_account = serializers.SerializerMethodField()
    organisations = CurrentMembershipSerializer(
        source="current_memberships",
        many=True,
        read_only=True,
        help_text=_("Current memberships in organisations."),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "title",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "language",
            "notes",
            "has_account",
            "user",
            "organisations",
            "created_at",
            "updated_at",
        ]
        # Accounts are granted through the invitation service, never by setting an id.
        read_only_fields = ["user"]
        extra_kwargs = {
            "user": {"help_text": _("The sign-in account; shown to coordinators only.")},
            "notes": {"help_text": _("Internal notes; shown to coordinators only.")},
        }

    def get_has_account(self, person) -> bool:
        return person.user_id is not None

    def to_representation(self, person):
        data = super().to_representation(person)
        if not selectors.is_coordinator(request_user(self)):
            data["user"] = None
            data.pop("notes", None)
        return data


class MembershipSerializer(RegistrySerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "function",
            "is_contact",
            "valid_from",
            "valid_until",
            "is_current",
        ]


class BodySerializer(RegistrySerializer):
    class Meta:
        model = Body
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "description",
            "is_active",
            "created_at",
            "updated_at",
        ]


class BodyMembershipSerializer(RegistrySerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = BodyMembership
        fields = [
            "id",
            "body",
            "body_name",
            "person",
            "person_name",
            "role",
            "represents",
            "deputy_of",
            "valid_from",
            "valid_until",
            "is_current",
        ]


class EndTermSerializer(serializers.Serializer):
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The last day of the term (inclusive); today if left out."),
    )


class NamedRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MyOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organisation_id")
    name = serializers.CharField(source="organisation.name")
    function = serializers.CharField()


class MySeatSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="body_id")
    name = serializers.CharField(source="body.name")
    role = serializers.ChoiceField(choices=BodyMembership._meta.get_field("role").choices)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    is_coordinator = serializers.BooleanField()
    person = NamedRecordSerializer(allow_null=True)
    organisations = MyOrganisationSerializer(many=True, help_text=_("Current memberships."))
    bodies = MySeatSerializer(many=True, help_text=_("Current seats in bodies."))


class OutboundMailSerializer(serializers.ModelSerializer):
    """An outbox row as coordinators see it: never the content (it may hold sign-in codes
    or personal links)."""

    class Meta:
        model = OutboundMail
        fields = [
            "id",
            "to",
            "subject",
            "language",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class FileToCheckSerializer(serializers.Serializer):
    """An upload kept unchanged by an erasure that may name the person."""

    kind = serializers.CharField(help_text="What record the file belongs to.")
    title = serializers.CharField()
    file_name = serializers.CharField()
    url = serializers.CharField(help_text="The page of the record it belongs to, or empty.")
    reason = serializers.CharField(help_text="Why it may name the person.")


class ErasedSerializer(serializers.Serializer):
    """The answer to an erasure: whom, and when (the first time), and the uploads kept
    unchanged that a coordinator checks by hand (PDFs, images, files too large to search)."""

    person = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    files_to_check = FileToCheckSerializer(many=True)
