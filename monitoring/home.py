"""The social monitoring's lines on the home page (see `participation.home` for the contract).

Coordinators: the spaces the municipalities proposed that wait for the county's confirmation,
the number linking to the list showing exactly those. Members: their municipality's
proposals still waiting, so they know the county has not confirmed them yet."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeSection, Severity
from participation.selectors import own_organisation_ids

from .models import Space, SpaceStatus

ORDER = 60


def _proposals_url(municipality=None):
    query = "?status=proposed&on=all"
    if municipality is not None:
        query += f"&municipality={municipality}"
    return reverse("monitoring:spaces") + query


def for_coordinator(user, *, today):
    waiting = Space.objects.filter(status=SpaceStatus.PROPOSED).count()
    if not waiting:
        return []
    return [
        HomeSection(
            key="spaces",
            heading=_("Social spaces"),
            order=ORDER,
            counts=[
                HomeCount(
                    label=_("proposed by municipalities, waiting for confirmation"),
                    number=waiting,
                    url=_proposals_url(),
                    severity=Severity.WARNING,
                )
            ],
        )
    ]


def for_member(user, *, today):
    waiting = (
        Space.objects.filter(
            status=SpaceStatus.PROPOSED, municipality__in=own_organisation_ids(user)
        )
        .values("municipality_id")
        .annotate(number=Count("pk"))
        .order_by("municipality_id")
    )
    counts = [
        HomeCount(
            label=_("proposals of your municipality not yet confirmed by the county"),
            number=row["number"],
            url=_proposals_url(row["municipality_id"]),
        )
        for row in waiting
    ]
    if not counts:
        return []
    return [HomeSection(key="spaces", heading=_("Social spaces"), order=ORDER, counts=counts)]
