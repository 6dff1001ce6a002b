"""Tasks agreed at meetings: the list, creating one at a meeting, editing one, its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participation.selectors import is_coordinator
from participation.views.common import add_error_message, require_coordinator, save_form_with

from .. import selectors, services
from ..forms import TaskFilterForm, TaskForm, TaskStatusForm
from ..models import Task, TaskStatus


@login_required
def task_list(request):
    filters = TaskFilterForm(request.GET or {"status": "undone"})
    valid = filters.is_valid()
    status = (filters.cleaned_data["status"] or "undone") if valid else "undone"
    owner = filters.cleaned_data["owner"] if valid else ""
    context = {
        "filters": filters,
        "tasks": list(selectors.task_list(request.user, status=status, owner=owner)),
        "is_coordinator": is_coordinator(request.user),
        "status_choices": TaskStatus.choices,
    }
    return render(request, "meetings/task_list.html", context)


@login_required
def task_create(request, pk):
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    return _task_form(request, Task(meeting=meeting), title=_("New task"))


@login_required
def task_edit(request, pk):
    require_coordinator(request.user)
    task = selectors.get_task_for_user(request.user, pk, write=True)
    return _task_form(request, task, title=_("Edit task"))


def _task_form(request, task, *, title):
    """Saved, the task is shown in its meeting's task list (not its form again)."""
    form = TaskForm(request.POST or None, instance=task, meeting=task.meeting)
    if request.method == "POST" and form.is_valid():
        saved = save_form_with(services.save_task, form, actor=request.user)
        if saved:
            messages.success(request, _("Task “%(record)s” saved.") % {"record": saved})
            return redirect(f"{saved.meeting.get_absolute_url()}#task-{saved.pk}")
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "object": task if task.pk else None, "title": title, "back": task.meeting},
    )


@login_required
@require_POST
def task_status(request, pk):
    """Coordinators, and the task's owner, set its status."""
    task = selectors.get_task_to_update(request.user, pk)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_task_status(task, form.cleaned_data["status"], actor=request.user)
        except ValidationError as error:
            add_error_message(request, error)
        else:
            messages.success(request, _("Task “%(task)s” updated.") % {"task": task})
    else:
        messages.error(request, _("Choose open, in progress or done."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "meetings:task_list"
    return redirect(target)
