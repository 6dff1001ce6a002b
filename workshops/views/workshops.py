"""The workshops themselves: the list, one workshop's page, creating and editing it (its
status changes are in `status`)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from participation.events.selectors import delivery_counts
from participation.selectors import audit_entries, is_coordinator
from participation.views.common import form_page, require_coordinator

from .. import selectors, services
from ..forms import WorkshopFilterForm, WorkshopForm
from ..models import Workshop

PAGE_SIZE = 50


@login_required
def workshop_list(request):
    filters = WorkshopFilterForm(request.GET)
    workshops = selectors.workshop_list(request.user)
    if filters.is_valid():
        if q := filters.cleaned_data["q"]:
            workshops = workshops.filter(Q(title__icontains=q) | Q(topic__icontains=q))
        if status := filters.cleaned_data["status"]:
            workshops = workshops.filter(status=status)
    page = Paginator(workshops, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.htmx and not request.htmx.boosted:
        template = "workshops/_workshop_rows.html"
    else:
        template = "workshops/workshop_list.html"
    return render(request, template, {"filters": filters, "page": page})


@login_required
def workshop_detail(request, pk):
    workshop = selectors.get_workshop_for_user(request.user, pk)
    coordinator = is_coordinator(request.user)
    context = {
        "workshop": workshop,
        "agenda": list(workshop.agenda.all()),
        "documents": list(
            selectors.visible_documents(request, workshop).filter(for_documentation=False)
        ),
        "has_documentation": workshop.documentation_published
        or (coordinator and bool(workshop.results or workshop.minutes)),
    }
    if coordinator:
        items = list(workshop.agenda.all()) + list(workshop.documents.all())
        context |= {
            "delivery": delivery_counts(workshop),
            "replies": selectors.reply_counts(workshop),
            "audit": audit_entries(workshop, *items)[:50],
            "section": "overview",
        }
    else:
        context["invitation"] = selectors.invitation_for(request.user, workshop)
    return render(request, "workshops/workshop_detail.html", context)


@login_required
def workshop_form(request, pk=None):
    require_coordinator(request.user)
    workshop = selectors.get_workshop_for_user(request.user, pk, write=True) if pk else Workshop()
    return form_page(
        request,
        WorkshopForm(request.POST or None, instance=workshop),
        service=services.save_workshop,
        title=_("Edit workshop") if pk else _("New workshop"),
        saved_message=_("Workshop “%(record)s” saved."),
        back=workshop if pk else None,
    )
