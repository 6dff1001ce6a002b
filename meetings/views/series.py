"""Meeting series: the list, one series with its occurrences, creating and editing one."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.selectors import audit_entries, is_coordinator
from participation.views.common import form_page, require_coordinator

from .. import recurrence, selectors, services
from ..forms import SeriesForm
from ..models import DecisionRegister, MeetingSeries


@login_required
def series_list(request):
    series = selectors.visible_series(request.user).order_by("body__name", "title")
    return render(request, "meetings/series_list.html", {"series_list": series})


@login_required
def series_detail(request, pk):
    series = selectors.get_series_for_user(request.user, pk)
    now = timezone.now()
    meetings = list(selectors.occurrences(series))
    next_meeting = selectors.next_meeting(series, now=now)
    context = {
        "series": series,
        "rule_in_words": recurrence.describe(series.rule),
        "upcoming": [m for m in meetings if m.end >= now],
        "past": [m for m in meetings if m.end < now][::-1],
        "next_meeting": next_meeting,
        # Decisions are numbered by the year of the meeting that takes them.
        "decision_year": timezone.localtime(next_meeting.start).year
        if next_meeting
        else timezone.localdate(now).year,
        "register": DecisionRegister.objects.filter(body=series.body).first(),
    }
    if is_coordinator(request.user):
        context["audit"] = audit_entries(series)[:30]
    return render(request, "meetings/series_detail.html", context)


@login_required
def series_form(request, pk=None):
    require_coordinator(request.user)
    series = selectors.get_series_for_user(request.user, pk, write=True) if pk else MeetingSeries()
    form = SeriesForm(request.POST or None, instance=series)
    decision_code = form.data.get("decision_code") if form.is_bound else None
    return form_page(
        request,
        form,
        service=lambda record, *, actor: services.save_series(
            record, actor=actor, decision_code=decision_code
        ),
        title=_("Edit meeting series") if pk else _("New meeting series"),
        saved_message=_("Meeting series “%(record)s” saved."),
        back=series if pk else None,
    )
