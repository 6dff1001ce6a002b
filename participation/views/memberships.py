"""Membership of people in organisations: add, edit, end (the record stays as history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import EndTermForm, MembershipForm
from ..models import Membership
from .common import add_errors, require_coordinator, save_form_with


@login_required
def membership_form(request, pk=None):
    require_coordinator(request.user)
    if pk:
        membership = selectors.get_membership_for_user(request.user, pk, write=True)
        initial = {}
    else:
        membership = Membership()
        initial = {
            key: request.GET[key] for key in ("person", "organisation") if key in request.GET
        }
    form = MembershipForm(request.POST or None, instance=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_membership, form, actor=request.user)
        if saved:
            messages.success(request, _("Membership saved: %s.") % saved)
            return redirect("participation:person_detail", pk=saved.person_id)
    title = _("Edit membership") if pk else _("Add membership")
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": membership.pk and membership, "title": title},
    )


@login_required
def membership_end(request, pk):
    membership = selectors.get_membership_for_user(request.user, pk, write=True)
    return _end_term(
        request,
        membership,
        services.end_membership,
        redirect_to=("participation:person_detail", membership.person_id),
    )


def _end_term(request, record, service, *, redirect_to):
    """Shared by memberships and body seats: ask for the last day, then end the term."""
    require_coordinator(request.user)
    form = EndTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(record, actor=request.user, on=form.cleaned_data["valid_until"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Ended: %s.") % record)
            return redirect(*redirect_to)
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": record, "title": _("End %s") % record, "submit_label": _("End")},
    )
