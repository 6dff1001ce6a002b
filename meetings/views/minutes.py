"""The agenda of a meeting (items, proposals, documents) and its minutes (per item, with
attendance and the lifecycle draft → circulated → approved), with a printable page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from participation.documents.pdf import PdfUnavailable
from participation.downloads import uploaded_file_download
from participation.request_limits import accepts_uploads
from participation.selectors import is_coordinator
from participation.views.common import add_error_message, add_errors, require_coordinator

from .. import exports, selectors
from .. import minutes as service
from ..minutes_forms import (
    ATTENDANCE_CHOICES,
    AgendaItemEditForm,
    AgendaItemForm,
    DocumentForm,
    MinutesForm,
    ProposalForm,
)
from ..models import AgendaDocument, AgendaItemKind, AttendanceStatus


def agenda_context(meeting, user):
    """What the meeting page shows of the agenda."""
    record = service.ensure_agenda(meeting)
    coordinator = is_coordinator(user)
    items = list(service.agenda(meeting).prefetch_related("documents"))
    approval = any(item.kind == AgendaItemKind.APPROVAL for item in items)
    return {
        # The minutes the approval item is about, linked from it.
        "previous_record": service.previous_minutes(meeting) if approval else None,
        "record": record,
        "agenda_items": items,
        "proposals": list(service.proposals(meeting)) if coordinator else [],
        "may_propose": service.may_propose(user, meeting) and not record.is_locked,
        "proposal_deadline": service.proposal_deadline(meeting),
        "carried": list(selectors.with_update_right(selectors.carried_tasks(meeting), user)),
        "may_read_minutes": selectors.may_read_minutes(user, meeting, record),
    }


def _form_page(request, form, *, title, meeting, status=200):
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "title": title, "back": meeting},
        status=status,
    )


@login_required
def agenda_add(request, pk):
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        try:
            service.add_item(item, actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("“%(item)s” is on the agenda.") % {"item": item})
            return redirect(item)
    return _form_page(
        request, form, title=pgettext("meeting", "Add an agenda item"), meeting=meeting
    )


@login_required
def agenda_edit(request, pk):
    """Change an item's title, presenter, duration or place in the order."""
    require_coordinator(request.user)
    item = service.item_for_user(request.user, pk, write=True)
    form = AgendaItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            service.add_item(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("“%(item)s” is saved.") % {"item": item})
            return redirect(item)
    return _form_page(
        request, form, title=pgettext("meeting", "Change the agenda item"), meeting=item.meeting
    )


