"""The social monitoring's lines on the home page (see `participation.home` for the contract).

Coordinators: the delivery rounds closing within two weeks with deliveries missing, and the
rounds with deliveries waiting for approval, each number linking to the round's page
filtered to exactly those deliveries (`?state=missing|review`); the spaces the
municipalities proposed that wait for the county's confirmation, the number linking to the
list showing exactly those. Members: their organisations' deliveries due (window open, not
submitted; a sent-back one marked) with the deadline (an extension counted), linking to the
delivery; their municipality's proposals still waiting, so they know the county has not
confirmed them yet."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeItem, HomeSection, Severity
from participation.selectors import own_organisation_ids

from .models import Delivery, Review, Round, Space, SpaceStatus
from .selectors import DeliveryState, in_state, visible_deliveries

ORDER = 60
DELIVERIES_ORDER = 17
# Rounds closing this soon with deliveries missing are shown to the coordinators.
CLOSING_SOON = datetime.timedelta(days=14)
# A delivery due this soon is marked as urgent.
SOON = datetime.timedelta(days=7)


def _proposals_url(municipality=None):
    query = "?status=proposed&on=all"
    if municipality is not None:
        query += f"&municipality={municipality}"
    return reverse("monitoring:spaces") + query


def for_coordinator(user, *, today):
    return [*_rounds(today=today), *_proposed_spaces()]


def _rounds(*, today):
    rounds = (
        Round.objects.annotate(
            suppliers=Count("deliveries"),
            missing=Count(
                "deliveries", filter=in_state(DeliveryState.MISSING, through="deliveries")
            ),
            waiting=Count(
                "deliveries", filter=in_state(DeliveryState.REVIEW, through="deliveries")
            ),
        )
        .filter(
            Q(
                opens_on__lte=today,
                closes_on__gte=today,
                closes_on__lte=today + CLOSING_SOON,
                missing__gt=0,
            )
            | Q(waiting__gt=0)
        )
        .order_by("closes_on", "name", "pk")
    )
    items = []
    for round_ in rounds:
        page = round_.get_absolute_url()
        closing = round_.opens_on <= today <= round_.closes_on
        items.append(
            HomeItem(
                title=round_.name,
                url=page,
                detail=_("%(submitted)s of %(suppliers)s suppliers have submitted.")
                % {
                    "submitted": round_.suppliers - round_.missing,
                    "suppliers": round_.suppliers,
                },
                deadline=round_.closes_on,
                state="open" if closing else "review",
                severity=Severity.WARNING if closing and round_.missing else Severity.INFO,
                counts=[
                    HomeCount(
                        _("deliveries missing"),
                        round_.missing,
                        f"{page}?state={DeliveryState.MISSING}",
                        Severity.WARNING if round_.missing else Severity.SUCCESS,
                    ),
                    HomeCount(
                        _("deliveries waiting for approval"),
                        round_.waiting,
                        f"{page}?state={DeliveryState.REVIEW}",
                        Severity.INFO,
                    ),
                ],
            )
        )
    if not items:
        return []
    return [
        HomeSection(
            key="delivery-rounds",
            heading=_("Delivery rounds"),
            order=DELIVERIES_ORDER,
            items=items,
        )
    ]


def _proposed_spaces():
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
    return [*_deliveries_due(user, today=today), *_own_proposals(user)]


def _deliveries_due(user, *, today):
    deliveries = (
        visible_deliveries(user)
        .filter(
            organisation__in=own_organisation_ids(user),
            status=Delivery.Status.IN_PROGRESS,
            round__opens_on__lte=today,
        )
        .annotate(deadline=Coalesce("deadline_extended_to", "round__closes_on"))
        .filter(deadline__gte=today)
        .order_by("deadline", "round__name", "organisation__name", "pk")
    )
    items = []
    for delivery in deliveries:
        returned = delivery.review == Review.RETURNED
        if returned:
            state, label = "returned", _("sent back for corrections")
        elif delivery.last_activity_at is None:
            state, label = "not_started", _("not started")
        else:
            state, label = "in_progress", _("in progress")
        detail = _("Delivery of %(organisation)s: %(state)s") % {
            "organisation": delivery.organisation,
            "state": label,
        }
        if returned and delivery.review_comment:
            detail += " – " + _("the county's comment: %(comment)s") % {
                "comment": delivery.review_comment
            }
        items.append(
            HomeItem(
                title=delivery.round.name,
                url=delivery.get_absolute_url(),
                detail=detail,
                deadline=delivery.deadline,
                state=state,
                severity=Severity.WARNING
                if returned or delivery.deadline - today <= SOON
                else Severity.INFO,
            )
        )
    if not items:
        return []
    return [
        HomeSection(
            key="deliveries",
            heading=_("Deliveries due"),
            order=DELIVERIES_ORDER,
            items=items,
        )
    ]


def _own_proposals(user):
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
