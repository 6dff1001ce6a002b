"""The workshops themselves: the list, one workshop's page, creating and editing it, and
its status: publish, mark done, cancel (each a POST calling one service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from participation.events.selectors import delivery_counts, invitations_of
from participation.models import Reply
from participation.selectors import audit_entries, is_coordinator
from participation.views.common import add_error_message, form_page, require_coordinator

from . import selectors, services
from .access import coordinator_workshop
from .forms import WorkshopFilterForm, WorkshopForm
from .models import Workshop

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


def _transition(request, pk, service, done_message):
    workshop = coordinator_workshop(request, pk)
    try:
        service(workshop, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, done_message % {"title": workshop.title})
    return redirect(workshop)


@login_required
@require_POST
def workshop_publish(request, pk):
    return _transition(
        request,
        pk,
        services.publish_workshop,
        _("“%(title)s” is published. You can now send the invitations."),
    )


@login_required
@require_POST
def workshop_done(request, pk):
    return _transition(
        request,
        pk,
        services.mark_done,
        _("“%(title)s” is marked as done. Replies are closed."),
    )


@login_required
def workshop_cancel(request, pk):
    """GET asks to confirm (saying who will be told); POST cancels."""
    workshop = coordinator_workshop(request, pk)
    if request.method != "POST":
        to_tell = invitations_of(workshop).exclude(reply=Reply.DECLINED).count()
        return render(
            request, "workshops/cancel_confirm.html", {"workshop": workshop, "to_tell": to_tell}
        )
    try:
        told = services.cancel_workshop(workshop, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The workshop is cancelled; %(count)d invitee is told by e-mail.",
                "The workshop is cancelled; %(count)d invitees are told by e-mail.",
                told,
            )
            % {"count": told},
        )
    return redirect(workshop)
