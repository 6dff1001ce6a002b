"""The coordinators' security log: every sign-in, failure, lock-out, change of second factor,
password or role, token, export and denied access, filtered and exported."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import security_events
from .common import PAGE_SIZE, require_coordinator


@login_required
@require_GET
def security_log(request):
    require_coordinator(request.user)
    filters = security_events.SecurityEventFilter(
        request.GET, queryset=security_events.security_events()
    )
    events = filters.qs if filters.is_valid() else security_events.security_events().none()
    file_format = request.GET.get("format", "")
    if file_format in security_events.FORMATS and filters.is_valid():
        return security_events.download(
            request, events, file_format=file_format, filters=filters.form.cleaned_data
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "participation/security/log.html",
        {"filters": filters.form, "page": page, "query": query.urlencode()},
    )
