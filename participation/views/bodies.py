from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import BodyFilterForm, BodyForm, BodyMembershipForm
from ..models import Body, BodyMembership, current_term_q
from .common import form_page, render_list, require_coordinator
from .memberships import end_term_page

SEAT_PREFILL = ("person", "role", "deputy_of", "represents")


@login_required
def body_list(request):
    filters = BodyFilterForm(request.GET)
    bodies = selectors.visible_bodies(request.user).annotate(
        seat_count=Count("memberships", filter=current_term_q("memberships__"))
    )
    if filters.is_valid():
        if q := filters.cleaned_data["q"]:
            bodies = bodies.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
        if kind := filters.cleaned_data["kind"]:
            bodies = bodies.filter(kind=kind)
    # annotate() drops Meta.ordering from grouped queries; pages need a stable order.
    return render_list(request, bodies.order_by("name"), filters, "body")


@login_required
def body_detail(request, pk):
    body = selectors.get_body_for_user(request.user, pk)
    seats = list(selectors.body_seats(body))
    coordinator = selectors.is_coordinator(request.user)
    context = {
        "body": body,
        "current_seats": [seat for seat in seats if seat.is_current],
        "past_seats": [seat for seat in seats if not seat.is_current],
        "visible_people": set(
            selectors.visible_people(request.user)
            .filter(pk__in=[seat.person_id for seat in seats])
            .values_list("pk", flat=True)
        ),
        "audit": selectors.audit_entries(body, *seats)[:50] if coordinator else None,
    }
    return render(request, "participation/body_detail.html", context)


@login_required
def body_form(request, pk=None):
    require_coordinator(request.user)
    body = selectors.get_body_for_user(request.user, pk, write=True) if pk else Body()
    return form_page(
        request,
        BodyForm(request.POST or None, instance=body),
        service=services.save_body,
        title=_("Edit body") if pk else _("New body"),
        saved_message=_("Body “%(record)s” saved."),
    )


def _seat_in_body(user, body, pk):
    seat = selectors.get_body_membership_for_user(user, pk, write=True)
    if seat.body_id != body.pk:
        raise Http404
    return seat


@login_required
def seat_form(request, body_pk, pk=None):
    require_coordinator(request.user)
    body = selectors.get_body_for_user(request.user, body_pk, write=True)
    seat = _seat_in_body(request.user, body, pk) if pk else BodyMembership(body=body)
    initial = {key: request.GET[key] for key in SEAT_PREFILL if key in request.GET}
    return form_page(
        request,
        BodyMembershipForm(request.POST or None, instance=seat, body=body, initial=initial),
        service=services.save_body_membership,
        fields={"body": body},
        title=(_("Edit seat in %s") if pk else _("Add member to %s")) % body,
        saved_message=_("Seat saved: %(record)s."),
        back=body,
    )


@login_required
def seat_end(request, body_pk, pk):
    body = selectors.get_body_for_user(request.user, body_pk, write=True)
    seat = _seat_in_body(request.user, body, pk)
    return end_term_page(request, seat, service=services.end_body_membership)
