"""Delivery rounds: the list (coordinators see every round, members those their
organisation delivers to), opening and changing a round, and a round's page with the
completeness matrix of its suppliers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from participation.selectors import is_coordinator
from participation.views.common import form_page, require_coordinator

from .. import rounds, selectors
from ..completeness import completeness
from ..forms import RoundForm


@login_required
def round_list(request):
    return render(
        request,
        "monitoring/round_list.html",
        {
            "rounds": selectors.visible_rounds(request.user),
            "may_edit": is_coordinator(request.user),
        },
    )


@login_required
def round_edit(request, pk=None):
    require_coordinator(request.user)
    round_ = selectors.get_round_for_user(request.user, pk, write=True) if pk else None
    form = RoundForm(request.POST or None, instance=round_)

    def save(instance, *, actor):
        return rounds.save_round(instance, actor=actor, suppliers=form.cleaned_data["suppliers"])

    return form_page(
        request,
        form,
        service=save,
        title=_("Edit %(round)s") % {"round": round_} if round_ else _("New delivery round"),
        saved_message=_("%(record)s saved."),
        back=round_.get_absolute_url() if round_ else None,
    )


@login_required
def round_detail(request, pk):
    round_ = selectors.get_round_for_user(request.user, pk)
    deliveries = selectors.visible_deliveries(request.user).filter(round=round_)
    return render(
        request,
        "monitoring/round_detail.html",
        {
            "round": round_,
            "matrix": completeness(round_, deliveries=deliveries),
            "may_edit": is_coordinator(request.user),
        },
    )
