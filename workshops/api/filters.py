"""Query filters of the workshop lists; they narrow what the caller may see anyway.

`InvitationFilter` runs inside the workshop's `invitations` action (a list of another model
than the viewset's), so the action applies it itself and documents its parameters."""

import django_filters
from django.db.models import Q

from participation.models import Invitation

from .. import selectors
from ..forms import InvitationFilterForm
from ..models import Workshop

# The web list's choices without "all": a reply, "none" yet, on the waitlist, or failed.
REPLY_FILTERS = [
    (value, label) for value, label in InvitationFilterForm.base_fields["reply"].choices if value
]


class WorkshopFilter(django_filters.FilterSet):
    class Meta:
        model = Workshop
        fields = ["status", "kind"]


class InvitationFilter(django_filters.FilterSet):
    reply = django_filters.ChoiceFilter(
        choices=REPLY_FILTERS,
        method="filter_reply",
        help_text="accepted, tentative, declined, none (no reply yet), waitlisted, or failed "
        "(the invitation mail could not be delivered).",
    )
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the name, address or organisation."
    )

    class Meta:
        model = Invitation
        fields = ["reply", "search"]

    def filter_reply(self, queryset, name, value):
        return selectors.filter_by_reply(queryset, value)

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(organisation__name__icontains=value)
        )
