"""The indicator catalogue and its sets: every signed-in person reads them (what a delivery
asks for must be plain to those who deliver); the county's coordinators keep them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from participation.selectors import is_coordinator
from participation.views.common import require_coordinator

from .. import indicators, selectors
from ..forms import IndicatorForm, IndicatorSetForm


@login_required
def indicator_list(request):
    return render(
        request,
        "monitoring/indicator_list.html",
        {
            "indicators": selectors.visible_indicators(request.user),
            "sets": selectors.visible_indicator_sets(request.user),
            "may_edit": is_coordinator(request.user),
        },
    )


@login_required
def indicator_detail(request, pk):
    indicator = selectors.get_indicator_for_user(request.user, pk)
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "indicator": indicator,
            "sets": indicator.sets.all(),
            "may_edit": is_coordinator(request.user),
        },
    )


@login_required
def indicator_edit(request, pk=None):
    require_coordinator(request.user)
    indicator = selectors.get_indicator_for_user(request.user, pk, write=True) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = indicators.save_indicator(form.save(commit=False), actor=request.user)
        messages.success(request, _("%(indicator)s saved.") % {"indicator": saved})
        return redirect(saved)
    return render(
        request,
        "monitoring/form_page.html",
        {
            "form": form,
            "title": _("Edit %(indicator)s") % {"indicator": indicator}
            if indicator
            else _("New indicator"),
            "back": indicator.get_absolute_url() if indicator else None,
        },
    )


@login_required
def indicator_set_detail(request, pk):
    indicator_set = selectors.get_indicator_set_for_user(request.user, pk)
    return render(
        request,
        "monitoring/indicator_set_detail.html",
        {"indicator_set": indicator_set, "may_edit": is_coordinator(request.user)},
    )


@login_required
def indicator_set_edit(request, pk=None):
    require_coordinator(request.user)
    indicator_set = (
        selectors.get_indicator_set_for_user(request.user, pk, write=True) if pk else None
    )
    form = IndicatorSetForm(request.POST or None, instance=indicator_set)
    if request.method == "POST" and form.is_valid():
        saved = indicators.save_indicator_set(
            form.save(commit=False),
            indicators=form.cleaned_data["indicators"],
            actor=request.user,
        )
        messages.success(request, _("%(set)s saved.") % {"set": saved})
        return redirect(saved)
    return render(
        request,
        "monitoring/form_page.html",
        {
            "form": form,
            "title": _("Edit %(set)s") % {"set": indicator_set}
            if indicator_set
            else _("New indicator set"),
            "back": indicator_set.get_absolute_url() if indicator_set else None,
        },
    )
