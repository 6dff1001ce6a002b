"""Query filters of the API lists. They narrow the caller's visible queryset; ids are taken as
plain numbers (not checked against the whole table), so an unknown or invisible id simply
matches nothing and tells nothing about other records; a number no id can have is a 400."""

import django_filters
from django import forms

from ..models import Body, BodyMembership, Membership, Organisation, Person
from ..selectors import only_current_members

# The largest id a database column holds (a signed 64-bit integer). A larger number is
# refused with 400 before it reaches a query: SQLite cannot even bind it.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class CurrentFilterSet(django_filters.FilterSet):
    current = django_filters.BooleanFilter(
        method="filter_current",
        label="current",
        help_text="true: only terms running today; false: only ended or future ones.",
    )

    def filter_current(self, queryset, name, value: bool):
        current = queryset.model.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "is_active"]


class PersonFilter(django_filters.FilterSet):
    organisation = IdFilter(
        method="filter_organisation", help_text="Only people currently in this organisation."
    )

    class Meta:
        model = Person
        fields = ["organisation"]

    def filter_organisation(self, queryset, name, value: int):
        return only_current_members(queryset, value)


class BodyFilter(django_filters.FilterSet):
    class Meta:
        model = Body
        fields = ["kind", "is_active"]


class MembershipFilter(CurrentFilterSet):
    person = IdFilter(field_name="person", help_text="Memberships of this person.")
    organisation = IdFilter(
        field_name="organisation", help_text="Memberships in this organisation."
    )

    class Meta:
        model = Membership
        fields = ["person", "organisation", "current"]


class BodyMembershipFilter(CurrentFilterSet):
    body = IdFilter(field_name="body", help_text="Seats in this body.")
    person = IdFilter(field_name="person", help_text="Seats of this person.")

    class Meta:
        model = BodyMembership
        fields = ["body", "person", "role", "current"]
