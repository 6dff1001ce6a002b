"""Who may see and change which space. Confirmed spaces are the county's shared registry and
every signed-in person reads them; a proposal is seen only by its own municipality's members
and the coordinators. Members change only their own municipality's spaces. A delivery round
is seen by the coordinators and by the members of its suppliers; a delivery only by its
supplier's members (who fill it in) and the coordinators (who review it). Anything else
answers 404."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participation.models import Organisation, OrganisationKind
from participation.selectors import get_or_404, is_coordinator, own_organisation_ids

from .models import Delivery, Indicator, IndicatorSet, Review, Round, Space, SpaceStatus


def visible_spaces(user):
    spaces = Space.objects.select_related("municipality", "parent")
    if is_coordinator(user):
        return spaces
    if not user.is_authenticated:
        return spaces.none()
    return spaces.filter(
        Q(status=SpaceStatus.CONFIRMED) | Q(municipality__in=own_organisation_ids(user))
    )


def editable_municipalities(user):
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if is_coordinator(user):
        return municipalities.order_by("name")
    if not user.is_authenticated:
        return municipalities.none()
    return municipalities.filter(pk__in=own_organisation_ids(user)).order_by("name")


def get_space_for_user(user, pk, *, write=False):
    spaces = visible_spaces(user)
    if write:
        spaces = spaces.filter(municipality__in=editable_municipalities(user))
    return get_or_404(spaces, pk)


def get_municipality_for_user(user, pk, *, write=False):
    if write:
        return get_or_404(editable_municipalities(user), pk)
    municipality = get_or_404(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY), pk)
    if not user.is_authenticated:
        raise Http404
    return municipality


def spaces_valid_on(spaces, day):
    return spaces.filter(valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def visible_indicators(user):
    """The catalogue is the county's shared definition: every signed-in person reads it."""
    if not (user and user.is_authenticated):
        return Indicator.objects.none()
    return Indicator.objects.all()


def visible_indicator_sets(user):
    if not (user and user.is_authenticated):
        return IndicatorSet.objects.none()
    return IndicatorSet.objects.prefetch_related("indicators")


def get_indicator_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_indicators(user), pk)


def get_indicator_set_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_indicator_sets(user), pk)


def visible_rounds(user):
    rounds = Round.objects.select_related("indicator_set")
    if is_coordinator(user):
        return rounds
    if not user.is_authenticated:
        return rounds.none()
    return rounds.filter(
        pk__in=Delivery.objects.filter(organisation__in=own_organisation_ids(user)).values(
            "round_id"
        )
    )


def visible_deliveries(user):
    deliveries = Delivery.objects.select_related("round", "organisation")
    if is_coordinator(user):
        return deliveries
    if not user.is_authenticated:
        return deliveries.none()
    return deliveries.filter(organisation__in=own_organisation_ids(user))


def get_round_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_rounds(user), pk)


def get_delivery_for_user(user, pk, *, write=False):
    """`write`: filling in, open only to the supplier's own members."""
    deliveries = visible_deliveries(user)
    if write:
        deliveries = deliveries.filter(organisation__in=own_organisation_ids(user))
    return get_or_404(deliveries, pk)


def get_delivery_for_review(user, pk):
    if not is_coordinator(user):
        raise Http404
    return get_or_404(visible_deliveries(user), pk)


class DeliveryState:
    """Filters of a round's deliveries (`?state=` on the round's page, the home page's
    counts): not submitted yet (a sent-back one too), submitted and waiting for the
    county's review, approved."""

    MISSING = "missing"
    REVIEW = "review"
    APPROVED = "approved"

    LOOKUPS = {
        MISSING: {"status": Delivery.Status.IN_PROGRESS},
        REVIEW: {
            "status": Delivery.Status.SUBMITTED,
            "review__in": [Review.PENDING, Review.RETURNED],
        },
        APPROVED: {"review": Review.APPROVED},
    }
    LABELS = {
        MISSING: _("not submitted yet"),
        REVIEW: _("waiting for approval"),
        APPROVED: _("approved"),
    }


def in_state(state, *, through=""):
    """The condition of the filter `state` on deliveries, or on those reached `through` a
    relation ("deliveries" from a round, for counting in the database)."""
    prefix = f"{through}__" if through else ""
    return Q(**{prefix + name: value for name, value in DeliveryState.LOOKUPS[state].items()})


def deliveries_in_state(deliveries, state):
    """The deliveries a `?state=` filter shows; all of them for an unknown or empty one."""
    if state not in DeliveryState.LOOKUPS:
        return deliveries
    return deliveries.filter(in_state(state))


def get_indicator_for_export(user, pk):
    """The files of approved values are the county's to publish: coordinators only."""
    if not is_coordinator(user):
        raise Http404
    return get_or_404(visible_indicators(user), pk)


def get_round_for_export(user, pk):
    """The files of approved values are the county's to publish: coordinators only."""
    if not is_coordinator(user):
        raise Http404
    return get_or_404(visible_rounds(user), pk)
