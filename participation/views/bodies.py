from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import BodyFilterForm, BodyForm, BodyMembershipForm
from ..models import Body, BodyMembership, current_term_q
from .common import list_template, paginate, require_coordinator, save_form_with
from .memberships import _end_term


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
    template = list_template(
        request, "participation/body_list.html", "participation/_body_rows.html"
    )
    return render(request, template, {"filters": filters, "page": paginate(request, bodies)})


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
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_body, form, actor=request.user)
        if saved:
            messages.success(request, _("Body “%s” saved.") % saved)
            return redirect("participation:body_detail", pk=saved.pk)
    title = _("Edit body") if pk else _("New body")
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": body.pk and body, "title": title},
    )


@login_required
def seat_form(request, body_pk, pk=None):
    require_coordinator(request.user)
    body = selectors.get_body_for_user(request.user, body_pk, write=True)
    seat = (
        selectors.get_body_membership_for_user(request.user, pk, write=True)
        if pk
        else BodyMembership(body=body)
    )
    if seat.body_id != body.pk:
        return redirect("participation:seat_edit", body_pk=seat.body_id, pk=seat.pk)
    initial = {
        key: request.GET[key]
        for key in ("person", "role", "deputy_of", "represents")
        if key in request.GET
    }
    form = BodyMembershipForm(request.POST or None, instance=seat, body=body, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_body_membership, form, actor=request.user, body=body)
        if saved:
            messages.success(request, _("Seat saved: %s.") % saved)
            return redirect("participation:body_detail", pk=body.pk)
    title = _("Edit seat in %s") % body if pk else _("Add member to %s") % body
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": seat.pk and seat, "title": title, "back": body},
    )


@login_required
def seat_end(request, body_pk, pk):
    seat = selectors.get_body_membership_for_user(request.user, pk, write=True)
    if seat.body_id != int(body_pk):
        raise Http404
    return _end_term(
        request,
        seat,
        services.end_body_membership,
        redirect_to=("participation:body_detail", seat.body_id),
    )
