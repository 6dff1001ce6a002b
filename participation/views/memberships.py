"""Membership of people in organisations: add, edit, end (the record stays as history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import EndTermForm, MembershipForm
from ..models import Membership
from .common import add_errors, form_page, require_coordinator


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
    return form_page(
        request,
        MembershipForm(request.POST or None, instance=membership, initial=initial),
        service=services.save_membership,
        title=_("Edit membership") if pk else _("Add membership"),
        saved_message=_("Membership saved: %(record)s."),
    )


@login_required
def membership_end(request, pk):
    membership = selectors.get_membership_for_user(request.user, pk, write=True)
    return end_term_page(request, membership, service=services.end_membership)


def end_term_page(request, record, *, service):
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
            return redirect(record)
    context = {
        "form": form,
        "back": record,
        "title": _("End %s") % record,
        "submit_label": _("End"),
    }
    return render(request, "participation/form_page.html", context)