@login_required
def agenda_propose(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not service.may_propose(request.user, meeting):
        raise Http404
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        try:
            service.propose_item(item, actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Your proposal “%(item)s” is sent; the coordination office decides on it.")
                % {"item": item},
            )
            return redirect(meeting)
    return _form_page(request, form, title=_("Propose an agenda item"), meeting=meeting)


@login_required
@require_POST
def proposal_decide(request, pk):
    require_coordinator(request.user)
    item = service.item_for_user(request.user, pk, write=True)
    accept = request.POST.get("decision") == "accept"
    try:
        service.decide_proposal(item, accept=accept, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        if accept:
            messages.success(request, _("“%(item)s” is on the agenda.") % {"item": item})
        else:
            messages.success(request, _("The proposal “%(item)s” is rejected.") % {"item": item})
    return redirect(item.meeting)


@accepts_uploads
@login_required
def document_upload(request, pk):
    require_coordinator(request.user)
    item = service.item_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.add_document(
                item,
                actor=request.user,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The document is attached to “%(item)s”.") % {"item": item})
            return redirect(item)
    return render(
        request,
        "meetings/agenda_document_form.html",
        {"form": form, "item": item, "meeting": item.meeting},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def document_download(request, pk):
    document = get_object_or_404(AgendaDocument.objects.select_related("item"), pk=pk)
    service.item_for_user(request.user, document.item_id)
    return uploaded_file_download(
        document.file.open("rb"),
        filename=document.original_name or document.title,
        content_type=document.content_type,
    )


def _minutes_context(meeting, user):
    context = agenda_context(meeting, user)
    context.update(
        {
            "meeting": meeting,
            "series": meeting.series,
            "attendance": service.attendance_rows(meeting),
            "is_coordinator": is_coordinator(user),
            "previous": service.previous_meeting(meeting),
        }
    )
    context["editable"] = context["is_coordinator"] and not context["record"].is_locked
    context["minutes_visible"] = selectors.may_read_minutes(user, meeting, context["record"])
    return context


@login_required
def minutes(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return render(request, "meetings/minutes.html", _minutes_context(meeting, request.user))


@login_required
def minutes_print(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return render(request, "meetings/minutes_print.html", _minutes_context(meeting, request.user))


@login_required
@require_GET
def minutes_file(request, pk, file_format):
    """The minutes as PDF or Word file, for whoever may see the printable page."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if file_format not in exports.FORMATS:
        raise Http404
    try:
        return exports.download(meeting, file_format)
    except PdfUnavailable:
        return render(
            request,
            "participation/documents/unavailable.html",
            {
                "message": exports.unavailable_message(),
                "back": reverse("meetings:minutes", args=[pk]),
            },
            status=503,
        )


@login_required
def minutes_edit(request, pk):
    require_coordinator(request.user)
    item = service.item_for_user(request.user, pk, write=True)
    record = service.ensure_agenda(item.meeting)
    if record.is_locked:
        messages.error(
            request,
            _("The minutes of this meeting are approved and locked; nothing can be changed."),
        )
        return redirect("meetings:minutes", pk=item.meeting_id)
    initial = {"minutes": item.minutes, "outcome": item.outcome, "revision": item.revision}
    form = MinutesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                service.save_minutes(
                    item,
                    minutes=form.cleaned_data["minutes"],
                    outcome=form.cleaned_data["outcome"],
                    base_revision=form.cleaned_data["revision"],
                    actor=request.user,
                )
            except service.MinutesConflict as conflict:
                add_errors(form, conflict)
                status = 409
                item = conflict.item
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The minutes of “%(item)s” are saved.") % {"item": item}
                )
                return redirect(
                    f"{redirect('meetings:minutes', pk=item.meeting_id).url}#item-{item.pk}"
                )
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "form": form,
            "item": item,
            "meeting": item.meeting,
            "history": list(item.changes.select_related("changed_by")[:20]),
        },
        status=status,
    )


@login_required
def attendance(request, pk):
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    rows = service.attendance_rows(meeting)
    errors = []
    if request.method == "POST":
        entries = {
            seat.person_id: (
                request.POST.get(f"status-{seat.person_id}", ""),
                request.POST.get(f"deputy-{seat.person_id}", ""),
            )
            for seat, _row in rows
        }
        try:
            service.save_attendance(meeting, entries, actor=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("meetings:minutes", pk=meeting.pk)
    if errors:  # what was typed stays, so it can be corrected
        lines = [(seat, *entries[seat.person_id]) for seat, _row in rows]
    else:
        lines = [(seat, row.status if row else "", row.deputy if row else "") for seat, row in rows]
    # Beside each seat, how its holder replied to the invitation.
    replies = selectors.replies_by_email(meeting)
    lines = [(*line, replies.get(line[0].person.email.lower())) for line in lines]
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "lines": lines,
            "choices": ATTENDANCE_CHOICES,
            "deputy": AttendanceStatus.DEPUTY,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def minutes_transition(request, pk, action):
    require_coordinator(request.user)
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    try:
        if action == "circulate":
            service.circulate(meeting, actor=request.user)
            messages.success(request, _("The minutes are sent to the attendees for corrections."))
        elif action == "approve":
            service.approve(meeting, actor=request.user)
            messages.success(request, _("The minutes are approved and now locked."))
        else:
            raise Http404
    except ValidationError as error:
        add_error_message(request, error)
    return redirect("meetings:minutes", pk=meeting.pk)
