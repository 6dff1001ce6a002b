"""The surveys as people see them: the list of those visible to the user with their own
organisations' responses, and one survey's page (with the counts for coordinators)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from participation.selectors import is_coordinator, own_organisation_ids

from .. import selectors
from ..models import Response


@login_required
def survey_list(request):
    surveys = selectors.visible_surveys(request.user).order_by("-created_at")
    own_responses = Response.objects.filter(
        organisation__in=own_organisation_ids(request.user), survey__in=surveys
    ).select_related("organisation")
    by_survey = {}
    for response in own_responses:
        by_survey.setdefault(response.survey_id, []).append(response)
    rows = [(survey, by_survey.get(survey.pk, [])) for survey in surveys]
    return render(request, "surveys/survey_list.html", {"rows": rows})


@login_required
def survey_detail(request, pk):
    survey = selectors.get_survey_for_user(request.user, pk)
    organisations = survey.audience.filter(pk__in=own_organisation_ids(request.user))
    responses = {
        r.organisation_id: r for r in survey.responses.filter(organisation__in=organisations)
    }
    entries = [(organisation, responses.get(organisation.pk)) for organisation in organisations]
    context = {"survey": survey, "entries": entries}
    if is_coordinator(request.user):
        context["status_counts"] = survey.responses.aggregate(
            submitted=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
            in_progress=Count("pk", filter=Q(status=Response.Status.IN_PROGRESS)),
        )
        context["audience_count"] = survey.audience.count()
    return render(request, "surveys/survey_detail.html", context)
