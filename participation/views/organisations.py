from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import OrganisationFilterForm, OrganisationForm
from ..models import Organisation, current_term_q
from .common import form_page, render_list, require_coordinator


@login_required
def organisation_list(request):
    filters = OrganisationFilterForm(request.GET)
    organisations = selectors.visible_organisations(request.user).annotate(
        member_count=Count("memberships", filter=current_term_q("memberships__"))
    )
    if filters.is_valid():
        if q := filters.cleaned_data["q"]:
            organisations = organisations.filter(
                Q(name__icontains=q) | Q(short_name__icontains=q) | Q(ags__startswith=q)
            )
        if kind := filters.cleaned_data["kind"]:
            organisations = organisations.filter(kind=kind)
    # annotate() drops Meta.ordering from grouped queries; pages need a stable order.
    return render_list(request, organisations.order_by("name"), filters, "organisation")


@login_required
def organisation_detail(request, pk):
    organisation = selectors.get_organisation_for_user(request.user, pk)
    coordinator = selectors.is_coordinator(request.user)
    memberships = list(selectors.organisation_members(organisation))
    seats = organisation.body_seats.current().select_related("body", "person")
    if not coordinator:
        seats = seats.filter(body__in=selectors.own_body_ids(request.user))
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "seats": seats,
        "audit": selectors.audit_entries(organisation, *memberships)[:50] if coordinator else None,
    }
    return render(request, "participation/organisation_detail.html", context)


@login_required
def organisation_form(request, pk=None):
    require_coordinator(request.user)
    organisation = (
        selectors.get_organisation_for_user(request.user, pk, write=True) if pk else Organisation()
    )
    return form_page(
        request,
        OrganisationForm(request.POST or None, instance=organisation),
        service=services.save_organisation,
        title=_("Edit organisation") if pk else _("New organisation"),
        saved_message=_("Organisation “%(record)s” saved."),
    )
