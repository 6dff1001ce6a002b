"""A workshop's documents: upload (checked by content and size), mark for the
documentation, delete, and download, which only coordinators and invitees may (nothing is
served from MEDIA_URL)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from participation.downloads import uploaded_file_download
from participation.request_limits import accepts_uploads, content_length, upload_request_limit
from participation.views.common import add_errors

from .. import selectors, services
from ..access import coordinator_workshop
from ..forms import DocumentForm
from ..models import Document


def _page(request, workshop, *, form=None, status=200):
    context = {
        "workshop": workshop,
        "documents": list(workshop.documents.select_related("uploaded_by")),
        "form": form or DocumentForm(),
        "section": "documents",
        "max_mb": services.DOCUMENT_MAX_MB,
    }
    return render(request, "workshops/documents.html", context, status=status)


@accepts_uploads
@csrf_exempt  # checked in _upload, once the size is known to be acceptable
@login_required
def documents(request, pk):
    """GET: the documents with the upload form. POST: upload one."""
    workshop = coordinator_workshop(request, pk)
    if request.method != "POST":
        return _page(request, workshop)
    if content_length(request) > upload_request_limit(services.DOCUMENT_MAX_BYTES):
        # Nothing was read: a bound, empty form carries only this refusal.
        form = DocumentForm(data={})
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "file",
            _("The file is larger than %(max)s MB.") % {"max": services.DOCUMENT_MAX_MB},
        )
        return _page(request, workshop, form=form, status=400)
    return _upload(request, workshop)


@csrf_protect
def _upload(request, workshop):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_document(
                workshop,
                actor=request.user,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                for_documentation=form.cleaned_data["for_documentation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Document “%(title)s” uploaded.") % {"title": document})
            return redirect("workshops:documents", pk=workshop.pk)
    return _page(request, workshop, form=form, status=400)


def _document(workshop, document_pk):
    return get_object_or_404(Document, pk=document_pk, workshop=workshop)


@login_required
@require_POST
def document_delete(request, pk, document_pk):
    workshop = coordinator_workshop(request, pk)
    document = _document(workshop, document_pk)
    services.delete_document(document, actor=request.user)
    messages.success(request, _("Document “%(title)s” deleted.") % {"title": document})
    return redirect("workshops:documents", pk=workshop.pk)


@login_required
@require_POST
def document_documentation(request, pk, document_pk):
    """Add the document to the documentation, or take it out again."""
    workshop = coordinator_workshop(request, pk)
    document = _document(workshop, document_pk)
    included = request.POST.get("for_documentation") == "1"
    services.include_in_documentation(document, actor=request.user, included=included)
    if included:
        message = _("“%(title)s” is now part of the documentation.")
    else:
        message = _("“%(title)s” is no longer part of the documentation.")
    messages.success(request, message % {"title": document})
    return redirect("workshops:documents", pk=workshop.pk)


@require_GET
def document_download(request, pk, document_pk):
    """The file, for coordinators and invitees (signed in or through their personal
    link's session); 404 for everybody else."""
    document = selectors.get_document_for_request(request, pk, document_pk)
    try:
        stored = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return uploaded_file_download(
        stored,
        filename=document.original_name or document.title,
        content_type=document.content_type or "application/octet-stream",
    )
