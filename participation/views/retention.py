"""The coordinators' page of the retention periods: each category of personal data with its
period and from when it runs, and the log of the nightly purge (what each run removed per
category, and what failed), for the data protection officer to check."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import selectors
from ..purging import registered_purges
from ..retention import PERIODS
from .common import PAGE_SIZE, require_coordinator


class RunFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Runs"),
        required=False,
        choices=[("", _("All runs")), ("failed", _("Runs with an error"))],
    )


@login_required
@require_GET
def retention_overview(request):
    require_coordinator(request.user)
    filters = RunFilterForm(request.GET)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    runs = Paginator(selectors.retention_runs(state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/retention/overview.html",
        {
            "periods": PERIODS.values(),
            "purged": {purge.key for purge in registered_purges()},
            "filters": filters,
            "page": runs,
        },
    )
