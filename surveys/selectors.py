"""Who may see which survey and response. One municipality never sees another's response:
members reach only their own organisations' responses; coordinators reach all."""

from django.http import Http404

from participation.selectors import get_or_404, is_coordinator, own_organisation_ids

from .models import Response, Survey

OPEN_STATUSES = [Survey.Status.PUBLISHED, Survey.Status.CLOSED]


def visible_surveys(user):
    if is_coordinator(user):
        return Survey.objects.all()
    if not user.is_authenticated:
        return Survey.objects.none()
    return Survey.objects.filter(
        status__in=OPEN_STATUSES, audience__in=own_organisation_ids(user)
    ).distinct()


def visible_responses(user):
    qs = Response.objects.select_related("survey", "organisation", "version")
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organisation__in=own_organisation_ids(user))


def get_survey_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_surveys(user), pk)


def get_response_for_user(user, pk, *, write=False):
    """A response the user may read; with write=True one they may answer (their own
    organisation's; coordinators read every response but answer none on others' behalf)."""
    queryset = visible_responses(user)
    if write:
        queryset = queryset.filter(organisation__in=own_organisation_ids(user))
    return get_or_404(queryset, pk)
