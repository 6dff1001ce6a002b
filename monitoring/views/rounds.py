"""Delivery rounds: the list (coordinators see every round, members those their
organisation delivers to), opening and changing a round, and a round's page with the
completeness matrix of its suppliers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.selectors import is_coordinator
from participation.views.common import add_error_message, form_page, require_coordinator

from .. import reminders, rounds, selectors
from ..completeness import completeness
from ..forms import RoundForm
from ..models import DeliveryReminder


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
    state = request.GET.get("state", "")
    if state not in selectors.DeliveryState.LOOKUPS:
        state = ""
    deliveries = selectors.deliveries_in_state(
        selectors.visible_deliveries(request.user).filter(round=round_), state
    )
    return render(
        request,
        "monitoring/round_detail.html",
        {
            "round": round_,
            "matrix": completeness(round_, deliveries=deliveries),
            "may_edit": is_coordinator(request.user),
            "state": state,
            "states": selectors.DeliveryState.LABELS,
        },
    )


@login_required
@require_POST
def round_remind(request, pk):
    """A coordinator reminds every supplier that has not submitted; each contact person
    gets one mail a day at most, whoever asks."""
    round_ = selectors.get_round_for_user(request.user, pk, write=True)
    try:
        result = reminders.remind_not_submitted(
            round_, actor=request.user, kind=DeliveryReminder.Kind.MANUAL
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(round_)
    messages.success(
        request,
        _("%(sent)s reminders sent; %(already)s contact people were reminded today already.")
        % {"sent": result.sent, "already": result.already_reminded},
    )
    if result.without_contact:
        messages.warning(
            request,
            _("No contact person with an e-mail address at: %s")
            % ", ".join(o.name for o in result.without_contact),
        )
    return redirect(round_)
