"""A body's decision register and recording a decision at a meeting."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from participation.selectors import is_coordinator
from participation.views.common import form_page, require_coordinator

from .. import decision_exports, selectors, services
from ..forms import DecisionForm
from ..models import Decision, DecisionRegister


@login_required
def decision_register(request, body_pk):
    body = selectors.get_body_for_user(request.user, body_pk)
    decisions = selectors.visible_decisions(request.user).filter(body=body)
    query = request.GET.get("q", "").strip()
    if query:
        decisions = decisions.filter(
            Q(reference__icontains=query) | Q(title__icontains=query) | Q(text__icontains=query)
        )
    context = {
        "body": body,
        "decisions": decisions.order_by("-year", "-number"),
        "query": query,
        "register": DecisionRegister.objects.filter(body=body).first(),
        "is_coordinator": is_coordinator(request.user),
    }
    return render(request, "meetings/decision_register.html", context)


@login_required
def decision_create(request, pk):
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    decision = Decision(meeting=meeting, body=meeting.series.body, decided_on=meeting.start.date())
    return form_page(
        request,
        DecisionForm(request.POST or None, instance=decision),
        service=services.record_decision,
        title=_("Record a decision"),
        saved_message=_("Decision %(record)s recorded."),
        back=meeting,
    )


@login_required
def decision_search(request):
    """Every decision the user may see, across bodies: body filter, text search, and the
    result as CSV or XLSX."""
    bodies = selectors.visible_bodies(request.user).order_by("name")
    body = None
    body_id = request.GET.get("body", "")
    if body_id:
        if not body_id.isdigit():
            raise Http404
        body = selectors.get_body_for_user(request.user, int(body_id))
    query = request.GET.get("q", "").strip()
    decisions = decision_exports.search(request.user, body=body, query=query)
    file_format = request.GET.get("format", "")
    if file_format in decision_exports.FORMATS:
        return decision_exports.download(decisions, file_format)
    context = {
        "bodies": bodies,
        "body": body,
        "decisions": decisions,
        "query": query,
    }
    params = request.GET.copy()
    for file_format in decision_exports.FORMATS:
        params["format"] = file_format
        context[f"{file_format}_query"] = params.urlencode()
    return render(request, "meetings/decision_search.html", context)
