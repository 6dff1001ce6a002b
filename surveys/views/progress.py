"""The coordinators' progress page: who has answered which section, reopening a submitted
response, extending one organisation's deadline, reminding everyone not yet submitted."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from participation.views.common import add_error_message, require_coordinator

from .. import progress, reminders, selectors, services
from ..models import Response, SurveyReminder


class ExtendDeadlineForm(forms.Form):
    until = forms.DateField(label=gettext_lazy("Extend the deadline until"))


def _survey(request, pk):
    require_coordinator(request.user)
    return selectors.get_survey_for_user(request.user, pk, write=True)


STATE_LABELS = {
    progress.OPEN: gettext_lazy("not submitted"),
    progress.SUBMITTED: gettext_lazy("submitted"),
    progress.OVERDUE: gettext_lazy("overdue"),
}


def _page(request, survey, *, extend_form=None, extend_for=None, status=200):
    state = request.GET.get("state", "")
    state = state if state in progress.STATES else ""
    page = request.GET.get("page", 1)
    if extend_for is not None:  # the page with the form that has the errors
        page = progress.page_of(survey, extend_for)
    matrix = progress.survey_progress(survey, state=state, page=page)
    context = {
        "survey": survey,
        "progress": matrix,
        "page": matrix.page,
        "asked": matrix.counts["asked"],
        "state": state,
        "states": STATE_LABELS,
        "state_label": STATE_LABELS.get(state, ""),
        "extend_form": extend_form,
        "extend_for": extend_for,
        "reminder_days": settings.SURVEY_REMINDER_DAYS_BEFORE,
    }
    return render(request, "surveys/progress/progress.html", context, status=status)


@login_required
def progress_page(request, pk):
    return _page(request, _survey(request, pk))


@login_required
@require_POST
def reopen(request, pk, organisation_pk):
    survey = _survey(request, pk)
    response = get_object_or_404(
        Response.objects.select_related("organisation"), survey=survey, organisation=organisation_pk
    )
    if response.status != Response.Status.SUBMITTED:
        messages.error(request, _("This response has not been submitted, so it is open already."))
    else:
        services.reopen_response(response, actor=request.user)
        messages.success(
            request,
            _("The response of %(organisation)s is open for changes again.")
            % {"organisation": response.organisation},
        )
    return redirect("surveys:progress", pk=survey.pk)


@login_required
@require_POST
def extend(request, pk, organisation_pk):
    survey = _survey(request, pk)
    organisation = get_object_or_404(survey.audience, pk=organisation_pk)
    form = ExtendDeadlineForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        try:
            # An organisation that has not started gets its response now; if the extension
            # is refused, that response is not kept either.
            with transaction.atomic():
                response = services.response_for(survey, organisation)
                services.extend_deadline(response, actor=request.user, until=until)
        except ValidationError as error:
            form.add_error("until", error.messages)
        else:
            messages.success(
                request,
                _("%(organisation)s now has until %(date)s.")
                % {
                    "organisation": organisation,
                    "date": formats.date_format(until, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("surveys:progress", pk=survey.pk)
    return _page(request, survey, extend_form=form, extend_for=organisation, status=400)


@login_required
@require_POST
def remind(request, pk):
    survey = _survey(request, pk)
    try:
        result = reminders.remind_not_submitted(
            survey, actor=request.user, kind=SurveyReminder.Kind.MANUAL
        )
    except ValidationError as error:
        add_error_message(request, error)
        return redirect("surveys:progress", pk=survey.pk)
    messages.success(
        request,
        ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", result.sent)
        % {"count": result.sent},
    )
    if result.already_reminded:
        messages.info(
            request,
            ngettext(
                "%(count)d contact person had been reminded today already and got no second mail.",
                "%(count)d contact people had been reminded today already and got no second mail.",
                result.already_reminded,
            )
            % {"count": result.already_reminded},
        )
    if result.without_contact:
        messages.warning(
            request,
            _("Not reminded, as they have no contact person with an e-mail address: %s")
            % ", ".join(str(organisation) for organisation in result.without_contact),
        )
    return redirect("surveys:progress", pk=survey.pk)
