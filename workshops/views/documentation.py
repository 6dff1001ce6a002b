"""After the workshop: its documentation page (results, minutes, what the activities of the
live session produced, the documents marked for it). Coordinators write it and decide when
the invitees may read it; invitees reach it signed in or through the session of their
personal link; everybody else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation.charts import bar_chart
from participation.selectors import is_coordinator
from participation.views.common import add_error_message, add_errors

from .. import selectors, services
from ..access import coordinator_workshop
from ..forms import DocumentationForm
from ..live.report import workshop_reports


@require_GET
def documentation(request, pk):
    workshop = selectors.get_documentation_for_request(request, pk)
    coordinator = is_coordinator(request.user)
    # What the moderator hid stays with the coordinators.
    reports = workshop_reports(workshop, public=not coordinator, drafts=False)
    live = [
        {
            "report": report,
            "drawing": bar_chart(report.options) if report.has_chart else None,
            "chart_id": f"activity-{report.activity.pk}-chart",
        }
        for report in reports
    ]
    context = {
        "workshop": workshop,
        "agenda": list(workshop.agenda.all()),
        "documents": list(workshop.documents.filter(for_documentation=True)),
        "live": live,
        "section": "documentation" if coordinator else None,
    }
    return render(request, "workshops/documentation.html", context)


@login_required
def documentation_edit(request, pk):
    workshop = coordinator_workshop(request, pk)
    form = DocumentationForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_documentation(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The documentation is saved."))
            return redirect("workshops:documentation", pk=workshop.pk)
    context = {"workshop": workshop, "form": form, "section": "documentation"}
    return render(
        request, "workshops/documentation_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def documentation_share(request, pk):
    """`shared=1` opens the documentation to the invitees, anything else closes it."""
    workshop = coordinator_workshop(request, pk)
    shared = request.POST.get("shared") == "1"
    try:
        services.share_documentation(workshop, actor=request.user, shared=shared)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        if shared:
            messages.success(request, _("The invitees can now read the documentation."))
        else:
            messages.success(request, _("The documentation is hidden from the invitees again."))
    return redirect("workshops:documentation", pk=workshop.pk)
