"""The task owner's personal link: opening it (the token leaves the address bar at once),
the page that shows the task and sets its status, and the coordinator's revoke / new link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation import personal_links
from participation.views.common import require_coordinator

from .. import selectors, task_links
from ..forms import TaskStatusForm


def _unavailable(request):
    """One page for every token or page that does not (or no longer) lead to a task."""
    context = {"contact_email": settings.MITPLANEN_CALENDAR_ORGANIZER}
    return render(request, "meetings/task_link_unavailable.html", context, status=404)


@never_cache
def task_link_open(request, token):
    try:
        link = task_links.open_task_link(request, token)
    except personal_links.RateLimited:
        return render(request, "participation/invitation/rate_limited.html", status=429)
    if link is None:
        return _unavailable(request)
    return redirect("meetings:task_link_page", pk=link.pk)


@never_cache
def task_link_page(request, pk):
    link = task_links.link_from_session(request, pk)
    if link is None:
        return _unavailable(request)
    task = link.task
    form = TaskStatusForm(request.POST or None, initial={"status": task.status})
    if request.method == "POST":
        if form.is_valid():
            try:
                task_links.set_status_by_link(link, form.cleaned_data["status"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you: the status is saved."))
                return redirect("meetings:task_link_page", pk=link.pk)
        else:
            messages.error(request, _("Choose open, in progress or done."))
    context = {"task": task, "link": link, "form": form}
    return render(request, "meetings/task_link_page.html", context)


@login_required
def task_links_page(request, pk):
    """The task's personal links (when sent, opened, revoked), to revoke them or send anew."""
    require_coordinator(request.user)
    task = selectors.get_task_for_user(request.user, pk, write=True)
    context = {"task": task, "links": task.links.select_related("person").order_by("-created_at")}
    return render(request, "meetings/task_links.html", context)


@login_required
@require_POST
def task_link_revoke(request, pk):
    require_coordinator(request.user)
    task = selectors.get_task_for_user(request.user, pk, write=True)
    count = task_links.revoke_links(task, actor=request.user)
    messages.success(
        request, _("%(count)s personal link(s) of the task revoked.") % {"count": count}
    )
    return redirect("meetings:task_links", pk=task.pk)


@login_required
@require_POST
def task_link_resend(request, pk):
    require_coordinator(request.user)
    task = selectors.get_task_for_user(request.user, pk, write=True)
    if task_links.send_new_link(task, actor=request.user):
        messages.success(request, _("A new personal link was sent to the owner."))
    else:
        messages.error(request, _("Only a person with an e-mail address can get a personal link."))
    return redirect("meetings:task_links", pk=task.pk)
