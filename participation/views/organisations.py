from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import OrganisationFilterForm, OrganisationForm
from ..models import Organisation, current_term_q
from .common import list_template, paginate, require_coordinator, save_form_with


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
    template = list_template(
        request, "participation/organisation_list.html", "participation/_organisation_rows.html"
    )
    return render(request, template, {"filters": filters, "page": paginate(request, organisations)})


@login_required
def organisation_detail(request, pk):
    organisation = selectors.get_organisation_for_user(request.user, pk)
    memberships = selectors.organisation_members(organisation)
    seats = organisation.body_seats.current().select_related("body", "person")
    if not selectors.is_coordinator(request.user):
        seats = seats.filter(body__in=selectors.own_body_ids(request.user))
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "seats": seats,
        "audit": selectors.audit_entries(organisation, *memberships)[:50]
        if selectors.is_coordinator(request.user)
        else None,
    }
    return render(request, "participation/organisation_detail.html", context)


@login_required
def organisation_form(request, pk=None):
    require_coordinator(request.user)
    organisation = (
        selectors.get_organisation_for_user(request.user, pk, write=True) if pk else Organisation()
    )
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_organisation, form, actor=request.user)
        if saved:
            messages.success(request, _("Organisation “%s” saved.") % saved)
            return redirect("participation:organisation_detail", pk=saved.pk)
    return render(
        request,
        "participation/form_page.html",
        {
            "form": form,
            "object": organisation.pk and organisation,
            "title": _("Edit organisation") if pk else _("New organisation"),
        },
    )
