"""Closing a survey and publishing its results: coordinators' buttons on the survey page,
each calling one service and going back to the page with what happened."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.views.common import act

from .. import selectors, services


def _act(request, pk, service, done):
    return act(request, selectors.get_survey_for_user(request.user, pk, write=True), service, done)


@login_required
@require_POST
def close(request, pk):
    return _act(
        request,
        pk,
        services.close_survey,
        _("The survey is closed. Responses can no longer be changed."),
    )


@login_required
@require_POST
def reopen(request, pk):
    return _act(
        request,
        pk,
        services.reopen_survey,
        _("The survey is open for answers again. Its results are not published."),
    )


@login_required
@require_POST
def publish_results(request, pk):
    return _act(
        request,
        pk,
        services.publish_results,
        _(
            "The results are published to the organisations that submitted their response. "
            "Their contact people are told by e-mail."
        ),
    )


@login_required
@require_POST
def withdraw_results(request, pk):
    return _act(
        request,
        pk,
        services.withdraw_results,
        _("The results are no longer published."),
    )
