"""The coordinator sets up a draft consultation: its numbered sections, its files and the
organisations consulted (by kind, by body, one by one). Files are served to everyone who may
see the consultation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participation.downloads import uploaded_file_download
from participation.request_limits import accepts_uploads
from participation.views.common import add_error_message, add_errors, form_page

from .. import selectors, services
from ..forms import AttachmentForm, ConsultForm, SectionForm
from ..models import ConsultationSection


@login_required
def section_form(request, pk, section_pk=None):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    section = (
        get_object_or_404(consultation.sections, pk=section_pk)
        if section_pk
        else ConsultationSection(consultation=consultation)
    )
    form = SectionForm(request.POST or None, instance=section)

    def save(record, *, actor):
        services.save_section(record, actor=actor)
        return consultation

    return form_page(
        request,
        form,
        service=save,
        title=_("Edit the section") if section_pk else _("New section"),
        saved_message=_("The section is saved."),
        back=consultation,
    )


@login_required
@require_POST
def section_delete(request, pk, section_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    section = get_object_or_404(consultation.sections, pk=section_pk)
    try:
        services.delete_section(section, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The section “%s” is deleted.") % section.title)
    return redirect(consultation)


@accepts_uploads
@login_required
def attachment_add(request, pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(
                consultation,
                actor=request.user,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(consultation)
    return render(
        request,
        "consultations/attachment_form.html",
        {"form": form, "consultation": consultation},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    attachment = get_object_or_404(consultation.attachments, pk=attachment_pk)
    try:
        services.delete_attachment(attachment, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("The file “%s” is removed.") % attachment.title)
    return redirect(consultation)


@require_GET
@login_required
def attachment_download(request, pk, attachment_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk)
    attachment = get_object_or_404(consultation.attachments, pk=attachment_pk)
    try:
        stored = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return uploaded_file_download(
        stored,
        filename=attachment.original_name or attachment.title,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def organisations(request, pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    form = ConsultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.consult(consultation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%s organisations added.") % added)
            return redirect("consultations:organisations", pk=consultation.pk)
    return render(
        request,
        "consultations/organisations.html",
        {
            "form": form,
            "consultation": consultation,
            "consulted": consultation.organisations.order_by("name"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_remove(request, pk, organisation_pk):
    consultation = selectors.get_consultation_for_user(request.user, pk, write=True)
    organisation = get_object_or_404(consultation.organisations, pk=organisation_pk)
    try:
        services.stop_consulting(consultation, organisation, actor=request.user)
    except ValidationError as error:
        add_error_message(request, error)
    else:
        messages.success(request, _("%s is no longer consulted.") % organisation)
    return redirect("consultations:organisations", pk=consultation.pk)
